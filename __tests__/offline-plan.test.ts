import { App } from 'cdktf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, loadConfiguration } from '../src/app';
import {
  PROVIDER_MIRROR_ENV,
  offlineOverride,
  offlinePlan,
  readSynthesizedStack,
  substituteRandom,
  type OfflinePlanResult,
} from '../src/tools/offline-plan';

const mirror = process.env[PROVIDER_MIRROR_ENV];

describe('random_* substitution for offline plans', () => {
  const stack = {
    terraform: { required_providers: { aws: { source: 'aws' }, random: { source: 'hashicorp/random' } } },
    provider: { aws: [{ region: 'ap-northeast-2' }], random: [{}] },
    resource: {
      random_id: { suffix: { byte_length: 4 } },
      random_password: { token: { length: 40, special: false } },
      aws_s3_bucket: {
        b: { bucket: 'x-${random_id.suffix.hex}', depends_on: ['random_id.suffix', 'aws_vpc.v'] },
      },
      aws_secretsmanager_secret_version: {
        v: { secret_string: '${jsonencode({"t" = random_password.token.result})}' },
      },
    },
  };

  it('replaces references by literals and removes only the random resources and provider', () => {
    const { json, substituted } = substituteRandom(stack);
    expect(substituted).toEqual(['random_id.suffix', 'random_password.token']);
    expect(json.resource.random_id).toBeUndefined();
    expect(json.provider.random).toBeUndefined();
    expect(json.terraform.required_providers).toEqual({ aws: { source: 'aws' } });
    expect(json.resource.aws_s3_bucket.b.bucket).toMatch(/^x-\$\{"[0-9a-f]{8}"\}$/);
    expect(json.resource.aws_s3_bucket.b.depends_on).toEqual(['aws_vpc.v']);
    expect(json.resource.aws_secretsmanager_secret_version.v.secret_string).toMatch(
      /^\$\{jsonencode\(\{"t" = "[A-Za-z0-9]{40}"\}\)\}$/,
    );
    expect(stack.resource.random_id).toBeDefined();
  });

  it('overrides the backend to local and sets the skip flags on every AWS provider alias', () => {
    const override = offlineOverride({
      provider: { aws: [{ region: 'a' }, { region: 'us-east-1', alias: 'us_east_1' }] },
    });
    expect(override.terraform).toEqual({ backend: { local: { path: 'terraform.tfstate' } } });
    expect(override.provider.aws).toHaveLength(2);
    expect(override.provider.aws[1]).toMatchObject({ alias: 'us_east_1', skip_requesting_account_id: true });
  });
});

/**
 * Offline init + validate + plan of every stack against the real hashicorp/aws provider. Needs the
 * Terraform CLI and a provider mirror (TF_PROVIDER_MIRROR, set by .ci/run); fails loudly without.
 */
describe('offline terraform plan of every stack', () => {
  const results: Record<string, OfflinePlanResult> = {};

  beforeAll(async () => {
    if (!mirror)
      throw new Error(
        `${PROVIDER_MIRROR_ENV} is not set: run the suite through .ci/run or export it (see README)`,
      );
    const outdir = mkdtempSync(join(tmpdir(), 'plan-synth-'));
    const app = new App({ outdir });
    buildApp(app, loadConfiguration({ context: () => undefined, env: {} }));
    app.synth();
    const stacks = ['state-backend', 'staging', 'production'];
    const plans = await Promise.all(
      stacks.map(async (stack) =>
        offlinePlan({ stack, stackJson: await readSynthesizedStack(outdir, stack), providerMirror: mirror }),
      ),
    );
    for (const plan of plans) results[plan.stack] = plan;
  });

  it.each(['state-backend'])('%s plans cleanly: only additions', (stack) => {
    const r = results[stack];
    expect(r.add).toBeGreaterThan(0);
    expect([r.change, r.destroy]).toEqual([0, 0]);
    expect(r.summary).toBe(`${stack}: ${r.add} to add, 0 to change, 0 to destroy`);
  });

  it('state-backend plans the bucket, its configurations and the lock table', () => {
    expect(Object.keys(results['state-backend'].resourceTypes).sort()).toEqual([
      'aws_dynamodb_table',
      'aws_s3_bucket',
      'aws_s3_bucket_lifecycle_configuration',
      'aws_s3_bucket_ownership_controls',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
    ]);
    expect(results['state-backend'].substitutedRandom).toEqual([]);
  });

  it('says which random_* resources it replaced when the random provider is not in the mirror', () => {
    expect(results.staging.substitutedRandom).toContain('random_id.suffix');
  });

  it('plans the platform resources of each environment', () => {
    for (const stack of ['staging', 'production']) {
      expect(results[stack].plan.configuration.provider_config.aws.expressions.region.constant_value).toBe(
        'ap-northeast-2',
      );
    }
  });
});
