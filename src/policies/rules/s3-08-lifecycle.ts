import { bucketConfigs } from '../s3';
import type { Json, Rule } from '../types';
import { blocks, isSet, num } from '../values';

/** A lifecycle rule with no filter, or a filter on the empty prefix, covers every object. */
function wholeBucket(rule: Json): boolean {
  if (isSet(rule.prefix)) return false;
  return blocks(rule.filter).every(
    (f) =>
      !isSet(f.prefix) &&
      blocks(f.and).length === 0 &&
      blocks(f.tag).length === 0 &&
      !isSet(f.object_size_greater_than) &&
      !isSet(f.object_size_less_than),
  );
}

export const s3Lifecycle: Rule = {
  id: 'ECG-S3-08',
  anchor: 8,
  scannerIds: ['CKV2_AWS_61', 'CKV_AWS_300'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_s3_bucket'],
  description:
    'Every bucket has a lifecycle configuration with an enabled rule, and a whole-bucket rule aborts incomplete multipart uploads.',
  checks: {
    missing: 'the bucket has no lifecycle configuration',
    'no-multipart-abort': 'no enabled whole-bucket rule aborts incomplete multipart uploads',
  },
  check(ctx) {
    return ctx.resources('aws_s3_bucket').flatMap((bucket) => {
      const configs = bucketConfigs(ctx, 'aws_s3_bucket_lifecycle_configuration', bucket);
      const rules = configs.flatMap((c) => blocks(c.values.rule)).filter((r) => r.status === 'Enabled');
      if (rules.length === 0) {
        return [
          ctx.finding(bucket, 'missing', 'has no aws_s3_bucket_lifecycle_configuration with an enabled rule'),
        ];
      }
      const aborts = rules.some(
        (r) =>
          wholeBucket(r) &&
          blocks(r.abort_incomplete_multipart_upload).some((a) => num(a.days_after_initiation) >= 1),
      );
      return aborts
        ? []
        : [
            ctx.finding(
              bucket,
              'no-multipart-abort',
              'has no enabled whole-bucket lifecycle rule that aborts incomplete multipart uploads',
            ),
          ];
    });
  },
};
