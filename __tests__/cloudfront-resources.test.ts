import { Script, createContext } from 'node:vm';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput } from 'cdktf';
import { SecureBucket } from '../src/lib/secure-bucket';
import { Cloudfront, type CloudfrontProps } from '../src/modules/cloudfront';
import { onlyResource, resourcesOf, synthScope, type Json } from './support/synth';

/**
 * The CloudFront module's resources read whole, for each prop that switches a resource or a field
 * on or off: the defaults, a video replica, the WAF, the origin secret, a VPC origin over HTTP and
 * HTTPS, and a custom domain. Every expected value is written out, references included (the
 * Terraform names are stable hashes of the construct paths).
 */

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const ALB_ARN =
  'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/p-e-alb/0123456789abcdef';
const ALB_DNS = 'p-e-alb-1234567890.ap-northeast-2.elb.amazonaws.com';

interface Buckets {
  readonly frontend: SecureBucket;
  readonly video: SecureBucket;
  readonly logs: SecureBucket;
  readonly replica: SecureBucket;
}

/**
 * The module with prefix `p-e`, its three buckets (and an unused replica bucket the overrides may
 * pass), a us-east-1 provider (alias `use1`) and an output for each public field.
 */
function build(overrides: (b: Buckets, usEast1: AwsProvider) => Partial<CloudfrontProps> = () => ({})): {
  json: Json;
  cdn: Cloudfront;
} {
  let cdn: Cloudfront | undefined;
  const json = synthScope((scope) => {
    const usEast1 = new AwsProvider(scope, 'use1', { region: 'us-east-1', alias: 'use1' });
    const buckets: Buckets = {
      frontend: new SecureBucket(scope, 'frontend', { bucketName: 'f-bucket' }),
      video: new SecureBucket(scope, 'video', { bucketName: 'v-bucket' }),
      logs: new SecureBucket(scope, 'logs', {
        bucketName: 'logs-bucket',
        objectOwnership: 'BucketOwnerPreferred',
      }),
      replica: new SecureBucket(scope, 'replica', { bucketName: 'r-bucket' }),
    };
    cdn = new Cloudfront(scope, 'cdn', {
      namePrefix: 'p-e',
      frontendBucket: buckets.frontend,
      videoBucket: buckets.video,
      logsBucket: buckets.logs,
      albDnsName: ALB_DNS,
      ...overrides(buckets, usEast1),
    });
    const outputs: Record<string, string | undefined> = {
      distribution_id: cdn.distributionId,
      distribution_arn: cdn.distributionArn,
      domain_name: cdn.domainName,
      hosted_zone_id: cdn.hostedZoneId,
      url: cdn.url,
      web_acl_arn: cdn.webAclArn,
      origin_secret_header_name: cdn.originSecretHeaderName,
      origin_secret_header_value: cdn.originSecretHeaderValue,
    };
    for (const [id, value] of Object.entries(outputs))
      if (value !== undefined) new TerraformOutput(scope, id, { value });
  });
  return { json, cdn: cdn! };
}

/** The policy document of one bucket, parsed. */
function bucketPolicy(json: Json, name: string): Json {
  return JSON.parse(resourcesOf(json, 'aws_s3_bucket_policy')[name].policy as string) as Json;
}

const outputs = (json: Json) =>
  Object.fromEntries(Object.entries(json.output as Json).map(([k, v]) => [k, (v as Json).value as unknown]));

/** Runs a function's synthesized code on a viewer request for `uri`, as CloudFront would. */
function runFunction(code: string, uri: string): unknown {
  const context = createContext({});
  new Script(code).runInContext(context);
  const result = (context.handler as (e: Json) => Json)({
    request: { uri, method: 'GET', querystring: {}, headers: {}, cookies: {} },
  });
  return 'statusCode' in result ? result.statusCode : result.uri;
}

const DIST = '${aws_cloudfront_distribution.cdn_distribution_0B80AA6B';
const OAC_ID = '${aws_cloudfront_origin_access_control.cdn_oac_4AA56697.id}';
const REPLICA_OAC_ID = '${aws_cloudfront_origin_access_control.cdn_oac-replica_0C333FF2.id}';
const FRONTEND_FN_ARN = '${aws_cloudfront_function.cdn_frontend-rewrite_B1610852.arn}';
const VIDEOS_FN_ARN = '${aws_cloudfront_function.cdn_videos-rewrite_D0DDCC62.arn}';
const WEB_ACL_ARN = '${aws_wafv2_web_acl.cdn_web-acl_77774CE5.arn}';
const SECRET = '${random_password.cdn_origin-secret_025CC845.result}';
const VPC_ORIGIN_ID = '${aws_cloudfront_vpc_origin.cdn_alb-vpc-origin_19CC0D03.id}';

const FRONTEND_ORIGIN = {
  origin_id: 'frontend',
  domain_name: '${aws_s3_bucket.frontend_bucket_EFDC2F3F.bucket_regional_domain_name}',
  origin_access_control_id: OAC_ID,
};
const VIDEOS_ORIGIN = {
  origin_id: 'videos',
  domain_name: '${aws_s3_bucket.video_bucket_127C0D89.bucket_regional_domain_name}',
  origin_access_control_id: OAC_ID,
};
/** A public ALB: a custom origin on port 80 (CloudFront custom origin, http-only). */
const PUBLIC_ALB_ORIGIN = {
  origin_id: 'alb',
  domain_name: ALB_DNS,
  custom_origin_config: {
    http_port: 80,
    https_port: 443,
    origin_protocol_policy: 'http-only',
    origin_ssl_protocols: ['TLSv1.2'],
  },
};
/** Managed-CachingOptimized, Managed-SecurityHeadersPolicy, the frontend rewrite function. */
const DEFAULT_BEHAVIOR = {
  target_origin_id: 'frontend',
  viewer_protocol_policy: 'redirect-to-https',
  allowed_methods: ['GET', 'HEAD', 'OPTIONS'],
  cached_methods: ['GET', 'HEAD'],
  cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  response_headers_policy_id: '67f7725c-6f97-4210-82d7-5512b31e9d03',
  compress: true,
  function_association: [{ event_type: 'viewer-request', function_arn: FRONTEND_FN_ARN }],
};
/** Managed-CachingDisabled and Managed-AllViewer: the API is never cached, gets every viewer header. */
const API_BEHAVIOR = {
  path_pattern: '/api/*',
  target_origin_id: 'alb',
  viewer_protocol_policy: 'https-only',
  allowed_methods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
  cached_methods: ['GET', 'HEAD'],
  cache_policy_id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  origin_request_policy_id: '216adef6-5c7f-47e4-b989-5492eafa07d3',
  response_headers_policy_id: '67f7725c-6f97-4210-82d7-5512b31e9d03',
  compress: true,
};
/** Managed-CachingOptimizedForUncompressedObjects: video is not compressed again at the edge. */
const videosBehavior = (target: string) => ({
  path_pattern: '/videos/*',
  target_origin_id: target,
  viewer_protocol_policy: 'redirect-to-https',
  allowed_methods: ['GET', 'HEAD'],
  cached_methods: ['GET', 'HEAD'],
  cache_policy_id: 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d',
  response_headers_policy_id: '67f7725c-6f97-4210-82d7-5512b31e9d03',
  compress: false,
  function_association: [{ event_type: 'viewer-request', function_arn: VIDEOS_FN_ARN }],
});
const TLS_ONLY_STATEMENT = (bucket: string) => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`\${aws_s3_bucket.${bucket}.arn}`, `\${aws_s3_bucket.${bucket}.arn}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
const readRendered = (bucket: string) => ({
  Sid: 'AllowCloudFrontReadRenderedVideos',
  Effect: 'Allow',
  Principal: { Service: 'cloudfront.amazonaws.com' },
  Action: 's3:GetObject',
  Resource: `\${aws_s3_bucket.${bucket}.arn}/rendered/*`,
  Condition: { StringEquals: { 'AWS:SourceArn': `${DIST}.arn}` } },
});

describe('Cloudfront with only the required props', () => {
  const { json, cdn } = build();

  it('creates the distribution, one origin access control, two functions and the bucket policies, nothing else', () => {
    expect(Object.keys(json.resource as Json).sort()).toEqual([
      'aws_cloudfront_distribution',
      'aws_cloudfront_function',
      'aws_cloudfront_origin_access_control',
      'aws_s3_bucket',
      'aws_s3_bucket_ownership_controls',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
    ]);
    expect(cdn.webAcl).toBeUndefined();
    expect(cdn.wafLogGroup).toBeUndefined();
    expect(cdn.wafLogging).toBeUndefined();
    expect(cdn.vpcOrigin).toBeUndefined();
    expect(cdn.originSecret).toBeUndefined();
    expect(cdn.replicaOriginAccessControl).toBeUndefined();
  });

  it('is a distribution with the defaults PriceClass_100, index.html, cloudfront-logs/ and the default certificate', () => {
    expect(onlyResource(json, 'aws_cloudfront_distribution')).toEqual({
      enabled: true,
      comment: 'p-e: frontend, /api/* and /videos/*',
      is_ipv6_enabled: true,
      http_version: 'http2and3',
      price_class: 'PriceClass_100',
      default_root_object: 'index.html',
      logging_config: {
        bucket: '${aws_s3_bucket.logs_bucket_5A22438C.bucket_domain_name}',
        prefix: 'cloudfront-logs/',
        include_cookies: false,
      },
      origin: [FRONTEND_ORIGIN, VIDEOS_ORIGIN, PUBLIC_ALB_ORIGIN],
      default_cache_behavior: DEFAULT_BEHAVIOR,
      ordered_cache_behavior: [API_BEHAVIOR, videosBehavior('videos')],
      restrictions: { geo_restriction: { restriction_type: 'none' } },
      viewer_certificate: { cloudfront_default_certificate: true },
      tags: { Name: 'p-e-cdn' },
      // Standard logging needs ACLs on the bucket: the distribution waits for its ownership controls.
      depends_on: ['aws_s3_bucket_ownership_controls.logs_ownership_3B1EA3ED'],
    });
  });

  it('reads the buckets through one origin access control, s3 / sigv4 / always', () => {
    expect(resourcesOf(json, 'aws_cloudfront_origin_access_control')).toEqual({
      cdn_oac_4AA56697: {
        name: 'p-e-s3',
        description: 'p-e: CloudFront reads the frontend and video buckets',
        origin_access_control_origin_type: 's3',
        signing_behavior: 'always',
        signing_protocol: 'sigv4',
      },
    });
  });

  it('publishes the two viewer-request functions, named by prefix, on cloudfront-js-2.0', () => {
    const fns = resourcesOf(json, 'aws_cloudfront_function');
    expect(Object.keys(fns).sort()).toEqual(['cdn_frontend-rewrite_B1610852', 'cdn_videos-rewrite_D0DDCC62']);
    const { code: frontendCode, ...frontend } = fns['cdn_frontend-rewrite_B1610852'];
    const { code: videosCode, ...videos } = fns['cdn_videos-rewrite_D0DDCC62'];
    expect(frontend).toEqual({
      name: 'p-e-frontend-rewrite',
      comment: 'Maps extension-less paths of the Next.js static export to .html / index.html',
      runtime: 'cloudfront-js-2.0',
      publish: true,
    });
    expect(videos).toEqual({
      name: 'p-e-videos-rewrite',
      comment: 'Maps /videos/<key> to rendered/<key> of the video bucket; refuses path traversal',
      runtime: 'cloudfront-js-2.0',
      publish: true,
    });
    // Each resource carries its own function: the frontend one maps routes, the videos one keys.
    expect(runFunction(frontendCode as string, '/about')).toBe('/about.html');
    expect(runFunction(frontendCode as string, '/videos/a.mp4')).toBe('/videos/a.mp4');
    expect(runFunction(videosCode as string, '/videos/a.mp4')).toBe('/rendered/a.mp4');
    expect(runFunction(videosCode as string, '/about')).toBe(404);
  });

  it('lets only this distribution read the whole frontend bucket and rendered/ of the video bucket', () => {
    expect(bucketPolicy(json, 'frontend_policy_51E591EE')).toEqual({
      Version: '2012-10-17',
      Statement: [
        TLS_ONLY_STATEMENT('frontend_bucket_EFDC2F3F'),
        {
          Sid: 'AllowCloudFrontReadFrontend',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: '${aws_s3_bucket.frontend_bucket_EFDC2F3F.arn}/*',
          Condition: { StringEquals: { 'AWS:SourceArn': `${DIST}.arn}` } },
        },
      ],
    });
    expect(bucketPolicy(json, 'video_policy_058B6E49')).toEqual({
      Version: '2012-10-17',
      Statement: [TLS_ONLY_STATEMENT('video_bucket_127C0D89'), readRendered('video_bucket_127C0D89')],
    });
    // The logs bucket and the unused replica get nothing from CloudFront.
    expect(bucketPolicy(json, 'logs_policy_7361357F').Statement).toEqual([
      TLS_ONLY_STATEMENT('logs_bucket_5A22438C'),
    ]);
    expect(bucketPolicy(json, 'replica_policy_BB1767E1').Statement).toEqual([
      TLS_ONLY_STATEMENT('replica_bucket_E0342801'),
    ]);
  });

  it('exposes the distribution id, ARN, domain, zone id and https URL, and the header name', () => {
    expect(outputs(json)).toEqual({
      distribution_id: `${DIST}.id}`,
      distribution_arn: `${DIST}.arn}`,
      domain_name: `${DIST}.domain_name}`,
      hosted_zone_id: `${DIST}.hosted_zone_id}`,
      url: `https://${DIST}.domain_name}`,
      origin_secret_header_name: 'X-Origin-Verify',
    });
  });
});

describe('Cloudfront with a video replica (origin group)', () => {
  const { json, cdn } = build((b) => ({ videoReplicaBucket: b.replica }));
  const dist = onlyResource(json, 'aws_cloudfront_distribution');

  it('gives the replica its own origin access control', () => {
    expect(cdn.replicaOriginAccessControl).toBeDefined();
    expect(resourcesOf(json, 'aws_cloudfront_origin_access_control')).toEqual({
      cdn_oac_4AA56697: {
        name: 'p-e-s3',
        description: 'p-e: CloudFront reads the frontend and video buckets',
        origin_access_control_origin_type: 's3',
        signing_behavior: 'always',
        signing_protocol: 'sigv4',
      },
      'cdn_oac-replica_0C333FF2': {
        name: 'p-e-s3-replica',
        description: 'p-e: CloudFront reads the video replica when the primary fails',
        origin_access_control_origin_type: 's3',
        signing_behavior: 'always',
        signing_protocol: 'sigv4',
      },
    });
  });

  it('gives up on the primary after 2 attempts of 5 s, then reads the replica origin', () => {
    expect(dist.origin).toEqual([
      FRONTEND_ORIGIN,
      { ...VIDEOS_ORIGIN, connection_attempts: 2, connection_timeout: 5 },
      {
        origin_id: 'videos-replica',
        domain_name: '${aws_s3_bucket.replica_bucket_E0342801.bucket_regional_domain_name}',
        origin_access_control_id: REPLICA_OAC_ID,
      },
      PUBLIC_ALB_ORIGIN,
    ]);
  });

  // Origin groups accept 400, 403, 404, 416, 429 and 500-504 as failover criteria (CloudFront
  // developer guide, "Create an origin group"); they fail over GET, HEAD and OPTIONS only.
  it('fails over /videos/* on 403, 404, 500, 502, 503 and 504 from the primary', () => {
    expect(dist.origin_group).toEqual([
      {
        origin_id: 'videos-failover',
        failover_criteria: { status_codes: [403, 404, 500, 502, 503, 504] },
        member: [{ origin_id: 'videos' }, { origin_id: 'videos-replica' }],
      },
    ]);
    expect(dist.ordered_cache_behavior).toEqual([API_BEHAVIOR, videosBehavior('videos-failover')]);
    expect(dist.default_cache_behavior).toEqual(DEFAULT_BEHAVIOR);
  });

  it('lets only this distribution read rendered/ of the replica, as of the primary', () => {
    expect(bucketPolicy(json, 'replica_policy_BB1767E1')).toEqual({
      Version: '2012-10-17',
      Statement: [TLS_ONLY_STATEMENT('replica_bucket_E0342801'), readRendered('replica_bucket_E0342801')],
    });
    expect(bucketPolicy(json, 'video_policy_058B6E49').Statement).toEqual([
      TLS_ONLY_STATEMENT('video_bucket_127C0D89'),
      readRendered('video_bucket_127C0D89'),
    ]);
  });
});

describe('Cloudfront with the WAF and its defaults', () => {
  const { json, cdn } = build((_b, usEast1) => ({ waf: true, usEast1Provider: usEast1 }));

  it('attaches a CLOUDFRONT web ACL made through the us-east-1 provider', () => {
    const { rule, ...acl } = onlyResource(json, 'aws_wafv2_web_acl');
    expect(acl).toEqual({
      provider: 'aws.use1',
      name: 'p-e-edge',
      description: 'p-e: managed rule groups and rate limit in front of CloudFront',
      scope: 'CLOUDFRONT',
      default_action: { allow: {} },
      visibility_config: {
        cloudwatch_metrics_enabled: true,
        metric_name: 'p-e-edge',
        sampled_requests_enabled: true,
      },
      tags: { Name: 'p-e-edge' },
    });
    // Defaults: no country rule, no count-only rule, no upload path (no re-block rule).
    expect((rule as Json[]).map((r) => r.name)).toEqual([
      'RateLimitPerIp',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesSQLiRuleSet',
    ]);
    expect(onlyResource(json, 'aws_cloudfront_distribution').web_acl_id).toBe(WEB_ACL_ARN);
    expect(outputs(json).web_acl_arn).toBe(WEB_ACL_ARN);
    expect(cdn.webAcl).toBeDefined();
  });

  it('counts 1000 requests per IP in 5 minutes under /api/ by default', () => {
    const rate = (onlyResource(json, 'aws_wafv2_web_acl').rule as Json[])[0].statement.rate_based_statement;
    expect(rate.limit).toBe(1000);
    expect(rate.scope_down_statement.byte_match_statement.search_string).toBe('/api/');
  });

  it('counts no rule of the common rule set by default', () => {
    const common = (onlyResource(json, 'aws_wafv2_web_acl').rule as Json[])[1];
    expect(common.statement.managed_rule_group_statement.rule_action_override).toBeUndefined();
  });

  // WAF writes to CloudWatch Logs only into a group named aws-waf-logs-*, in the ACL's region.
  it('logs to aws-waf-logs-p-e-edge in us-east-1 for 30 days, authorization and cookie redacted', () => {
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')).toEqual({
      'cdn_waf-logs_8C2DC094': {
        provider: 'aws.use1',
        name: 'aws-waf-logs-p-e-edge',
        retention_in_days: 30,
        tags: { Name: 'aws-waf-logs-p-e-edge' },
      },
    });
    expect(resourcesOf(json, 'aws_wafv2_web_acl_logging_configuration')).toEqual({
      'cdn_waf-logging_F5C5EB09': {
        provider: 'aws.use1',
        resource_arn: WEB_ACL_ARN,
        log_destination_configs: ['${aws_cloudwatch_log_group.cdn_waf-logs_8C2DC094.arn}'],
        redacted_fields: [
          { single_header: { name: 'authorization' } },
          { single_header: { name: 'cookie' } },
        ],
      },
    });
    expect(cdn.wafLogGroup).toBeDefined();
    expect(cdn.wafLogging).toBeDefined();
  });

  it('changes nothing else of the distribution', () => {
    const { json: plain } = build();
    expect(onlyResource(json, 'aws_cloudfront_distribution')).toEqual({
      ...onlyResource(plain, 'aws_cloudfront_distribution'),
      web_acl_id: WEB_ACL_ARN,
    });
  });
});

describe('Cloudfront WAF settings reach the web ACL', () => {
  const { json } = build((_b, usEast1) => ({
    waf: true,
    usEast1Provider: usEast1,
    wafRateLimitPer5Min: 2500,
    wafRateLimitPathPrefix: '/v1/',
    allowedCountries: ['KR', 'JP'],
    wafCommonRuleSetCountOnly: ['NoUserAgent_HEADER'],
    wafUploadPaths: ['/v1/uploads'],
    wafLogRetentionDays: 90,
  }));
  const rules = onlyResource(json, 'aws_wafv2_web_acl').rule as Json[];

  it('adds the country rule first and the re-block rule for the upload path last', () => {
    expect(rules.map((r) => r.name)).toEqual([
      'AllowedCountriesOnly',
      'RateLimitPerIp',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesSQLiRuleSet',
      'BodyRulesOutsideUploadPaths',
    ]);
    expect(rules[0].statement.not_statement.statement.geo_match_statement.country_codes).toEqual([
      'KR',
      'JP',
    ]);
    const uploads =
      rules[5].statement.and_statement.statement[1].not_statement.statement.or_statement.statement;
    expect(uploads.map((s: Json) => s.byte_match_statement.search_string)).toEqual([
      '/v1/uploads',
      '/v1/uploads/',
    ]);
  });

  it('uses the given rate limit and path prefix', () => {
    const rate = rules[1].statement.rate_based_statement;
    expect(rate.limit).toBe(2500);
    expect(rate.scope_down_statement.byte_match_statement.search_string).toBe('/v1/');
  });

  it('lets the named common rule count', () => {
    expect(
      (rules[2].statement.managed_rule_group_statement.rule_action_override as Json[]).map((o) => o.name),
    ).toContain('NoUserAgent_HEADER');
  });

  it('keeps the WAF log for the given retention', () => {
    expect(onlyResource(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(90);
  });
});

describe('Cloudfront with an origin secret header (public ALB)', () => {
  const { json, cdn } = build(() => ({ originSecretHeader: true }));

  it('generates a 48-character secret without special characters and sends it to the ALB only', () => {
    expect(resourcesOf(json, 'random_password')).toEqual({
      'cdn_origin-secret_025CC845': { length: 48, special: false },
    });
    expect(onlyResource(json, 'aws_cloudfront_distribution').origin).toEqual([
      FRONTEND_ORIGIN,
      VIDEOS_ORIGIN,
      { ...PUBLIC_ALB_ORIGIN, custom_header: [{ name: 'X-Origin-Verify', value: SECRET }] },
    ]);
    expect(outputs(json).origin_secret_header_value).toBe(SECRET);
    expect(cdn.originSecret).toBeDefined();
  });
});

describe('Cloudfront with an internal ALB (VPC origin)', () => {
  const vpcOrigin = (policy: string) => ({
    'cdn_alb-vpc-origin_19CC0D03': {
      vpc_origin_endpoint_config: [
        {
          name: 'p-e-api-alb',
          arn: ALB_ARN,
          http_port: 80,
          https_port: 443,
          origin_protocol_policy: policy,
          origin_ssl_protocols: [{ items: ['TLSv1.2'], quantity: 1 }],
        },
      ],
      tags: { Name: 'p-e-api-alb' },
    },
  });

  it('reaches the ALB over HTTP on port 80 through the VPC origin by default, with no custom origin config', () => {
    const { json, cdn } = build(() => ({ vpcOriginAlbArn: ALB_ARN }));
    expect(resourcesOf(json, 'aws_cloudfront_vpc_origin')).toEqual(vpcOrigin('http-only'));
    expect(onlyResource(json, 'aws_cloudfront_distribution').origin).toEqual([
      FRONTEND_ORIGIN,
      VIDEOS_ORIGIN,
      { origin_id: 'alb', domain_name: ALB_DNS, vpc_origin_config: { vpc_origin_id: VPC_ORIGIN_ID } },
    ]);
    expect(cdn.vpcOrigin).toBeDefined();
  });

  it('reaches it https-only when albOriginHttps is set', () => {
    const { json } = build(() => ({ vpcOriginAlbArn: ALB_ARN, albOriginHttps: true }));
    expect(resourcesOf(json, 'aws_cloudfront_vpc_origin')).toEqual(vpcOrigin('https-only'));
  });

  it('stays http-only with albOriginHttps: false', () => {
    const { json } = build(() => ({ vpcOriginAlbArn: ALB_ARN, albOriginHttps: false }));
    expect(resourcesOf(json, 'aws_cloudfront_vpc_origin')).toEqual(vpcOrigin('http-only'));
  });
});

describe('Cloudfront with a custom domain and non-default distribution settings', () => {
  const { json } = build(() => ({
    aliases: ['app.example.com', 'www.example.com'],
    acmCertificateArn: CERT,
    priceClass: 'PriceClass_All',
    defaultRootObject: 'home.html',
    logPrefix: 'edge/cdn/',
  }));
  const dist = onlyResource(json, 'aws_cloudfront_distribution');

  // CloudFront serves alternate names with an ACM certificate from us-east-1, SNI only
  // (dedicated IPs cost extra), TLSv1.2_2021 the recommended minimum policy.
  it('serves the aliases with the ACM certificate over SNI, TLSv1.2_2021 at least', () => {
    expect(dist.aliases).toEqual(['app.example.com', 'www.example.com']);
    expect(dist.viewer_certificate).toEqual({
      acm_certificate_arn: CERT,
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2021',
    });
  });

  it('takes the price class, root object and log prefix given', () => {
    expect(dist.price_class).toBe('PriceClass_All');
    expect(dist.default_root_object).toBe('home.html');
    expect(dist.logging_config).toEqual({
      bucket: '${aws_s3_bucket.logs_bucket_5A22438C.bucket_domain_name}',
      prefix: 'edge/cdn/',
      include_cookies: false,
    });
  });

  it('leaves origins and behaviours as without a domain', () => {
    expect(dist.origin).toEqual([FRONTEND_ORIGIN, VIDEOS_ORIGIN, PUBLIC_ALB_ORIGIN]);
    expect(dist.default_cache_behavior).toEqual(DEFAULT_BEHAVIOR);
    expect(dist.ordered_cache_behavior).toEqual([API_BEHAVIOR, videosBehavior('videos')]);
    expect(dist.origin_group).toBeUndefined();
    expect(dist.web_acl_id).toBeUndefined();
  });
});
