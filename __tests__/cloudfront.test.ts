import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput } from 'cdktf';
import { productionConfig, stagingConfig, type EnvironmentConfig } from '../src/config';
import { SecureBucket } from '../src/lib/secure-bucket';
import {
  CLOUDFRONT_MANAGED_POLICIES,
  Cloudfront,
  ORIGIN_SECRET_HEADER_NAME,
  type CloudfrontProps,
} from '../src/modules/cloudfront';
import { COMMON_RULE_SET_XSS_RULES } from '../src/modules/cloudfront-waf';
import {
  FRONTEND_REWRITE_FUNCTION_CODE,
  VIDEOS_REWRITE_FUNCTION_CODE,
} from '../src/modules/cloudfront-functions';
import { onlyResource, resourcesOf, synthScope, type Json } from './support/synth';
import { ALB_ARN, ALB_DNS, CERT_ARN, addCloudfront, settings, type Built } from './variants/cloudfront';

function synth(
  cfg: EnvironmentConfig,
  overrides: Partial<CloudfrontProps> = {},
): { json: Json; built: Built } {
  let built: Built | undefined;
  const json = synthScope((scope) => {
    const b = addCloudfront(scope, cfg, overrides);
    built = b;
    // Outputs render the module's public fields, so tests see what a stack wiring them would get.
    const outputs: Record<string, string | undefined> = {
      distribution_id: b.cdn.distributionId,
      distribution_arn: b.cdn.distributionArn,
      domain_name: b.cdn.domainName,
      hosted_zone_id: b.cdn.hostedZoneId,
      url: b.cdn.url,
      web_acl_arn: b.cdn.webAclArn,
      origin_secret_header_value: b.cdn.originSecretHeaderValue,
    };
    for (const [id, value] of Object.entries(outputs)) {
      if (value !== undefined)
        new TerraformOutput(scope, id, { value, sensitive: id.startsWith('origin_secret') });
    }
  });
  return { json, built: built! };
}

/** Terraform name of the single resource of a type, for `${type.name.attr}` references. */
function ref(json: Json, type: string, attr: string): string {
  const names = Object.keys(resourcesOf(json, type));
  if (names.length !== 1) throw new Error(`expected exactly one ${type}, found ${names.length}`);
  return `\${${type}.${names[0]}.${attr}}`;
}

function bucketRef(json: Json, bucket: string, attr: string): string {
  const name = Object.keys(resourcesOf(json, 'aws_s3_bucket')).find((n) => n.startsWith(`${bucket}_`));
  return `\${aws_s3_bucket.${name}.${attr}}`;
}

/** The parsed policy document of one bucket's aws_s3_bucket_policy. */
function policyOf(json: Json, bucket: string): Json {
  const policies = Object.values(resourcesOf(json, 'aws_s3_bucket_policy')).filter(
    (p) => p.bucket === bucketRef(json, bucket, 'id'),
  );
  expect(policies).toHaveLength(1);
  return JSON.parse(policies[0].policy as string) as Json;
}

const presets = [
  ['staging', stagingConfig(settings)],
  ['production', productionConfig(settings)],
] as const;

describe.each(presets)('Cloudfront (%s preset)', (env, cfg) => {
  const { json, built } = synth(cfg);
  const dist = onlyResource(json, 'aws_cloudfront_distribution');
  const oacId = ref(json, 'aws_cloudfront_origin_access_control', 'id');
  const origins = dist.origin as Json[];
  const origin = (id: string) => origins.find((o) => o.origin_id === id)!;
  const behaviors = [dist.default_cache_behavior as Json, ...(dist.ordered_cache_behavior as Json[])];
  const ordered = (pattern: string) =>
    (dist.ordered_cache_behavior as Json[]).find((b) => b.path_pattern === pattern)!;

  // Only PriceClass_200 and PriceClass_All include the Korean edges (CloudFront developer guide,
  // "Choose the price class"): production serves Korean users from Korea, staging stays cheaper.
  const priceClass = env === 'production' ? 'PriceClass_200' : 'PriceClass_100';
  it(`is an enabled HTTP/2+3, IPv6, ${priceClass} distribution serving index.html at /`, () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(CloudfrontDistribution, {
      enabled: true,
      is_ipv6_enabled: true,
      http_version: 'http2and3',
      price_class: priceClass,
      default_root_object: 'index.html',
      tags: { Name: `ecg-video-pipeline-${env}-cdn` },
    });
  });

  it('logs to the logs bucket under cloudfront-logs/ without cookies (row 41)', () => {
    expect(dist.logging_config).toEqual({
      bucket: bucketRef(json, 'logs', 'bucket_domain_name'),
      prefix: 'cloudfront-logs/',
      include_cookies: false,
    });
  });

  // CloudFront rejects a standard-logging bucket without ACL access, and a new bucket has ACLs
  // disabled until its ownership controls apply (developer guide, "Configure standard logging").
  it('turns logging on only after the logs bucket accepts ACLs', () => {
    const [ownership] = Object.keys(resourcesOf(json, 'aws_s3_bucket_ownership_controls')).filter((n) =>
      n.startsWith('logs_'),
    );
    expect(resourcesOf(json, 'aws_s3_bucket_ownership_controls')[ownership].rule).toEqual({
      object_ownership: 'BucketOwnerPreferred',
    });
    expect(dist.depends_on).toContain(`aws_s3_bucket_ownership_controls.${ownership}`);
  });

  it('reads both buckets through one origin access control, s3 / sigv4 / always (row 41)', () => {
    expect(onlyResource(json, 'aws_cloudfront_origin_access_control')).toMatchObject({
      name: `ecg-video-pipeline-${env}-s3`,
      origin_access_control_origin_type: 's3',
      signing_behavior: 'always',
      signing_protocol: 'sigv4',
    });
    expect(origin('frontend')).toEqual({
      origin_id: 'frontend',
      domain_name: bucketRef(json, 'frontend', 'bucket_regional_domain_name'),
      origin_access_control_id: oacId,
    });
    expect(origin('videos')).toEqual({
      origin_id: 'videos',
      domain_name: bucketRef(json, 'video', 'bucket_regional_domain_name'),
      origin_access_control_id: oacId,
    });
    for (const o of origins.filter((x) => String(x.domain_name).includes('aws_s3_bucket'))) {
      expect(o.origin_access_control_id).toBe(oacId);
      expect(o.s3_origin_config).toBeUndefined();
    }
  });

  it(
    env === 'staging'
      ? 'sends /api/* to the public ALB over plain HTTP on port 80'
      : 'sends /api/* to the internal ALB through a CloudFront VPC origin (HTTP without a certificate)',
    () => {
      if (env === 'staging') {
        expect(origin('alb')).toMatchObject({
          domain_name: ALB_DNS,
          custom_origin_config: {
            http_port: 80,
            https_port: 443,
            origin_protocol_policy: 'http-only',
            origin_ssl_protocols: ['TLSv1.2'],
          },
        });
        expect(origin('alb').vpc_origin_config).toBeUndefined();
        expect(resourcesOf(json, 'aws_cloudfront_vpc_origin')).toEqual({});
      } else {
        expect(origin('alb')).toMatchObject({
          domain_name: ALB_DNS,
          vpc_origin_config: { vpc_origin_id: ref(json, 'aws_cloudfront_vpc_origin', 'id') },
        });
        expect(origin('alb').custom_origin_config).toBeUndefined();
        expect(onlyResource(json, 'aws_cloudfront_vpc_origin').vpc_origin_endpoint_config).toEqual([
          {
            name: 'ecg-video-pipeline-production-api-alb',
            arn: ALB_ARN,
            http_port: 80,
            https_port: 443,
            origin_protocol_policy: 'http-only',
            origin_ssl_protocols: [{ items: ['TLSv1.2'], quantity: 1 }],
          },
        ]);
      }
      expect(ordered('/api/*')).toEqual({
        path_pattern: '/api/*',
        target_origin_id: 'alb',
        viewer_protocol_policy: 'https-only',
        allowed_methods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
        cached_methods: ['GET', 'HEAD'],
        cache_policy_id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        origin_request_policy_id: '216adef6-5c7f-47e4-b989-5492eafa07d3',
        response_headers_policy_id: '67f7725c-6f97-4210-82d7-5512b31e9d03',
        compress: true,
      });
    },
  );

  it('serves the frontend by default through the rewrite function, cached and compressed', () => {
    expect(dist.default_cache_behavior).toEqual({
      target_origin_id: 'frontend',
      viewer_protocol_policy: 'redirect-to-https',
      allowed_methods: ['GET', 'HEAD', 'OPTIONS'],
      cached_methods: ['GET', 'HEAD'],
      cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      response_headers_policy_id: '67f7725c-6f97-4210-82d7-5512b31e9d03',
      compress: true,
      function_association: [
        {
          event_type: 'viewer-request',
          function_arn: `\${aws_cloudfront_function.${functionName(json, 'frontend')}.arn}`,
        },
      ],
    });
  });

  it('serves /videos/* uncompressed from the video bucket through the videos function', () => {
    expect(ordered('/videos/*')).toEqual({
      path_pattern: '/videos/*',
      target_origin_id: 'videos',
      viewer_protocol_policy: 'redirect-to-https',
      allowed_methods: ['GET', 'HEAD'],
      cached_methods: ['GET', 'HEAD'],
      cache_policy_id: 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d',
      response_headers_policy_id: '67f7725c-6f97-4210-82d7-5512b31e9d03',
      compress: false,
      function_association: [
        {
          event_type: 'viewer-request',
          function_arn: `\${aws_cloudfront_function.${functionName(json, 'videos')}.arn}`,
        },
      ],
    });
  });

  it('has no behavior that allows plain HTTP (row 38)', () => {
    expect(behaviors).toHaveLength(3);
    for (const b of behaviors)
      expect(['redirect-to-https', 'https-only']).toContain(b.viewer_protocol_policy);
  });

  it('publishes both functions inline on cloudfront-js-2.0', () => {
    const fns = resourcesOf(json, 'aws_cloudfront_function');
    expect(fns[functionName(json, 'frontend')]).toMatchObject({
      name: `ecg-video-pipeline-${env}-frontend-rewrite`,
      runtime: 'cloudfront-js-2.0',
      publish: true,
      code: FRONTEND_REWRITE_FUNCTION_CODE,
    });
    expect(fns[functionName(json, 'videos')]).toMatchObject({
      name: `ecg-video-pipeline-${env}-videos-rewrite`,
      runtime: 'cloudfront-js-2.0',
      publish: true,
      code: VIDEOS_REWRITE_FUNCTION_CODE,
    });
  });

  it('lets only this distribution read the frontend bucket, next to the TLS-only statement (rows 5, 7)', () => {
    const doc = policyOf(json, 'frontend');
    expect(doc.Statement).toEqual([
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' }),
      {
        Sid: 'AllowCloudFrontReadFrontend',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${bucketRef(json, 'frontend', 'arn')}/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': ref(json, 'aws_cloudfront_distribution', 'arn') } },
      },
    ]);
  });

  it('lets this distribution read only rendered/ of the video bucket (rows 5, 7)', () => {
    const doc = policyOf(json, 'video');
    expect(doc.Statement).toEqual([
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' }),
      {
        Sid: 'AllowCloudFrontReadRenderedVideos',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${bucketRef(json, 'video', 'arn')}/rendered/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': ref(json, 'aws_cloudfront_distribution', 'arn') } },
      },
    ]);
    for (const s of doc.Statement as Json[]) if (s.Effect === 'Allow') expect(s.Principal).not.toBe('*');
  });

  it('has no distribution-wide custom error responses and no geo restriction at the edge', () => {
    expect(dist.custom_error_response).toBeUndefined();
    expect(dist.restrictions).toEqual({ geo_restriction: { restriction_type: 'none' } });
  });

  it('uses the default certificate when no alias is configured', () => {
    expect(dist.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(dist.aliases).toBeUndefined();
  });

  it('exposes the distribution id, ARN, domain and https URL', () => {
    const cdn = built.cdn;
    const dist = ref(json, 'aws_cloudfront_distribution', 'id').replace(/\.id\}$/, '');
    const output = (id: string) => json.output?.[id]?.value as unknown;
    expect(output('distribution_id')).toBe(`${dist}.id}`);
    expect(output('distribution_arn')).toBe(`${dist}.arn}`);
    expect(output('domain_name')).toBe(`${dist}.domain_name}`);
    expect(output('hosted_zone_id')).toBe(`${dist}.hosted_zone_id}`);
    expect(output('url')).toBe(`https://${dist}.domain_name}`);
    expect(cdn.originSecretHeaderName).toBe('X-Origin-Verify');
  });

  if (env === 'staging') {
    it('has no WAF and no origin secret in staging', () => {
      expect(dist.web_acl_id).toBeUndefined();
      expect(resourcesOf(json, 'aws_wafv2_web_acl')).toEqual({});
      expect(resourcesOf(json, 'random_password')).toEqual({});
      expect(origin('alb').custom_header).toBeUndefined();
      expect(built.cdn.webAclArn).toBeUndefined();
      expect(built.cdn.originSecretHeaderValue).toBeUndefined();
    });
  } else {
    it('attaches a CLOUDFRONT web ACL created through the us-east-1 provider (row 40)', () => {
      const acl = onlyResource(json, 'aws_wafv2_web_acl');
      expect(dist.web_acl_id).toBe(ref(json, 'aws_wafv2_web_acl', 'arn'));
      expect(acl).toMatchObject({
        provider: 'aws.edge',
        name: 'ecg-video-pipeline-production-edge',
        scope: 'CLOUDFRONT',
        default_action: { allow: {} },
        visibility_config: {
          cloudwatch_metrics_enabled: true,
          metric_name: 'ecg-video-pipeline-production-edge',
          sampled_requests_enabled: true,
        },
      });
    });

    it('rate-limits each IP to 1000 requests per 5 minutes, then applies the AWS managed groups', () => {
      const rules = onlyResource(json, 'aws_wafv2_web_acl').rule as Json[];
      expect(rules.map((r) => [r.priority, r.name])).toEqual([
        [0, 'AllowedCountriesOnly'],
        [1, 'RateLimitPerIp'],
        [10, 'AWSManagedRulesCommonRuleSet'],
        [11, 'AWSManagedRulesKnownBadInputsRuleSet'],
        [12, 'AWSManagedRulesSQLiRuleSet'],
        [20, 'BodyRulesOutsideUploadPaths'],
      ]);
      expect(rules[0].statement).toEqual({
        not_statement: { statement: { geo_match_statement: { country_codes: ['KR', 'US', 'JP'] } } },
      });
      // Only /api/ requests count towards the limit: assets and video ranges behind a carrier NAT do not.
      expect(rules[1]).toMatchObject({
        action: { block: {} },
        statement: {
          rate_based_statement: {
            limit: 1000,
            aggregate_key_type: 'IP',
            evaluation_window_sec: 300,
            scope_down_statement: {
              byte_match_statement: {
                search_string: '/api/',
                positional_constraint: 'STARTS_WITH',
                field_to_match: { uri_path: {} },
                text_transformation: [{ priority: 0, type: 'NONE' }],
              },
            },
          },
        },
      });
      for (const r of rules.slice(2, 5)) {
        expect(r.override_action).toEqual({ none: {} });
        expect(r.statement.managed_rule_group_statement).toMatchObject({ name: r.name, vendor_name: 'AWS' });
      }
      // Every body rule only counts (and labels) in its group; rule 20 blocks the labelled requests
      // outside /api/uploads.
      const counted = (r: Json) =>
        (r.statement.managed_rule_group_statement.rule_action_override as Json[]).map((o) => {
          expect(o.action_to_use).toEqual({ count: {} });
          return o.name as string;
        });
      expect(counted(rules[2])).toEqual([
        'SizeRestrictions_BODY',
        'EC2MetaDataSSRF_BODY',
        'GenericLFI_BODY',
        'GenericRFI_BODY',
        'CrossSiteScripting_BODY',
      ]);
      expect(counted(rules[3])).toEqual(['JavaDeserializationRCE_BODY', 'Log4JRCE_BODY']);
      expect(counted(rules[4])).toEqual(['SQLi_BODY', 'SQLiExtendedPatterns_BODY']);
      const [labels, notUpload] = rules[5].statement.and_statement.statement as Json[];
      expect(rules[5].action).toEqual({ block: {} });
      expect(labels.or_statement.statement.map((x: Json) => x.label_match_statement)).toEqual(
        [
          'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body',
          'awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_Body',
          'awswaf:managed:aws:core-rule-set:GenericLFI_Body',
          'awswaf:managed:aws:core-rule-set:GenericRFI_Body',
          'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body',
          'awswaf:managed:aws:known-bad-inputs:JavaDeserializationRCE_Body',
          'awswaf:managed:aws:known-bad-inputs:Log4JRCE_Body',
          'awswaf:managed:aws:sql-database:SQLi_Body',
          'awswaf:managed:aws:sql-database:SQLiExtendedPatterns_Body',
        ].map((key) => ({ scope: 'LABEL', key })),
      );
      const decodedPath = (searchString: string, positionalConstraint: string) => ({
        byte_match_statement: {
          search_string: searchString,
          positional_constraint: positionalConstraint,
          field_to_match: { uri_path: {} },
          text_transformation: [
            { priority: 0, type: 'URL_DECODE' },
            { priority: 1, type: 'NORMALIZE_PATH' },
          ],
        },
      });
      expect(notUpload).toEqual({
        not_statement: {
          statement: {
            or_statement: {
              statement: [
                decodedPath('/api/uploads', 'EXACTLY'),
                decodedPath('/api/uploads/', 'STARTS_WITH'),
              ],
            },
          },
        },
      });
      for (const r of rules) {
        expect(r.visibility_config).toEqual({
          cloudwatch_metrics_enabled: true,
          metric_name: r.name,
          sampled_requests_enabled: true,
        });
      }
    });

    it('sends no origin header: the internal ALB is reachable only through the VPC origin', () => {
      expect(resourcesOf(json, 'random_password')).toEqual({});
      for (const o of origins) expect(o.custom_header).toBeUndefined();
      expect(json.output.origin_secret_header_value).toBeUndefined();
      expect(json.output.web_acl_arn.value).toBe(ref(json, 'aws_wafv2_web_acl', 'arn'));
    });

    it('logs the WAF to an aws-waf-logs- group in us-east-1, 30 days, authorization and cookie redacted', () => {
      const group = onlyResource(json, 'aws_cloudwatch_log_group');
      // CloudWatch Logs destinations of WAF must be named aws-waf-logs-* (AWS WAF developer guide).
      expect(group).toMatchObject({
        name: 'aws-waf-logs-ecg-video-pipeline-production-edge',
        retention_in_days: 30,
        provider: 'aws.edge',
      });
      expect(onlyResource(json, 'aws_wafv2_web_acl_logging_configuration')).toEqual({
        provider: 'aws.edge',
        resource_arn: ref(json, 'aws_wafv2_web_acl', 'arn'),
        log_destination_configs: [ref(json, 'aws_cloudwatch_log_group', 'arn')],
        redacted_fields: [
          { single_header: { name: 'authorization' } },
          { single_header: { name: 'cookie' } },
        ],
      });
    });
  }
});

/** Terraform name of the frontend or videos aws_cloudfront_function. */
function functionName(json: Json, which: 'frontend' | 'videos'): string {
  const name = Object.keys(resourcesOf(json, 'aws_cloudfront_function')).find((n) =>
    n.startsWith(`cdn_${which}-rewrite_`),
  );
  if (!name) throw new Error(`no ${which} function`);
  return name;
}

describe('Cloudfront options', () => {
  const production = productionConfig(settings);

  it('blocks every country outside the allow-list with a WAF geo rule', () => {
    const { json } = synth(production, { allowedCountries: ['KR', 'US', 'JP'] });
    const rules = onlyResource(json, 'aws_wafv2_web_acl').rule as Json[];
    expect(rules[0]).toEqual({
      name: 'AllowedCountriesOnly',
      priority: 0,
      action: { block: {} },
      statement: {
        not_statement: { statement: { geo_match_statement: { country_codes: ['KR', 'US', 'JP'] } } },
      },
      visibility_config: {
        cloudwatch_metrics_enabled: true,
        metric_name: 'AllowedCountriesOnly',
        sampled_requests_enabled: true,
      },
    });
  });

  it('protects against XSS through the common rule set (CrossSiteScripting_BODY re-blocked outside uploads)', () => {
    const { json } = synth(production);
    const rules = onlyResource(json, 'aws_wafv2_web_acl').rule as Json[];
    const common = rules.find((r) => r.name === 'AWSManagedRulesCommonRuleSet')!;
    const overridden = (common.statement.managed_rule_group_statement.rule_action_override as Json[]).map(
      (o) => o.name,
    );
    expect(COMMON_RULE_SET_XSS_RULES).toEqual([
      'CrossSiteScripting_COOKIE',
      'CrossSiteScripting_QUERYARGUMENTS',
      'CrossSiteScripting_BODY',
      'CrossSiteScripting_URIPATH',
    ]);
    for (const rule of [
      'CrossSiteScripting_COOKIE',
      'CrossSiteScripting_QUERYARGUMENTS',
      'CrossSiteScripting_URIPATH',
    ])
      expect(overridden).not.toContain(rule);
    // The body rule counts in the group and blocks, by its label, on every path but the uploads.
    expect(overridden).toContain('CrossSiteScripting_BODY');
    const reblock = rules.find((r) => r.name === 'BodyRulesOutsideUploadPaths')!;
    expect(reblock.action).toEqual({ block: {} });
    expect(reblock.statement.and_statement.statement[0].or_statement.statement).toContainEqual({
      label_match_statement: {
        scope: 'LABEL',
        key: 'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body',
      },
    });
  });

  it('exempts several upload paths from the body rules with one OR statement', () => {
    const { json } = synth(production, { wafUploadPaths: ['/api/uploads', '/api/imports/'] });
    const rule = (onlyResource(json, 'aws_wafv2_web_acl').rule as Json[]).find(
      (r) => r.name === 'BodyRulesOutsideUploadPaths',
    )!;
    const uploads = rule.statement.and_statement.statement[1].not_statement.statement.or_statement.statement;
    expect(
      uploads.map((x: Json) => [
        x.byte_match_statement.positional_constraint,
        x.byte_match_statement.search_string,
      ]),
    ).toEqual([
      ['EXACTLY', '/api/uploads'],
      ['STARTS_WITH', '/api/uploads/'],
      ['EXACTLY', '/api/imports'],
      ['STARTS_WITH', '/api/imports/'],
    ]);
  });

  it('blocks with every body rule everywhere when there is no upload path (no extra rule, no override)', () => {
    const { json } = synth(production, { wafUploadPaths: [] });
    const rules = onlyResource(json, 'aws_wafv2_web_acl').rule as Json[];
    expect(rules.map((r) => r.name)).not.toContain('BodyRulesOutsideUploadPaths');
    for (const r of rules.filter((x) => x.statement.managed_rule_group_statement)) {
      expect(r.statement.managed_rule_group_statement.rule_action_override, r.name).toBeUndefined();
    }
  });

  it('does not re-block a body rule the user set to count everywhere', () => {
    const { json } = synth(production, {
      wafUploadPaths: ['/api/uploads'],
      wafCommonRuleSetCountOnly: ['CrossSiteScripting_BODY', 'NoUserAgent_HEADER'],
    });
    const rules = onlyResource(json, 'aws_wafv2_web_acl').rule as Json[];
    const common = rules.find((r) => r.name === 'AWSManagedRulesCommonRuleSet')!;
    expect(
      (common.statement.managed_rule_group_statement.rule_action_override as Json[]).map((o) => o.name),
    ).toEqual([
      'CrossSiteScripting_BODY',
      'NoUserAgent_HEADER',
      'SizeRestrictions_BODY',
      'EC2MetaDataSSRF_BODY',
      'GenericLFI_BODY',
      'GenericRFI_BODY',
    ]);
    const labels = rules
      .find((r) => r.name === 'BodyRulesOutsideUploadPaths')!
      .statement.and_statement.statement[0].or_statement.statement.map(
        (x: Json) => x.label_match_statement.key,
      );
    expect(labels).toHaveLength(8);
    expect(labels).not.toContain('awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body');
  });

  it('connects to the VPC origin over HTTPS only when the ALB has a certificate', () => {
    const { json } = synth(production, { albOriginHttps: true });
    expect(onlyResource(json, 'aws_cloudfront_vpc_origin').vpc_origin_endpoint_config[0]).toMatchObject({
      origin_protocol_policy: 'https-only',
      https_port: 443,
    });
  });

  it('sends a generated X-Origin-Verify header to a public ALB, never a literal', () => {
    const { json } = synth(stagingConfig(settings), { originSecretHeader: true });
    const origins = onlyResource(json, 'aws_cloudfront_distribution').origin as Json[];
    expect(onlyResource(json, 'random_password')).toMatchObject({ length: 48, special: false });
    const secretRef = ref(json, 'random_password', 'result');
    expect(origins.find((o) => o.origin_id === 'alb')!.custom_header).toEqual([
      { name: ORIGIN_SECRET_HEADER_NAME, value: secretRef },
    ]);
    for (const o of origins.filter((x) => x.origin_id !== 'alb')) expect(o.custom_header).toBeUndefined();
    expect(json.output.origin_secret_header_value).toEqual({ value: secretRef, sensitive: true });
  });

  it('can let chosen common-rule-set rules only count', () => {
    const { json } = synth(production, {
      wafCommonRuleSetCountOnly: ['SizeRestrictions_BODY'],
      wafUploadPaths: [],
    });
    const common = (onlyResource(json, 'aws_wafv2_web_acl').rule as Json[]).find(
      (r) => r.name === 'AWSManagedRulesCommonRuleSet',
    )!;
    expect(common.statement.managed_rule_group_statement.rule_action_override).toEqual([
      { name: 'SizeRestrictions_BODY', action_to_use: { count: {} } },
    ]);
  });

  it('serves aliases with the ACM certificate over SNI and TLSv1.2_2021 (row 39)', () => {
    const { json } = synth(production, { aliases: ['app.example.com'], acmCertificateArn: CERT_ARN });
    const dist = onlyResource(json, 'aws_cloudfront_distribution');
    expect(dist.aliases).toEqual(['app.example.com']);
    expect(dist.viewer_certificate).toEqual({
      acm_certificate_arn: CERT_ARN,
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2021',
    });
  });

  it('falls back to the documented defaults for optional props', () => {
    const json = synthScope((scope) => {
      const frontend = new SecureBucket(scope, 'frontend', { bucketName: 'f-bucket' });
      const video = new SecureBucket(scope, 'video', { bucketName: 'v-bucket' });
      const logs = new SecureBucket(scope, 'logs', {
        bucketName: 'logs-bucket',
        objectOwnership: 'BucketOwnerPreferred',
      });
      new Cloudfront(scope, 'cdn', {
        namePrefix: 'p-e',
        frontendBucket: frontend,
        videoBucket: video,
        logsBucket: logs,
        albDnsName: ALB_DNS,
      });
    });
    const dist = onlyResource(json, 'aws_cloudfront_distribution');
    expect(dist).toMatchObject({
      price_class: 'PriceClass_100',
      default_root_object: 'index.html',
      logging_config: {
        bucket: bucketRef(json, 'logs', 'bucket_domain_name'),
        prefix: 'cloudfront-logs/',
        include_cookies: false,
      },
    });
    expect(dist.web_acl_id).toBeUndefined();
    expect(resourcesOf(json, 'random_password')).toEqual({});
  });

  it('exports the managed policy ids it uses', () => {
    expect(CLOUDFRONT_MANAGED_POLICIES).toEqual({
      cache: {
        cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        cachingOptimizedForUncompressedObjects: 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d',
      },
      originRequest: { allViewer: '216adef6-5c7f-47e4-b989-5492eafa07d3' },
      responseHeaders: { securityHeaders: '67f7725c-6f97-4210-82d7-5512b31e9d03' },
    });
  });
});

describe('Cloudfront validation', () => {
  const production = productionConfig(settings);
  const staging = stagingConfig(settings);
  const fails = (cfg: EnvironmentConfig, overrides: Partial<CloudfrontProps>) => () => synth(cfg, overrides);

  it('fails when the price class is unknown', () => {
    expect(fails(staging, { priceClass: 'PriceClass_300' as never })).toThrow(
      'stack/cdn.priceClass PriceClass_300 must be one of PriceClass_100, PriceClass_200, PriceClass_All',
    );
  });

  it('fails when the default root object starts with a slash', () => {
    expect(fails(staging, { defaultRootObject: '/index.html' })).toThrow(
      'stack/cdn.defaultRootObject /index.html must be an object key without a leading slash, at most 255 characters',
    );
  });

  it('fails when the log prefix does not end in /', () => {
    expect(fails(staging, { logPrefix: 'cloudfront-logs' })).toThrow(
      'stack/cdn.logPrefix cloudfront-logs must be an S3 key prefix ending in /',
    );
  });

  it('fails when the logs bucket has ACLs disabled (CloudFront standard logging writes with ACLs)', () => {
    expect(() =>
      synthScope((scope) => {
        const logs = new SecureBucket(scope, 'enforced', { bucketName: 'enforced-logs' });
        addCloudfront(scope, staging, { logsBucket: logs });
      }),
    ).toThrow(
      'stack/cdn.logsBucket BucketOwnerEnforced must accept ACLs (objectOwnership BucketOwnerPreferred): CloudFront standard logging writes log files with ACLs',
    );
  });

  it('fails when the logs bucket is an origin bucket', () => {
    expect(() =>
      synthScope((scope) => {
        const shared = new SecureBucket(scope, 'shared', {
          bucketName: 'shared-bucket',
          objectOwnership: 'BucketOwnerPreferred',
        });
        addCloudfront(scope, staging, { frontendBucket: shared, logsBucket: shared });
      }),
    ).toThrow('stack/cdn.logsBucket stack/shared must be a bucket of its own, not an origin bucket');
  });

  it('fails when the ALB DNS name is not a DNS name', () => {
    expect(fails(staging, { albDnsName: 'http://alb' })).toThrow(
      'stack/cdn.albDnsName http://alb must be a DNS name (the ALB dns_name)',
    );
  });

  it('fails when the name prefix would make CloudFront names too long', () => {
    expect(fails(staging, { namePrefix: 'x'.repeat(48) })).toThrow(
      `stack/cdn.namePrefix ${'x'.repeat(48)} must be 1-47 lowercase letters, digits or hyphens (CloudFront function names allow 64 characters)`,
    );
  });

  it('fails when the rate limit is below the WAF minimum', () => {
    expect(fails(production, { wafRateLimitPer5Min: 5 })).toThrow(
      'stack/cdn.wafRateLimitPer5Min 5 must be an integer from 10 to 2000000000',
    );
  });

  it('fails when a country code is not ISO alpha-2 or repeats', () => {
    expect(fails(production, { allowedCountries: ['KR', 'kor', 'KR'] })).toThrow(
      [
        'Invalid configuration (2 problems):',
        '  - stack/cdn.allowedCountries[1] kor must be an ISO 3166-1 alpha-2 country code like KR',
        '  - stack/cdn.allowedCountries[2] KR is listed twice',
      ].join('\n'),
    );
  });

  it('fails when WAF-only settings are given without waf', () => {
    expect(
      fails(staging, { allowedCountries: ['KR'], wafCommonRuleSetCountOnly: ['SizeRestrictions_BODY'] }),
    ).toThrow(
      [
        'Invalid configuration (2 problems):',
        '  - stack/cdn.allowedCountries ["KR"] needs waf: true (the country allow-list is a WAF rule)',
        '  - stack/cdn.wafCommonRuleSetCountOnly ["SizeRestrictions_BODY"] needs waf: true',
      ].join('\n'),
    );
  });

  it('fails when an upload path or the rate-limit path is not a URI path, is / or repeats', () => {
    expect(
      fails(production, {
        wafUploadPaths: ['api/uploads', '/api/a', '/api/a', '/'],
        wafRateLimitPathPrefix: 'api',
      }),
    ).toThrow(
      [
        'Invalid configuration (4 problems):',
        '  - stack/cdn.wafRateLimitPathPrefix api must be a URI path starting with /',
        '  - stack/cdn.wafUploadPaths[0] api/uploads must be a URI path starting with /',
        '  - stack/cdn.wafUploadPaths[2] /api/a is listed twice',
        '  - stack/cdn.wafUploadPaths[3] / would exempt every path from the body rules: name the upload endpoint',
      ].join('\n'),
    );
  });

  it('fails when the WAF log retention is not a CloudWatch Logs value', () => {
    expect(fails(production, { wafLogRetentionDays: 31 })).toThrow('stack/cdn.wafLogRetentionDays 31');
  });

  it('fails when HTTPS to the ALB is asked without a VPC origin, or a header with one', () => {
    expect(fails(staging, { albOriginHttps: true })).toThrow(
      'stack/cdn.albOriginHttps true needs vpcOriginAlbArn',
    );
    expect(fails(production, { originSecretHeader: true })).toThrow(
      'stack/cdn.originSecretHeader true is not used with vpcOriginAlbArn',
    );
  });

  it('fails when waf has no us-east-1 provider', () => {
    expect(fails(production, { usEast1Provider: undefined })).toThrow(
      'stack/cdn.usEast1Provider (unset) is required with waf: true (CloudFront web ACLs exist only in us-east-1)',
    );
  });

  it('fails when the WAF provider is not in us-east-1', () => {
    expect(() =>
      synthScope((scope) => {
        const seoul = new AwsProvider(scope, 'aws-seoul', { region: 'ap-northeast-2', alias: 'seoul' });
        addCloudfront(scope, production, { usEast1Provider: seoul });
      }),
    ).toThrow(
      'stack/cdn.usEast1Provider ap-northeast-2 must be an AWS provider for region us-east-1 (CloudFront web ACLs exist only there)',
    );
  });

  it('fails when the frontend and video bucket are the same bucket', () => {
    expect(() =>
      synthScope((scope) => {
        const bucket = new SecureBucket(scope, 'shared', { bucketName: 'shared-bucket' });
        addCloudfront(scope, staging, { frontendBucket: bucket, videoBucket: bucket });
      }),
    ).toThrow(
      'stack/cdn.frontendBucket stack/shared must not be the video bucket (the whole frontend bucket is readable by CloudFront)',
    );
  });

  it('fails when aliases come without a certificate, or a certificate without aliases', () => {
    expect(fails(staging, { aliases: ['app.example.com'] })).toThrow(
      'stack/cdn.acmCertificateArn (unset) is required with aliases (CloudFront serves alternate names only with a matching certificate)',
    );
    expect(fails(staging, { acmCertificateArn: CERT_ARN })).toThrow(
      `stack/cdn.acmCertificateArn ${CERT_ARN} needs aliases (the certificate is only served for alternate domain names)`,
    );
  });

  it('fails when the certificate is outside us-east-1 or an alias is not a DNS name', () => {
    const seoulCert = CERT_ARN.replace('us-east-1', 'ap-northeast-2');
    expect(fails(staging, { aliases: ['App_Example'], acmCertificateArn: seoulCert })).toThrow(
      [
        'Invalid configuration (2 problems):',
        '  - stack/cdn.aliases[0] App_Example must be a DNS name',
        `  - stack/cdn.acmCertificateArn ${seoulCert} must be an ACM certificate ARN in us-east-1 (CloudFront uses certificates only from there)`,
      ].join('\n'),
    );
  });
});
