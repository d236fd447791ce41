import { Lazy } from 'cdktf';
import { EcrLifecyclePolicyBuilder, EcrRepositories, type EcrRepositoriesProps } from '../src/modules/ecr';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

/**
 * ECR repositories (src/modules/ecr.ts) beyond the presets ecr.test.ts and api-resources.test.ts
 * read: a repository read whole with every default and with every option switched, the lifecycle
 * rules at their edges, and each validation rule at the value that passes and the first that fails.
 */

function build(props: EcrRepositoriesProps): Json {
  return synthScope((scope) => {
    new EcrRepositories(scope, 'ecr', props);
  });
}
const failure = (props: EcrRepositoriesProps) => errorOf(() => build(props));
const oneProblem = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('EcrRepositories resources', () => {
  it('by default: immutable tags, scan on push, AES-256, no force delete', () => {
    expect(resourcesOf(build({ namePrefix: 'p-e', repositories: ['api'] }), 'aws_ecr_repository')).toEqual({
      ecr_api_F392E3FA: {
        name: 'p-e-api',
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: 'AES256' }],
        force_delete: false,
      },
    });
  });

  it('with every option switched: mutable, no scan, KMS, force delete', () => {
    const json = build({
      namePrefix: 'p-e',
      repositories: ['api'],
      imageTagMutability: 'MUTABLE',
      scanOnPush: false,
      kmsKeyArn: KEY,
      forceDelete: true,
    });
    expect(Object.values(resourcesOf(json, 'aws_ecr_repository'))).toEqual([
      {
        name: 'p-e-api',
        image_tag_mutability: 'MUTABLE',
        image_scanning_configuration: { scan_on_push: false },
        encryption_configuration: [{ encryption_type: 'KMS', kms_key: KEY }],
        force_delete: true,
      },
    ]);
  });

  it('takes a KMS key given as a Terraform token without checking it', () => {
    const json = build({
      namePrefix: 'p-e',
      repositories: ['api'],
      kmsKeyArn: Lazy.stringValue({ produce: () => 'key-from-token' }),
    });
    expect(Object.values(resourcesOf(json, 'aws_ecr_repository'))[0].encryption_configuration).toEqual([
      { encryption_type: 'KMS', kms_key: 'key-from-token' },
    ]);
  });

  it('takes a KMS alias ARN', () => {
    expect(() =>
      build({
        namePrefix: 'p-e',
        repositories: ['api'],
        kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:alias/ecr',
      }),
    ).not.toThrow();
  });

  it('writes the lifecycle counts at their limits into every policy (ECR: countNumber is a positive integer)', () => {
    const json = build({
      namePrefix: 'p-e',
      repositories: ['a', 'b'],
      untaggedExpireDays: 3650,
      keepLastTagged: 10000,
    });
    const policies = Object.values(resourcesOf(json, 'aws_ecr_lifecycle_policy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies)
      expect(JSON.parse(policy.policy as string)).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: 'Expire untagged images after 3650 days',
            selection: {
              tagStatus: 'untagged',
              countType: 'sinceImagePushed',
              countUnit: 'days',
              countNumber: 3650,
            },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: 'Keep the last 10000 tagged images',
            selection: {
              tagStatus: 'tagged',
              tagPatternList: ['*'],
              countType: 'imageCountMoreThan',
              countNumber: 10000,
            },
            action: { type: 'expire' },
          },
        ],
      });
  });

  it('exposes the lifecycle document it built', () => {
    synthScope((scope) => {
      const ecr = new EcrRepositories(scope, 'ecr', {
        namePrefix: 'p-e',
        untaggedExpireDays: 1,
        keepLastTagged: 1,
      });
      expect(ecr.lifecyclePolicyDocument.rules.map((r) => [r.rulePriority, r.description])).toEqual([
        [1, 'Expire untagged images after 1 days'],
        [2, 'Keep the last 1 tagged images'],
      ]);
    });
  });
});

describe('EcrLifecyclePolicyBuilder edges', () => {
  it.each([
    [
      () => new EcrLifecyclePolicyBuilder().expireUntaggedAfterDays(-1),
      'days must be a positive integer, got -1',
    ],
    [
      () => new EcrLifecyclePolicyBuilder().expireUntaggedAfterDays(1.5),
      'days must be a positive integer, got 1.5',
    ],
    [() => new EcrLifecyclePolicyBuilder().keepLastTagged(0), 'count must be a positive integer, got 0'],
    [
      () => new EcrLifecyclePolicyBuilder().keepLastTagged(Number.NaN),
      'count must be a positive integer, got NaN',
    ],
  ] as const)('fails with %#', (fn, message) => {
    expect(errorOf(fn)).toBe(message);
  });

  it('starts empty and serializes what it holds', () => {
    expect(new EcrLifecyclePolicyBuilder().build()).toEqual({ rules: [] });
    expect(new EcrLifecyclePolicyBuilder().keepLastTagged(1, ['v*']).toJson()).toBe(
      '{"rules":[{"rulePriority":1,"description":"Keep the last 1 tagged images","selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}',
    );
  });
});

describe('EcrRepositories validation', () => {
  // ECR repository names: lowercase words joined by one of . _ -, optionally with / namespaces here
  // reduced to the flat names this project uses.
  it.each([['a'], ['a.b_c-d'], ['api2']])('takes the repository name %s', (name) => {
    expect(() => build({ namePrefix: 'p-e', repositories: [name] })).not.toThrow();
  });

  it.each([['-api'], ['api-'], ['a..b'], ['a/b'], ['API']])(
    'fails when the repository name is %s',
    (name) => {
      expect(failure({ namePrefix: 'p-e', repositories: [name] })).toBe(
        oneProblem(`stack/ecr.repositories[0] ${name} must be a lowercase ECR repository name`),
      );
    },
  );

  it.each([['p'], ['p1-e2'], ['0-a']])('takes the name prefix %s', (namePrefix) => {
    expect(() => build({ namePrefix, repositories: ['api'] })).not.toThrow();
  });

  it.each([['-p'], ['p--e'], ['p_e']])('fails when the name prefix is %s', (namePrefix) => {
    expect(failure({ namePrefix, repositories: ['api'] })).toBe(
      oneProblem(
        `stack/ecr.namePrefix ${namePrefix} must be lowercase letters and digits in hyphen-separated words, like ecg-video-pipeline-staging`,
      ),
    );
  });

  it.each([
    [{ untaggedExpireDays: 3651 }, 'stack/ecr.untaggedExpireDays 3651 must be an integer from 1 to 3650'],
    [{ untaggedExpireDays: 1.5 }, 'stack/ecr.untaggedExpireDays 1.5 must be an integer from 1 to 3650'],
    [{ keepLastTagged: 0 }, 'stack/ecr.keepLastTagged 0 must be an integer from 1 to 10000'],
    [{ keepLastTagged: 10001 }, 'stack/ecr.keepLastTagged 10001 must be an integer from 1 to 10000'],
    [{ kmsKeyArn: '' }, 'stack/ecr.kmsKeyArn "" must be a KMS key or alias ARN'],
  ] as [Partial<EcrRepositoriesProps>, string][])('fails when %j', (extra, line) => {
    expect(failure({ namePrefix: 'p-e', repositories: ['api'], ...extra })).toBe(oneProblem(line));
  });
});
