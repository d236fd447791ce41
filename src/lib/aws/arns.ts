/**
 * ARN shapes the modules accept, one definition each. `arn:aws[a-z-]*` covers the aws, aws-cn and
 * aws-us-gov partitions (ARN format: docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
 */

const PARTITION = 'arn:aws[a-z-]*';

/**
 * A Secrets Manager secret ARN, without a `:json-key:version-stage:version-id` suffix. Names users
 * create allow ASCII letters, digits and `/_+=.@-`; secrets AWS services create for you add `!`
 * (RDS-managed master passwords are `rds!db-<id>`). The ARN ends in `-` plus six characters.
 */
export const SECRET_ARN_PATTERN = new RegExp(
  `^${PARTITION}:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$`,
);

/** An ACM certificate ARN in any region. */
export const ACM_CERTIFICATE_ARN_PATTERN = new RegExp(
  `^${PARTITION}:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]+$`,
);

/** An ACM certificate ARN in one region (CloudFront: us-east-1; an ALB: its own region). */
export function acmCertificateArnPattern(region: string): RegExp {
  return new RegExp(`^${PARTITION}:acm:${region.replace(/-/g, '\\-')}:\\d{12}:certificate/[0-9a-f-]+$`);
}

/** An S3 bucket ARN (bucket ARNs carry no region or account). */
export const BUCKET_ARN_PATTERN = new RegExp(`^${PARTITION}:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`);

/** A KMS key or alias ARN. */
export const KMS_KEY_ARN_PATTERN = new RegExp(
  `^${PARTITION}:kms:[a-z0-9-]+:\\d{12}:(key|alias)/[A-Za-z0-9/_-]+$`,
);

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
