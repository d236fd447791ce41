import type { RuleContext, TfResource } from './types';
import { blocks, referenced } from './values';

/** Does `value` (a bucket argument: reference, name, ARN or domain) name `bucket`? */
export function namesBucket(ctx: RuleContext, value: unknown, bucket: TfResource): boolean {
  if (referenced(ctx, value, 'aws_s3_bucket').some((b) => b.address === bucket.address)) return true;
  const name = bucket.values.bucket;
  if (typeof value !== 'string' || typeof name !== 'string' || name.includes('${')) return false;
  return value === name || value === `arn:aws:s3:::${name}` || value.startsWith(`${name}.s3.`);
}

/** The bucket-level resources of `type` (aws_s3_bucket_versioning, ...) that configure `bucket`. */
export function bucketConfigs(ctx: RuleContext, type: string, bucket: TfResource): TfResource[] {
  return ctx.resources(type).filter((r) => namesBucket(ctx, r.values.bucket, bucket));
}

/** Buckets that receive logs: S3 server access logs, CloudFront standard logs, ALB access logs, flow logs. */
export function logBuckets(ctx: RuleContext): Set<string> {
  const targets: unknown[] = [
    ...ctx.resources('aws_s3_bucket_logging').map((r) => r.values.target_bucket),
    ...ctx.resources('aws_lb').flatMap((r) => blocks(r.values.access_logs).map((b) => b.bucket)),
    ...ctx.resources('aws_flow_log').map((r) => r.values.log_destination),
  ];
  const cloudFront = ctx
    .resources('aws_cloudfront_distribution')
    .flatMap((r) => blocks(r.values.logging_config).map((b) => b.bucket));
  const result = new Set<string>();
  for (const bucket of ctx.resources('aws_s3_bucket')) {
    if ([...targets, ...cloudFront].some((t) => namesBucket(ctx, t, bucket))) result.add(bucket.address);
  }
  return result;
}

/** Buckets CloudFront standard (legacy) logging writes to; they need ACLs enabled. */
export function cloudFrontLogBuckets(ctx: RuleContext): Set<string> {
  const targets = ctx
    .resources('aws_cloudfront_distribution')
    .flatMap((r) => blocks(r.values.logging_config).map((b) => b.bucket));
  return new Set(
    ctx
      .resources('aws_s3_bucket')
      .filter((bucket) => targets.some((t) => namesBucket(ctx, t, bucket)))
      .map((b) => b.address),
  );
}

/** The policy documents that apply to `bucket`: aws_s3_bucket_policy resources and an inline `policy`. */
export function bucketPolicies(
  ctx: RuleContext,
  bucket: TfResource,
): { owner: TfResource; policy: unknown }[] {
  const result = bucketConfigs(ctx, 'aws_s3_bucket_policy', bucket).map((p) => ({
    owner: p,
    policy: p.values.policy,
  }));
  if (bucket.values.policy !== undefined) result.push({ owner: bucket, policy: bucket.values.policy });
  return result;
}

/** The ways a policy names the bucket itself: its ARN attribute reference or its literal ARN. */
export function bucketArns(bucket: TfResource): string[] {
  const arns = [`\${${bucket.address}.arn}`];
  const name = bucket.values.bucket;
  if (typeof name === 'string' && !name.includes('${')) arns.push(`arn:aws:s3:::${name}`);
  return arns;
}
