import { bucketConfigs } from '../s3';
import type { Rule } from '../types';
import { blocks } from '../values';

const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

export const s3Encryption: Rule = {
  id: 'ECG-S3-03',
  anchor: 3,
  scannerIds: ['CKV_AWS_19', 'CKV_AWS_145', 'AVD-AWS-0132'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_s3_bucket'],
  description:
    'Every bucket has a server-side encryption configuration with a default algorithm (AES256 or aws:kms).',
  checks: {
    missing: 'the bucket has no server-side encryption configuration',
    'no-default-encryption': 'the configuration sets no valid default algorithm',
  },
  check(ctx) {
    return ctx.resources('aws_s3_bucket').flatMap((bucket) => {
      const configs = bucketConfigs(ctx, 'aws_s3_bucket_server_side_encryption_configuration', bucket);
      if (configs.length === 0 && blocks(bucket.values.server_side_encryption_configuration).length === 0) {
        return [ctx.finding(bucket, 'missing', 'has no aws_s3_bucket_server_side_encryption_configuration')];
      }
      return configs.flatMap((config) => {
        const ok = blocks(config.values.rule).some((r) =>
          blocks(r.apply_server_side_encryption_by_default).some((d) => ALGORITHMS.includes(d.sse_algorithm)),
        );
        return ok
          ? []
          : [
              ctx.finding(
                config,
                'no-default-encryption',
                `sets no default sse_algorithm (${ALGORITHMS.join(', ')})`,
              ),
            ];
      });
    });
  },
};
