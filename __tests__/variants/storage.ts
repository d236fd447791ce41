import { Id as RandomId } from '@cdktf/provider-random/lib/id';
import type { Construct } from 'constructs';
import { productionConfig, resolveSettings, type EnvironmentConfig } from '../../src/config';
import { Storage, type StorageProps } from '../../src/modules/storage';
import type { ScopedPlan } from '../support/plan-scope';

export const settings = resolveSettings({ context: () => undefined, env: {} });
/** Stands in for the distribution's domain that the platform stack substitutes for `cloudfront`. */
export const CLOUDFRONT_ORIGIN = 'https://d111111abcdef8.cloudfront.net';

/** What the platform stack does with an environment's storage config. */
export function props(
  config: EnvironmentConfig,
  suffix: string,
  overrides: Partial<StorageProps> = {},
): StorageProps {
  const s = config.storage;
  return {
    namePrefix: `${settings.project}-${config.name}`,
    suffix,
    corsAllowedOrigins: s.corsAllowedOrigins.map((o) => (o === 'cloudfront' ? CLOUDFRONT_ORIGIN : o)),
    tempExpireDays: s.tempExpireDays,
    uploadsToGlacierDays: s.uploadsToGlacierDays,
    renderedToGlacierIrDays: s.renderedToGlacierIrDays,
    noncurrentExpireDays: s.noncurrentExpireDays,
    abortMultipartDays: s.abortMultipartDays,
    logsExpireDays: s.logsExpireDays,
    transferAcceleration: s.transferAcceleration,
    accessLogging: s.accessLogging,
    preventDestroy: s.preventDestroy,
    ...overrides,
  };
}

/** Builds the module in `scope` with the stack's random suffix, as the platform stack does. */
export function buildStorage(
  scope: Construct,
  config: EnvironmentConfig,
  overrides: Partial<StorageProps> = {},
): Storage {
  const suffix = new RandomId(scope, 'suffix', { byteLength: 4 }).hex;
  return new Storage(scope, 'storage', props(config, suffix, overrides));
}

/** Production storage with transfer acceleration, an account id and one more CORS origin. */
export function build(scope: Construct): void {
  const storage = buildStorage(scope, productionConfig(settings), {
    transferAcceleration: true,
    accountId: '123456789012',
  });
  storage.addCorsAllowedOrigin('https://app.example.com');
}

/** Plans cleanly. */
export function check(result: ScopedPlan): void {
  expect(result.resourceTypes).toEqual({
    aws_s3_bucket: 3,
    aws_s3_bucket_public_access_block: 3,
    aws_s3_bucket_ownership_controls: 3,
    aws_s3_bucket_server_side_encryption_configuration: 3,
    aws_s3_bucket_policy: 3,
    aws_s3_bucket_lifecycle_configuration: 3,
    aws_s3_bucket_versioning: 2,
    aws_s3_bucket_logging: 2,
    aws_s3_bucket_cors_configuration: 1,
    aws_s3_bucket_accelerate_configuration: 1,
    ...(result.substitutedRandom.length > 0 ? {} : { random_id: 1 }),
  });
  expect(result.add).toBe(24 + (result.substitutedRandom.length > 0 ? 0 : 1));
}
