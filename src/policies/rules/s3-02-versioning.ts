import { bucketConfigs, logBuckets } from '../s3';
import type { Rule } from '../types';
import { blocks, isTrue, show } from '../values';

export const s3Versioning: Rule = {
  id: 'ECG-S3-02',
  anchor: 2,
  scannerIds: ['CKV_AWS_21', 'AVD-AWS-0090'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_s3_bucket'],
  description: 'Every data bucket (all but log targets) has aws_s3_bucket_versioning with status Enabled.',
  checks: {
    missing: 'a data bucket has no versioning configuration',
    'not-enabled': 'a versioning configuration is not Enabled',
  },
  check(ctx) {
    const logs = logBuckets(ctx);
    return ctx.resources('aws_s3_bucket').flatMap((bucket) => {
      if (logs.has(bucket.address)) return [];
      const configs = bucketConfigs(ctx, 'aws_s3_bucket_versioning', bucket);
      const inline = blocks(bucket.values.versioning).some((v) => isTrue(v.enabled));
      if (configs.length === 0 && !inline) {
        return [
          ctx.finding(bucket, 'missing', 'has no aws_s3_bucket_versioning (data buckets must keep versions)'),
        ];
      }
      return configs.flatMap((config) => {
        const status = blocks(config.values.versioning_configuration)[0]?.status;
        return status === 'Enabled'
          ? []
          : [ctx.finding(config, 'not-enabled', `versioning status is ${show(status)} (must be "Enabled")`)];
      });
    });
  },
};
