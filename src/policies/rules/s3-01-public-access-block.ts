import { bucketConfigs } from '../s3';
import type { Rule } from '../types';
import { isTrue } from '../values';

const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export const s3PublicAccessBlock: Rule = {
  id: 'ECG-S3-01',
  anchor: 1,
  scannerIds: [
    'CKV2_AWS_6',
    'CKV_AWS_53',
    'CKV_AWS_54',
    'CKV_AWS_55',
    'CKV_AWS_56',
    'AVD-AWS-0086',
    'AVD-AWS-0087',
    'AVD-AWS-0091',
    'AVD-AWS-0093',
    'AVD-AWS-0094',
    'AwsSolutions-S2',
  ],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_public_access_block'],
  description: 'Every bucket has exactly one aws_s3_bucket_public_access_block, with all four flags true.',
  checks: {
    missing: 'the bucket has no public access block',
    duplicate: 'more than one public access block targets the bucket',
    'flag-off': 'a public access block leaves a flag off',
  },
  check(ctx) {
    const findings = ctx.resources('aws_s3_bucket').flatMap((bucket) => {
      const blocks = bucketConfigs(ctx, 'aws_s3_bucket_public_access_block', bucket);
      if (blocks.length === 0)
        return [ctx.finding(bucket, 'missing', 'has no aws_s3_bucket_public_access_block')];
      if (blocks.length > 1) {
        const list = blocks.map((b) => b.address).join(', ');
        return [
          ctx.finding(
            bucket,
            'duplicate',
            `has ${blocks.length} public access blocks (${list}); exactly one expected`,
          ),
        ];
      }
      return [];
    });
    for (const block of ctx.resources('aws_s3_bucket_public_access_block')) {
      const off = FLAGS.filter((f) => !isTrue(block.values[f]));
      if (off.length > 0)
        findings.push(ctx.finding(block, 'flag-off', `leaves ${off.join(', ')} off (all four must be true)`));
    }
    return findings;
  },
};
