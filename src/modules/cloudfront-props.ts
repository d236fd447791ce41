/** Props of the CloudFront module (its own file, so the module and its validation share them). */
import type { TerraformProvider } from 'cdktf';
import type { SecureBucket } from '../lib/secure-bucket';

export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;

export interface CloudfrontProps {
  /** `<project>-<env>`, the prefix of every name this module gives a resource. */
  readonly namePrefix: string;
  /** Default origin: the Next.js static export, read through origin access control. */
  readonly frontendBucket: SecureBucket;
  /** Origin of `/videos/*`; CloudFront may read only its `rendered/` prefix. */
  readonly videoBucket: SecureBucket;
  /**
   * Cross-region replica of `videoBucket` (same keys). `/videos/*` then reads through an origin
   * group: the replica, with its own origin access control and bucket policy statement, answers
   * when the primary fails with one of `VIDEO_FAILOVER_STATUS_CODES`. Origin groups fail over GET,
   * HEAD and OPTIONS only, which is all `/videos/*` allows; uploads never pass here.
   * @default none - `/videos/*` reads the primary only
   */
  readonly videoReplicaBucket?: SecureBucket;
  /**
   * Bucket of the standard (legacy) access logs, named by its `bucket_domain_name`
   * (`<bucket>.s3.amazonaws.com`). Standard logging writes with ACLs: CloudFront rejects a bucket
   * without ACL access, so the bucket must not use `BucketOwnerEnforced`, and the distribution
   * waits for its ownership controls (CloudFront developer guide, "Configure standard logging
   * (legacy)").
   */
  readonly logsBucket: SecureBucket;
  /** Key prefix of the access logs. @default 'cloudfront-logs/' */
  readonly logPrefix?: string;
  /** DNS name of the ALB, origin of `/api/*`. */
  readonly albDnsName: string;
  /**
   * ARN of an internal ALB: CloudFront reaches it through a CloudFront VPC origin (an
   * `aws_cloudfront_vpc_origin`), so the ALB needs no public address, and no secret header.
   * @default none - the ALB is a public custom origin at `albDnsName`
   */
  readonly vpcOriginAlbArn?: string;
  /**
   * CloudFront connects to the VPC origin over HTTPS on 443 (the ALB has a certificate).
   * Needs `vpcOriginAlbArn`.
   * @default false - HTTP on port 80
   */
  readonly albOriginHttps?: boolean;
  /** @default 'PriceClass_100' - North America, Europe, Israel */
  readonly priceClass?: (typeof PRICE_CLASSES)[number];
  /** Object served for `/`. @default 'index.html' */
  readonly defaultRootObject?: string;
  /**
   * Send a generated secret header (`X-Origin-Verify`, random, 48 characters) to the ALB, so the
   * ALB can refuse requests that bypass CloudFront; the listener rule that checks it belongs to
   * the ALB and uses `originSecretHeaderName` / `originSecretHeaderValue`.
   * @default false - no header
   */
  readonly originSecretHeader?: boolean;
  /** Attach an AWS WAFv2 web ACL (scope CLOUDFRONT) to the distribution. @default false */
  readonly waf?: boolean;
  /** Requests one IP may send in 5 minutes before the WAF blocks it. @default 1000 */
  readonly wafRateLimitPer5Min?: number;
  /**
   * URI path prefix the per-IP rate limit counts (a scope-down statement): static assets and
   * video range requests from many users behind one carrier NAT address are not counted.
   * @default '/api/'
   */
  readonly wafRateLimitPathPrefix?: string;
  /**
   * URI paths of the API that take file content in the request body (e.g. `['/api/uploads']`);
   * each covers the path itself and everything below it, after URL decoding and path
   * normalization. There, the body-inspecting rules of the managed groups (size, XSS, SQLi, LFI,
   * RFI, SSRF, Log4j, Java deserialization: `WAF_BODY_RULES`) only count; everywhere else a rule
   * after the groups blocks what they labelled. Headers, query strings, cookies and the URI path of
   * an upload are still inspected. Video files do not come this way: they go to S3 with presigned
   * URLs, which neither CloudFront nor the WAF sees.
   * @default [] - every body rule blocks everywhere
   */
  readonly wafUploadPaths?: readonly string[];
  /** Retention of the WAF log group (`aws-waf-logs-<namePrefix>-edge`, us-east-1). @default 30 */
  readonly wafLogRetentionDays?: number;
  /**
   * ISO 3166-1 alpha-2 codes (e.g. `['KR', 'US', 'JP']`); the WAF blocks every other country.
   * Needs `waf`. @default [] - every country allowed
   */
  readonly allowedCountries?: readonly string[];
  /**
   * Rules of AWSManagedRulesCommonRuleSet that only count instead of block, e.g.
   * `['SizeRestrictions_BODY']` when the API takes request bodies over 8 KB.
   * @default [] - every rule blocks
   */
  readonly wafCommonRuleSetCountOnly?: readonly string[];
  /**
   * An AWS provider for us-east-1: CloudFront-scoped web ACLs exist only there. Required with `waf`.
   * @default none
   */
  readonly usEast1Provider?: TerraformProvider;
  /** Alternate domain names (CNAMEs). Need `acmCertificateArn`. @default [] - the cloudfront.net name only */
  readonly aliases?: readonly string[];
  /**
   * ACM certificate in us-east-1 covering `aliases`; served with SNI and TLSv1.2_2021 at least.
   * @default none - the default *.cloudfront.net certificate
   */
  readonly acmCertificateArn?: string;
}
