import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { buildTestApp, synthStack } from './support/synth';

describe.each(['staging', 'production'] as const)('%s platform stack', (stack) => {
  const json = synthStack(stack);

  it('stores its state in the S3 backend under <project>/<stack>/terraform.tfstate with DynamoDB locking', () => {
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: 'ecg-video-pipeline-tfstate',
        key: `ecg-video-pipeline/${stack}/terraform.tfstate`,
        region: 'ap-northeast-2',
        dynamodb_table: 'ecg-video-pipeline-tflock',
        encrypt: true,
      },
    });
  });

  it('tags every resource through the provider default tags', () => {
    expect(JSON.stringify(json)).toHaveProviderWithProperties(AwsProvider, {
      region: 'ap-northeast-2',
      default_tags: [{ tags: { Project: 'ecg-video-pipeline', Environment: stack, ManagedBy: 'cdktf' } }],
    });
    expect(json.provider.aws[0].allowed_account_ids).toBeUndefined();
  });

  it('has the random provider and a 4-byte random suffix', () => {
    expect(json.terraform.required_providers.random.source).toBe('hashicorp/random');
    expect(json.terraform.required_providers.aws.version).toBe('5.100.0');
    expect(json.resource.random_id.suffix).toMatchObject({ byte_length: 4 });
  });

  it('requires Terraform 1.6 or newer', () => {
    expect(json.terraform.required_version).toBe('>= 1.6.0');
  });
});

describe('platform stack settings', () => {
  it('pins each environment to its own allowed account ids', () => {
    const built = buildTestApp({
      ECG_STAGING_ACCOUNT_IDS: '111111111111',
      ECG_PRODUCTION_ACCOUNT_IDS: '222222222222',
    });
    const staging = JSON.parse(Testing.synth(built.platforms.staging));
    const production = JSON.parse(Testing.synth(built.platforms.production));
    expect(staging.provider.aws[0].allowed_account_ids).toEqual(['111111111111']);
    expect(production.provider.aws[0].allowed_account_ids).toEqual(['222222222222']);
  });

  it('adds S3-native locking next to DynamoDB when use_lockfile is switched on', () => {
    const built = buildTestApp({}, { useLockfile: true });
    const staging = JSON.parse(Testing.synth(built.platforms.staging));
    expect(staging.terraform.backend.s3).toMatchObject({
      use_lockfile: true,
      dynamodb_table: 'ecg-video-pipeline-tflock',
    });
  });

  it('fails before building any stack when a setting is bad', () => {
    expect(() => buildTestApp({ ECG_REGION: 'seoul' })).toThrow(
      'settings.region seoul must be an AWS region like ap-northeast-2',
    );
  });
});
