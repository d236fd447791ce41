import { bucketConfigs, logBuckets, namesBucket } from '../s3';
import type { Rule } from '../types';
import { isSet } from '../values';

export const s3AccessLogging: Rule = {
  id: 'ECG-S3-04',
  configField: 'storage.accessLogging',
  anchor: 4,
  scannerIds: ['CKV_AWS_18', 'AVD-AWS-0089', 'AwsSolutions-S1'],
  environments: ['production'],
  resourceTypes: ['aws_s3_bucket'],
  description:
    'Every data bucket writes server access logs to another bucket (log targets themselves are exempt).',
  checks: {
    missing: 'a data bucket has no access logging',
    'logs-to-itself': 'a bucket logs into itself',
  },
  check(ctx) {
    const logs = logBuckets(ctx);
    return ctx.resources('aws_s3_bucket').flatMap((bucket) => {
      const configs = bucketConfigs(ctx, 'aws_s3_bucket_logging', bucket).filter((c) =>
        isSet(c.values.target_bucket),
      );
      const self = configs.filter((c) => namesBucket(ctx, c.values.target_bucket, bucket));
      if (self.length > 0) {
        return self.map((c) =>
          ctx.finding(c, 'logs-to-itself', 'writes access logs into the bucket it logs'),
        );
      }
      if (logs.has(bucket.address) || configs.length > 0) return [];
      return [
        ctx.finding(
          bucket,
          'missing',
          'has no aws_s3_bucket_logging (server access logs required in production)',
        ),
      ];
    });
  },
};
