import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { TerraformOutput } from 'cdktf';
import { EcrLifecyclePolicyBuilder, EcrRepositories, type EcrRepositoriesProps } from '../src/modules/ecr';
import { errorOf, type Json, resourcesOf, synthScope } from './support/synth';
import { environments, propsFor } from './variants/ecr';

const EXPECTED_POLICY = {
  rules: [
    {
      rulePriority: 1,
      description: 'Expire untagged images after 7 days',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'Keep the last 30 tagged images',
      selection: {
        tagStatus: 'tagged',
        tagPatternList: ['*'],
        countType: 'imageCountMoreThan',
        countNumber: 30,
      },
      action: { type: 'expire' },
    },
  ],
};

function build(props: EcrRepositoriesProps): Json {
  return synthScope((scope) => {
    new EcrRepositories(scope, 'ecr', props);
  });
}

/** Message of the ConfigError thrown while building `props`. */
function failure(props: EcrRepositoriesProps): string {
  return errorOf(() => build(props));
}

describe('EcrLifecyclePolicyBuilder', () => {
  it('writes the docs/design.md policy: untagged expire after 7 days, keep the last 30 tagged', () => {
    const built = new EcrLifecyclePolicyBuilder().expireUntaggedAfterDays(7).keepLastTagged(30);
    expect(built.build()).toEqual(EXPECTED_POLICY);
    expect(JSON.parse(built.toJson())).toEqual(EXPECTED_POLICY);
  });

  it('numbers rules in the order they are added and takes custom counts and patterns', () => {
    const doc = new EcrLifecyclePolicyBuilder()
      .keepLastTagged(5, ['v*', 'release-*'])
      .expireUntaggedAfterDays(1)
      .build();
    expect(doc.rules.map((r) => [r.rulePriority, r.selection.tagStatus, r.selection.countNumber])).toEqual([
      [1, 'tagged', 5],
      [2, 'untagged', 1],
    ]);
    expect(doc.rules[0].selection.tagPatternList).toEqual(['v*', 'release-*']);
  });

  it('rejects counts that are not positive integers and empty pattern lists', () => {
    expect(() => new EcrLifecyclePolicyBuilder().expireUntaggedAfterDays(0)).toThrow(
      'days must be a positive integer, got 0',
    );
    expect(() => new EcrLifecyclePolicyBuilder().keepLastTagged(2.5)).toThrow(
      'count must be a positive integer, got 2.5',
    );
    expect(() => new EcrLifecyclePolicyBuilder().keepLastTagged(3, [])).toThrow(
      'tagPatterns must list at least one pattern',
    );
  });
});

describe.each(['staging', 'production'])('EcrRepositories (%s preset)', (env) => {
  const cfg = environments[env];
  const json = build(propsFor(cfg));
  const repos = Object.values(resourcesOf(json, 'aws_ecr_repository'));
  const policies = resourcesOf(json, 'aws_ecr_lifecycle_policy');

  it('creates api, model-server and render-worker named <project>-<env>-<name>', () => {
    expect(repos.map((r) => r.name).sort()).toEqual(
      ['api', 'model-server', 'render-worker'].map((n) => `ecg-video-pipeline-${env}-${n}`),
    );
  });

  it('scans on push and encrypts with AES-256 (CKV_AWS_163, AVD-AWS-0030)', () => {
    for (const repo of repos) {
      expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
      expect(repo.encryption_configuration).toEqual([{ encryption_type: 'AES256' }]);
    }
  });

  it(
    env === 'production'
      ? 'has immutable tags and no force delete in production (CKV_AWS_51, AVD-AWS-0031)'
      : 'has mutable tags and force delete in staging',
    () => {
      for (const repo of repos) {
        expect(repo.image_tag_mutability).toBe(env === 'production' ? 'IMMUTABLE' : 'MUTABLE');
        expect(repo.force_delete).toBe(env !== 'production');
      }
    },
  );

  it('gives every repository its own lifecycle policy with the docs/design.md rules', () => {
    const repoKeys = Object.keys(resourcesOf(json, 'aws_ecr_repository'));
    expect(
      Object.values(policies)
        .map((p) => p.repository)
        .sort(),
    ).toEqual(repoKeys.map((k) => `\${aws_ecr_repository.${k}.name}`).sort());
    for (const policy of Object.values(policies)) expect(JSON.parse(policy.policy)).toEqual(EXPECTED_POLICY);
  });
});

describe('EcrRepositories', () => {
  it('encrypts with the given KMS key (CKV_AWS_136)', () => {
    const key = 'arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const json = build({ namePrefix: 'p-e', repositories: ['api'], kmsKeyArn: key });
    expect(JSON.stringify(json)).toHaveResourceWithProperties(EcrRepository, {
      name: 'p-e-api',
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: key }],
    });
  });

  it('defaults to immutable tags, no force delete and the docs/design.md repositories and lifecycle', () => {
    const json = build({ namePrefix: 'p-e' });
    const repos = Object.values(resourcesOf(json, 'aws_ecr_repository'));
    expect(repos.map((r) => [r.name, r.image_tag_mutability, r.force_delete])).toEqual([
      ['p-e-api', 'IMMUTABLE', false],
      ['p-e-model-server', 'IMMUTABLE', false],
      ['p-e-render-worker', 'IMMUTABLE', false],
    ]);
    const policy = Object.values(resourcesOf(json, 'aws_ecr_lifecycle_policy'))[0];
    expect(JSON.parse(policy.policy)).toEqual(EXPECTED_POLICY);
  });

  it('writes configured lifecycle counts into the policy', () => {
    const json = build({
      namePrefix: 'p-e',
      repositories: ['api'],
      untaggedExpireDays: 3,
      keepLastTagged: 10,
    });
    const policy = JSON.parse(Object.values(resourcesOf(json, 'aws_ecr_lifecycle_policy'))[0].policy);
    expect(policy.rules.map((r: Json) => r.selection.countNumber)).toEqual([3, 10]);
  });

  it('exposes URL, ARN and name per repository as references to that repository', () => {
    const json = synthScope((scope) => {
      const ecr = new EcrRepositories(scope, 'ecr', { namePrefix: 'p-e', repositories: ['api', 'worker'] });
      new TerraformOutput(scope, 'url', { value: ecr.repositories['api'].repositoryUrl });
      new TerraformOutput(scope, 'arn', { value: ecr.repository('worker').repositoryArn });
      new TerraformOutput(scope, 'name', { value: ecr.repository('worker').repositoryName });
      new TerraformOutput(scope, 'arns', { value: ecr.repositoryArns });
    });
    const keys = Object.keys(resourcesOf(json, 'aws_ecr_repository'));
    const api = keys.find((k) => k.includes('api'));
    const worker = keys.find((k) => k.includes('worker'));
    expect(json.output.url.value).toBe(`\${aws_ecr_repository.${api}.repository_url}`);
    expect(json.output.arn.value).toBe(`\${aws_ecr_repository.${worker}.arn}`);
    expect(json.output.name.value).toBe(`\${aws_ecr_repository.${worker}.name}`);
    expect(json.output.arns.value).toEqual([
      `\${aws_ecr_repository.${api}.arn}`,
      `\${aws_ecr_repository.${worker}.arn}`,
    ]);
  });

  it('fails when a repository that does not exist is asked for', () => {
    expect(() =>
      synthScope((scope) => {
        new EcrRepositories(scope, 'ecr', { namePrefix: 'p-e', repositories: ['api', 'worker'] }).repository(
          'web',
        );
      }),
    ).toThrow('stack/ecr: no repository web (repositories: api, worker)');
  });

  it('fails when the name prefix is not lowercase words', () => {
    expect(failure({ namePrefix: 'Ecg_Staging' })).toContain(
      'stack/ecr.namePrefix Ecg_Staging must be lowercase letters and digits in hyphen-separated words, like ecg-video-pipeline-staging',
    );
  });

  it('fails when the name prefix has a valid start but ends badly (the whole prefix must match)', () => {
    for (const prefix of ['ecg-staging-', 'ecg-Staging', 'ecg-staging_x']) {
      expect(failure({ namePrefix: prefix })).toContain(
        `stack/ecr.namePrefix ${prefix} must be lowercase letters and digits in hyphen-separated words`,
      );
    }
  });

  it('takes a repository name of 256 characters and fails at 257 (ECR CreateRepository: repositoryName 2-256)', () => {
    const json = build({ namePrefix: 'a'.repeat(252), repositories: ['api'] });
    expect(Object.values(resourcesOf(json, 'aws_ecr_repository'))[0].name).toHaveLength(256);
    expect(failure({ namePrefix: 'a'.repeat(253), repositories: ['api'] })).toContain(
      'stack/ecr.repositories[0] api makes the repository name longer than 256 characters',
    );
  });

  it('fails when no repository is listed', () => {
    expect(failure({ namePrefix: 'p-e', repositories: [] })).toContain(
      'stack/ecr.repositories [] must list at least one repository',
    );
  });

  it('fails when a repository name is invalid or listed twice', () => {
    const message = failure({ namePrefix: 'p-e', repositories: ['api', 'Model_Server', 'api'] });
    expect(message).toContain(
      'stack/ecr.repositories[1] Model_Server must be a lowercase ECR repository name',
    );
    expect(message).toContain('stack/ecr.repositories[2] api is listed twice');
  });

  it('fails when tag mutability is not MUTABLE or IMMUTABLE', () => {
    expect(
      failure({
        namePrefix: 'p-e',
        imageTagMutability: 'mutable' as EcrRepositoriesProps['imageTagMutability'],
      }),
    ).toContain('stack/ecr.imageTagMutability mutable must be one of MUTABLE, IMMUTABLE');
  });

  it('fails when lifecycle counts are out of range', () => {
    const message = failure({ namePrefix: 'p-e', untaggedExpireDays: 0, keepLastTagged: 2.5 });
    expect(message).toContain('stack/ecr.untaggedExpireDays 0 must be an integer from 1 to 3650');
    expect(message).toContain('stack/ecr.keepLastTagged 2.5 must be an integer from 1 to 10000');
  });

  it('fails when the KMS key is not a KMS ARN', () => {
    expect(failure({ namePrefix: 'p-e', kmsKeyArn: 'alias/ecr' })).toContain(
      'stack/ecr.kmsKeyArn alias/ecr must be a KMS key or alias ARN',
    );
  });

  it('reports every problem at once', () => {
    const message = failure({ namePrefix: 'P', repositories: ['x!'], untaggedExpireDays: -1 });
    expect(message).toMatch(/^Invalid configuration \(3 problems\):/);
  });
});
