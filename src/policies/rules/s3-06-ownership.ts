import { bucketConfigs, cloudFrontLogBuckets } from '../s3';
import type { Rule } from '../types';
import { blocks, show } from '../values';

export const s3Ownership: Rule = {
  id: 'ECG-S3-06',
  anchor: 6,
  scannerIds: ['CKV2_AWS_65'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_s3_bucket'],
  description:
    'Every bucket has object ownership BucketOwnerEnforced (ACLs off); only a CloudFront standard-logging target may use BucketOwnerPreferred.',
  checks: {
    missing: 'the bucket has no ownership controls',
    'acls-enabled': 'the ownership setting keeps ACLs enabled where they are not needed',
  },
  check(ctx) {
    const cloudFrontLogs = cloudFrontLogBuckets(ctx);
    return ctx.resources('aws_s3_bucket').flatMap((bucket) => {
      const configs = bucketConfigs(ctx, 'aws_s3_bucket_ownership_controls', bucket);
      if (configs.length === 0) {
        return [
          ctx.finding(
            bucket,
            'missing',
            'has no aws_s3_bucket_ownership_controls (BucketOwnerEnforced expected)',
          ),
        ];
      }
      const allowed = cloudFrontLogs.has(bucket.address)
        ? ['BucketOwnerEnforced', 'BucketOwnerPreferred']
        : ['BucketOwnerEnforced'];
      return configs.flatMap((config) => {
        const ownership = blocks(config.values.rule)[0]?.object_ownership;
        return allowed.includes(ownership)
          ? []
          : [
              ctx.finding(
                config,
                'acls-enabled',
                `object_ownership is ${show(ownership)} (must be BucketOwnerEnforced; BucketOwnerPreferred only for a CloudFront log bucket)`,
              ),
            ];
      });
    });
  },
};
