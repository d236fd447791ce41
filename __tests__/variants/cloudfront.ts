import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { productionConfig, resolveSettings, type EnvironmentConfig } from '../../src/config';
import { SecureBucket } from '../../src/lib/secure-bucket';
import { Cloudfront, type CloudfrontProps } from '../../src/modules/cloudfront';
import type { ScopedPlan } from '../support/plan-scope';

export const settings = resolveSettings({ context: () => undefined, env: {} });
export const ALB_DNS = 'ecg-alb-1234567890.ap-northeast-2.elb.amazonaws.com';
export const ALB_ARN =
  'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/ecg-production-alb/0123456789abcdef';
export const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

export interface Built {
  readonly cdn: Cloudfront;
  readonly frontend: SecureBucket;
  readonly video: SecureBucket;
  readonly logs: SecureBucket;
}

/** Adds the module as the platform stack would wire it from `cfg`, plus the buckets it needs. */
export function addCloudfront(
  scope: Construct,
  cfg: EnvironmentConfig,
  overrides: Partial<CloudfrontProps> = {},
): Built {
  const usEast1 =
    overrides.usEast1Provider ?? new AwsProvider(scope, 'aws-edge', { region: 'us-east-1', alias: 'edge' });
  const frontend = new SecureBucket(scope, 'frontend', { bucketName: 'ecg-frontend-test' });
  const video = new SecureBucket(scope, 'video', { bucketName: 'ecg-video-test' });
  const logs = new SecureBucket(scope, 'logs', {
    bucketName: 'ecg-cloudfront-logs-test',
    objectOwnership: 'BucketOwnerPreferred',
    versioned: false,
  });
  const cdn = new Cloudfront(scope, 'cdn', {
    namePrefix: `${settings.project}-${cfg.name}`,
    frontendBucket: frontend,
    videoBucket: video,
    logsBucket: logs,
    logPrefix: cfg.edge.logPrefix,
    albDnsName: ALB_DNS,
    vpcOriginAlbArn: cfg.alb.internetFacing ? undefined : ALB_ARN,
    albOriginHttps: !cfg.alb.internetFacing && cfg.alb.certificateArn !== undefined,
    priceClass: cfg.edge.priceClass,
    defaultRootObject: cfg.edge.defaultRootObject,
    originSecretHeader: cfg.alb.requireOriginHeader,
    waf: cfg.edge.waf,
    wafRateLimitPer5Min: cfg.edge.wafRateLimitPer5Min,
    allowedCountries: cfg.edge.allowedCountries,
    wafUploadPaths: cfg.edge.wafUploadPaths,
    aliases: cfg.edge.aliases,
    usEast1Provider: usEast1,
    ...overrides,
  });
  return { cdn, frontend, video, logs };
}

/**
 * Production wiring (VPC origin over HTTPS, geo allow-list, two upload paths,
 * WAF logging), plus a count-only WAF rule, an alias and its certificate.
 */
export function build(scope: Construct): void {
  // The plan's own us-east-1 provider (support/plan-scope.ts), where there is one: every provider
  // block starts two provider processes in a plan (validation, then planning).
  const planned = TerraformStack.of(scope).node.tryFindChild('aws-us-east-1');
  addCloudfront(scope, productionConfig(settings), {
    ...(planned instanceof AwsProvider ? { usEast1Provider: planned } : {}),
    albOriginHttps: true,
    wafUploadPaths: ['/api/uploads', '/api/videos/import'],
    wafCommonRuleSetCountOnly: ['NoUserAgent_HEADER'],
    aliases: ['app.example.com'],
    acmCertificateArn: CERT_ARN,
  });
}

/**
 * Plans against hashicorp/aws 5.100.0: the distribution, its OAC, functions and VPC origin, the WAF
 * with its log group and logging configuration, and the bucket policies.
 */
export function check(result: ScopedPlan): void {
  expect(result.resourceTypes).toMatchObject({
    aws_cloudfront_distribution: 1,
    aws_cloudfront_origin_access_control: 1,
    aws_cloudfront_function: 2,
    aws_cloudfront_vpc_origin: 1,
    aws_wafv2_web_acl: 1,
    aws_wafv2_web_acl_logging_configuration: 1,
    aws_cloudwatch_log_group: 1,
    aws_s3_bucket_policy: 3,
  });
  // Production sends no origin header (the ALB is private), so no random_password exists.
  expect(result.resourceTypes.random_password).toBeUndefined();
}
