import type { Json, Rule, RuleContext } from '../types';
import { blocks, isSet, referenced } from '../values';

const S3_DOMAIN = /\.s3[.-]([a-z0-9-]+\.)*amazonaws\.com$/;

/** An S3 REST origin: a bucket's domain name and no custom origin settings (website endpoints are custom origins). */
function isS3Origin(ctx: RuleContext, origin: Json): boolean {
  if (blocks(origin.custom_origin_config).length > 0) return false;
  const domain = origin.domain_name;
  if (referenced(ctx, domain, 'aws_s3_bucket').length > 0) return true;
  return typeof domain === 'string' && S3_DOMAIN.test(domain) && !domain.includes('s3-website');
}

export const cloudFrontLoggingOac: Rule = {
  id: 'ECG-CF-04',
  anchor: 41,
  scannerIds: ['CKV_AWS_86', 'AVD-AWS-0010', 'AwsSolutions-CFR3', 'CKV2_AWS_46', 'AwsSolutions-CFR7'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_cloudfront_distribution'],
  description:
    'Every distribution writes access logs (logging_config), and every S3 origin is read through an origin access control.',
  checks: {
    'no-logging': 'logging_config is missing or has no bucket',
    'no-oac': 'an S3 origin has no origin_access_control_id',
  },
  check(ctx) {
    return ctx.resources('aws_cloudfront_distribution').flatMap((d) => {
      const findings = [];
      if (!blocks(d.values.logging_config).some((l) => isSet(l.bucket))) {
        findings.push(ctx.finding(d, 'no-logging', 'has no logging_config with a bucket'));
      }
      for (const origin of blocks(d.values.origin).filter((o) => isS3Origin(ctx, o))) {
        if (!isSet(origin.origin_access_control_id)) {
          findings.push(
            ctx.finding(d, 'no-oac', `S3 origin ${origin.origin_id} has no origin_access_control_id`),
          );
        }
      }
      return findings;
    });
  },
};
