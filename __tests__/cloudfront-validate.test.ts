import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformVariable, type TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { SecureBucket } from '../src/lib/secure-bucket';
import { Cloudfront, type CloudfrontProps } from '../src/modules/cloudfront';
import { errorOf, onlyResource, synthScope, type Json } from './support/synth';

/**
 * The CloudFront module's prop checks: each bad value with the whole report a user reads, and the
 * edge values that pass (the longest name prefix, the smallest and largest rate limit, ...).
 */

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const ALB_ARN =
  'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/p-e-alb/0123456789abcdef';

interface Ctx {
  readonly scope: Construct;
  readonly frontend: SecureBucket;
  readonly video: SecureBucket;
  readonly logs: SecureBucket;
  readonly usEast1: AwsProvider;
  /** A string known only at apply time (a Terraform variable). */
  readonly token: (name: string) => string;
}

type Overrides = Partial<CloudfrontProps> | ((c: Ctx) => Partial<CloudfrontProps>);

function build(overrides: Overrides = {}): Json {
  return synthScope((scope) => {
    const ctx: Ctx = {
      scope,
      frontend: new SecureBucket(scope, 'frontend', { bucketName: 'f-bucket' }),
      video: new SecureBucket(scope, 'video', { bucketName: 'v-bucket' }),
      logs: new SecureBucket(scope, 'logs', {
        bucketName: 'logs-bucket',
        objectOwnership: 'BucketOwnerPreferred',
      }),
      usEast1: new AwsProvider(scope, 'use1', { region: 'us-east-1', alias: 'use1' }),
      token: (name) => new TerraformVariable(scope, name, { type: 'string' }).stringValue,
    };
    new Cloudfront(scope, 'cdn', {
      namePrefix: 'p-e',
      frontendBucket: ctx.frontend,
      videoBucket: ctx.video,
      logsBucket: ctx.logs,
      albDnsName: 'alb.example.com',
      ...(typeof overrides === 'function' ? overrides(ctx) : overrides),
    });
  });
}

/** The report for `overrides`, one line per problem. */
const report = (overrides: Overrides) => errorOf(() => build(overrides));
/** The report of exactly one problem. */
const one = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;
const passes = (overrides: Overrides) => expect(() => build(overrides)).not.toThrow();
const withWaf =
  (extra: Partial<CloudfrontProps> = {}) =>
  (c: Ctx) => ({
    waf: true,
    usEast1Provider: c.usEast1,
    ...extra,
  });

describe('Cloudfront validation: names', () => {
  // CloudFront function names allow 64 characters; the longest suffix is -frontend-rewrite (17).
  it('takes a name prefix of 47 characters, and one of 1', () => {
    passes({ namePrefix: 'a'.repeat(47) });
    passes({ namePrefix: '7' });
    const json = build({ namePrefix: `a${'-'.repeat(46)}` });
    expect(Object.keys(json.resource.aws_cloudfront_function)).toHaveLength(2);
  });

  it.each([
    ['-p-e', 'starting with a hyphen'],
    ['P-e', 'with an upper-case letter'],
    ['Xp-e', 'with an upper-case first letter'],
    ['p_e', 'with an underscore'],
    ['p-e.', 'ending with a dot'],
    ['', 'empty'],
  ])('fails when the name prefix is %j (%s)', (namePrefix) => {
    expect(report({ namePrefix })).toBe(
      one(
        `stack/cdn.namePrefix ${namePrefix === '' ? '""' : namePrefix} must be 1-47 lowercase letters, digits or hyphens (CloudFront function names allow 64 characters)`,
      ),
    );
  });

  it('fails when the name prefix has 48 characters', () => {
    expect(report({ namePrefix: 'b'.repeat(48) })).toBe(
      one(
        `stack/cdn.namePrefix ${'b'.repeat(48)} must be 1-47 lowercase letters, digits or hyphens (CloudFront function names allow 64 characters)`,
      ),
    );
  });

  it('does not check a name prefix known only at apply time', () => {
    const json = build((c) => ({ namePrefix: c.token('prefix') }));
    expect(onlyResource(json, 'aws_cloudfront_distribution').tags).toEqual({ Name: '${var.prefix}-cdn' });
  });
});

describe('Cloudfront validation: buckets', () => {
  it('fails when the frontend and video bucket are one bucket', () => {
    expect(report((c) => ({ frontendBucket: c.video }))).toBe(
      one(
        'stack/cdn.frontendBucket stack/video must not be the video bucket (the whole frontend bucket is readable by CloudFront)',
      ),
    );
  });

  it('fails when the replica is the video bucket, or the frontend bucket', () => {
    const line = (path: string) =>
      one(
        `stack/cdn.videoReplicaBucket ${path} must be a copy of the video bucket in another region, not an origin bucket itself`,
      );
    expect(report((c) => ({ videoReplicaBucket: c.video }))).toBe(line('stack/video'));
    expect(report((c) => ({ videoReplicaBucket: c.frontend }))).toBe(line('stack/frontend'));
  });

  it('takes a replica bucket of its own', () => {
    passes((c) => ({ videoReplicaBucket: new SecureBucket(c.scope, 'replica', { bucketName: 'r-bucket' }) }));
  });

  it('fails when the logs bucket is the video bucket', () => {
    expect(
      report((c) => {
        const shared = new SecureBucket(c.scope, 'shared', {
          bucketName: 'shared-bucket',
          objectOwnership: 'BucketOwnerPreferred',
        });
        return { videoBucket: shared, logsBucket: shared };
      }),
    ).toBe(one('stack/cdn.logsBucket stack/shared must be a bucket of its own, not an origin bucket'));
  });

  it('fails when the logs bucket is the frontend bucket', () => {
    expect(
      report((c) => {
        const shared = new SecureBucket(c.scope, 'shared', {
          bucketName: 'shared-bucket',
          objectOwnership: 'BucketOwnerPreferred',
        });
        return { frontendBucket: shared, logsBucket: shared };
      }),
    ).toBe(one('stack/cdn.logsBucket stack/shared must be a bucket of its own, not an origin bucket'));
  });

  // CloudFront standard logging (legacy) writes with ACLs: BucketOwnerEnforced turns them off.
  it('fails when the logs bucket has ACLs disabled', () => {
    expect(
      report((c) => ({ logsBucket: new SecureBucket(c.scope, 'enforced', { bucketName: 'enforced-logs' }) })),
    ).toBe(
      one(
        'stack/cdn.logsBucket BucketOwnerEnforced must accept ACLs (objectOwnership BucketOwnerPreferred): CloudFront standard logging writes log files with ACLs',
      ),
    );
  });
});

describe('Cloudfront validation: distribution settings', () => {
  it.each(['a/', 'cloudfront-logs/2024/', "x!_.*'()-/"])('takes the log prefix %s', (logPrefix) =>
    passes({ logPrefix }),
  );

  it.each([
    ['cloudfront-logs', 'no trailing slash'],
    ['/cloudfront-logs/', 'a leading slash'],
    ['a//', 'an empty segment'],
    ['a/b', 'a last segment without slash'],
    ['cloud front/', 'a space'],
    ['/', 'only a slash'],
  ])('fails when the log prefix is %s (%s)', (logPrefix) => {
    expect(report({ logPrefix })).toBe(
      one(`stack/cdn.logPrefix ${logPrefix} must be an S3 key prefix ending in /`),
    );
  });

  it.each(['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const)('takes %s', (priceClass) => {
    expect(onlyResource(build({ priceClass }), 'aws_cloudfront_distribution').price_class).toBe(priceClass);
  });

  it('fails when the price class is unknown, naming the three', () => {
    expect(report({ priceClass: 'PriceClass_300' as never })).toBe(
      one(
        'stack/cdn.priceClass PriceClass_300 must be one of PriceClass_100, PriceClass_200, PriceClass_All',
      ),
    );
  });

  // CloudFront DefaultRootObject: at most 255 characters, no leading slash.
  it('takes a default root object of 255 characters', () => {
    passes({ defaultRootObject: `${'d'.repeat(250)}.html` });
    passes({ defaultRootObject: 'a' });
  });

  it.each([
    ['/index.html', 'a leading slash'],
    ['index .html', 'a space'],
    [`${'d'.repeat(251)}.html`, '256 characters'],
  ])('fails when the default root object is %j (%s)', (defaultRootObject) => {
    expect(report({ defaultRootObject })).toBe(
      one(
        `stack/cdn.defaultRootObject ${defaultRootObject} must be an object key without a leading slash, at most 255 characters`,
      ),
    );
  });

  it('fails when the default root object starts with a space, quoting it', () => {
    expect(report({ defaultRootObject: ' index.html' })).toBe(
      one(
        'stack/cdn.defaultRootObject " index.html" must be an object key without a leading slash, at most 255 characters (the value starts with a space)',
      ),
    );
  });

  it('fails when the default root object is empty', () => {
    expect(report({ defaultRootObject: '' })).toBe(
      one(
        'stack/cdn.defaultRootObject "" must be an object key without a leading slash, at most 255 characters',
      ),
    );
  });

  it.each([
    'alb.example.com',
    'P-E-ALB-1234567890.AP-NORTHEAST-2.ELB.AMAZONAWS.COM',
    'internal-p-e-alb-1.ap-northeast-2.elb.amazonaws.com',
    'a.b-c.io',
  ])('takes the ALB DNS name %s', (albDnsName) => passes({ albDnsName }));

  it.each([
    ['http://alb', 'a URL'],
    ['alb', 'one label'],
    ['alb.example.c', 'a one-letter top-level domain'],
    ['-alb.example.com', 'a label starting with a hyphen'],
    ['alb-.example.com', 'a label ending with a hyphen'],
    ['alb.example.com.', 'a trailing dot'],
    ['alb.example.com/x', 'a path'],
    ['_alb.example.com', 'an underscore first'],
  ])('fails when the ALB DNS name is %s (%s)', (albDnsName) => {
    expect(report({ albDnsName })).toBe(
      one(`stack/cdn.albDnsName ${albDnsName} must be a DNS name (the ALB dns_name)`),
    );
  });

  it('does not check an ALB DNS name known only at apply time', () => {
    const json = build((c) => ({ albDnsName: c.token('alb') }));
    const alb = (onlyResource(json, 'aws_cloudfront_distribution').origin as Json[]).find(
      (o) => o.origin_id === 'alb',
    )!;
    expect(alb.domain_name).toBe('${var.alb}');
  });
});

describe('Cloudfront validation: ALB origin', () => {
  it('fails when HTTPS to the ALB is asked without a VPC origin', () => {
    expect(report({ albOriginHttps: true })).toBe(
      one(
        'stack/cdn.albOriginHttps true needs vpcOriginAlbArn (a public ALB origin is reached on port 80 with the origin header)',
      ),
    );
  });

  it('takes HTTPS to a VPC origin, and albOriginHttps: false without one', () => {
    passes({ albOriginHttps: true, vpcOriginAlbArn: ALB_ARN });
    passes({ albOriginHttps: false });
  });

  it('fails when an origin header is asked with a VPC origin', () => {
    expect(report({ originSecretHeader: true, vpcOriginAlbArn: ALB_ARN })).toBe(
      one(
        'stack/cdn.originSecretHeader true is not used with vpcOriginAlbArn: an internal ALB is reachable only through the VPC origin',
      ),
    );
  });

  // ELB ARN formats: arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>.
  it.each([
    ['empty (no VPC origin would be created)', ''],
    [
      'a network load balancer',
      'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/net/api/0123456789abcdef',
    ],
    ['not an ARN', 'not-an-arn'],
    [
      'an ALB ARN with text before it',
      'x:arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/api/0123456789abcdef',
    ],
    [
      'an ALB ARN with more after its id',
      'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/api/0123456789abcdef/fedcba9876543210',
    ],
  ])('fails when the VPC origin ALB ARN is %s', (_, vpcOriginAlbArn) => {
    expect(report({ vpcOriginAlbArn })).toBe(
      one(
        `stack/cdn.vpcOriginAlbArn ${vpcOriginAlbArn === '' ? '""' : vpcOriginAlbArn} must be the ARN of an application load balancer (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)`,
      ),
    );
  });

  it('takes an ALB ARN in the China and GovCloud partitions', () => {
    passes({
      vpcOriginAlbArn:
        'arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/api/0123456789abcdef',
    });
    passes({
      vpcOriginAlbArn:
        'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/api/0123456789abcdef',
    });
  });

  it('takes an origin header without a VPC origin, and originSecretHeader: false with one', () => {
    passes({ originSecretHeader: true });
    passes({ originSecretHeader: false, vpcOriginAlbArn: ALB_ARN });
  });
});

describe('Cloudfront validation: WAF settings', () => {
  // AWS WAF rate-based rules: a limit from 10 to 2,000,000,000 requests per evaluation window.
  it.each([10, 2000000000])('takes a rate limit of %i', (wafRateLimitPer5Min) => {
    const json = build(withWaf({ wafRateLimitPer5Min }));
    const rule = (onlyResource(json, 'aws_wafv2_web_acl').rule as Json[])[0];
    expect(rule.statement.rate_based_statement.limit).toBe(wafRateLimitPer5Min);
  });

  it.each([9, 2000000001, 100.5])('fails when the rate limit is %d', (wafRateLimitPer5Min) => {
    expect(report(withWaf({ wafRateLimitPer5Min }))).toBe(
      one(`stack/cdn.wafRateLimitPer5Min ${wafRateLimitPer5Min} must be an integer from 10 to 2000000000`),
    );
  });

  it.each(['/', '/api/v1/', "/a-z._~!$&'()*+,;=:@%/"])('takes the rate-limit path prefix %s', (prefix) =>
    passes(withWaf({ wafRateLimitPathPrefix: prefix })),
  );

  it.each([
    ['api/', 'no leading slash'],
    ['x/api/', 'text before the slash'],
    ['/api /', 'a space'],
    ['/api?x=1', 'a query string'],
    ['', 'empty'],
  ])('fails when the rate-limit path prefix is %j (%s)', (prefix) => {
    expect(report(withWaf({ wafRateLimitPathPrefix: prefix }))).toBe(
      one(
        `stack/cdn.wafRateLimitPathPrefix ${prefix === '' ? '""' : prefix} must be a URI path starting with /`,
      ),
    );
  });

  it('fails for each bad upload path by index: not a path, /, or listed twice', () => {
    expect(report(withWaf({ wafUploadPaths: ['/api/ok', 'x/api', '/', '/api/ok'] }))).toBe(
      [
        'Invalid configuration (3 problems):',
        '  - stack/cdn.wafUploadPaths[1] x/api must be a URI path starting with /',
        '  - stack/cdn.wafUploadPaths[2] / would exempt every path from the body rules: name the upload endpoint',
        '  - stack/cdn.wafUploadPaths[3] /api/ok is listed twice',
      ].join('\n'),
    );
  });

  it('takes two different upload paths', () => passes(withWaf({ wafUploadPaths: ['/api/a', '/api/b'] })));

  it.each([['KR'], ['US', 'JP', 'KR']])('takes the countries %j', (...allowedCountries) =>
    passes(withWaf({ allowedCountries })),
  );

  it('fails for each country that is not two upper-case letters, or repeats', () => {
    expect(report(withWaf({ allowedCountries: ['US', 'K', 'KRX', 'kr', 'US', 'XKR'] }))).toBe(
      [
        'Invalid configuration (5 problems):',
        '  - stack/cdn.allowedCountries[1] K must be an ISO 3166-1 alpha-2 country code like KR',
        '  - stack/cdn.allowedCountries[2] KRX must be an ISO 3166-1 alpha-2 country code like KR',
        '  - stack/cdn.allowedCountries[3] kr must be an ISO 3166-1 alpha-2 country code like KR',
        '  - stack/cdn.allowedCountries[4] US is listed twice',
        '  - stack/cdn.allowedCountries[5] XKR must be an ISO 3166-1 alpha-2 country code like KR',
      ].join('\n'),
    );
  });

  it('takes a count-only rule name of letters, digits and underscores', () =>
    passes(withWaf({ wafCommonRuleSetCountOnly: ['SizeRestrictions_BODY', 'Rule2'] })));

  it('fails for each count-only rule that is not a rule name', () => {
    expect(
      report(withWaf({ wafCommonRuleSetCountOnly: ['NoUserAgent_HEADER', 'Size-Restrictions', 'x y', ''] })),
    ).toBe(
      [
        'Invalid configuration (3 problems):',
        '  - stack/cdn.wafCommonRuleSetCountOnly[1] Size-Restrictions must be a rule name of AWSManagedRulesCommonRuleSet like SizeRestrictions_BODY',
        '  - stack/cdn.wafCommonRuleSetCountOnly[2] x y must be a rule name of AWSManagedRulesCommonRuleSet like SizeRestrictions_BODY',
        '  - stack/cdn.wafCommonRuleSetCountOnly[3] "" must be a rule name of AWSManagedRulesCommonRuleSet like SizeRestrictions_BODY',
      ].join('\n'),
    );
  });

  // CloudWatch Logs accepts only these retention values (PutRetentionPolicy).
  it.each([1, 3653])('takes a WAF log retention of %i days', (wafLogRetentionDays) =>
    passes(withWaf({ wafLogRetentionDays })),
  );

  it('fails when the WAF log retention is not a CloudWatch Logs value', () => {
    expect(report(withWaf({ wafLogRetentionDays: 31 }))).toBe(
      one(
        'stack/cdn.wafLogRetentionDays 31 must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
      ),
    );
  });

  it('fails for every WAF-only setting given without waf', () => {
    expect(
      report({
        allowedCountries: ['KR'],
        wafCommonRuleSetCountOnly: ['SizeRestrictions_BODY'],
        wafUploadPaths: ['/api/uploads'],
      }),
    ).toBe(
      [
        'Invalid configuration (3 problems):',
        '  - stack/cdn.allowedCountries ["KR"] needs waf: true (the country allow-list is a WAF rule)',
        '  - stack/cdn.wafCommonRuleSetCountOnly ["SizeRestrictions_BODY"] needs waf: true',
        '  - stack/cdn.wafUploadPaths ["/api/uploads"] needs waf: true',
      ].join('\n'),
    );
  });

  it('takes waf: false with empty WAF-only settings', () =>
    passes({ waf: false, allowedCountries: [], wafCommonRuleSetCountOnly: [], wafUploadPaths: [] }));

  it('fails when waf has no provider', () => {
    expect(report({ waf: true })).toBe(
      one(
        'stack/cdn.usEast1Provider (unset) is required with waf: true (CloudFront web ACLs exist only in us-east-1)',
      ),
    );
  });

  it('fails when the WAF provider is an AWS provider of another region', () => {
    expect(
      report((c) => ({
        waf: true,
        usEast1Provider: new AwsProvider(c.scope, 'seoul', { region: 'ap-northeast-2', alias: 'seoul' }),
      })),
    ).toBe(
      one(
        'stack/cdn.usEast1Provider ap-northeast-2 must be an AWS provider for region us-east-1 (CloudFront web ACLs exist only there)',
      ),
    );
  });

  it('takes an AWS provider whose region is unset or known only at apply time', () => {
    passes((c) => ({
      waf: true,
      usEast1Provider: new AwsProvider(c.scope, 'noregion', { alias: 'noregion' }),
    }));
    passes((c) => ({
      waf: true,
      usEast1Provider: new AwsProvider(c.scope, 'tokenregion', {
        alias: 'tokenregion',
        region: c.token('region'),
      }),
    }));
  });

  it('cannot check the region of a provider that is not an AWS provider', () => {
    passes((c) => ({
      waf: true,
      usEast1Provider: new RandomProvider(c.scope, 'random') as TerraformProvider,
    }));
  });
});

describe('Cloudfront validation: custom domain', () => {
  it.each([['app.example.com'], ['*.example.com'], ['a.example.co', 'b-2.example.com']])(
    'takes the aliases %j with a us-east-1 certificate',
    (...aliases) => passes({ aliases, acmCertificateArn: CERT }),
  );

  it.each([
    ['App.example.com', 'an upper-case letter'],
    ['_app.example.com', 'an underscore first'],
    ['app.example.com_', 'an underscore last'],
    ['app.example.com.', 'a trailing dot'],
    ['example', 'one label'],
    ['app.example.c', 'a one-letter top-level domain'],
    ['-app.example.com', 'a label starting with a hyphen'],
    ['app-.example.com', 'a label ending with a hyphen'],
    ['a.*.example.com', 'a wildcard inside'],
  ])('fails when an alias is %s (%s)', (alias) => {
    expect(report({ aliases: ['ok.example.com', alias], acmCertificateArn: CERT })).toBe(
      one(`stack/cdn.aliases[1] ${alias} must be a DNS name`),
    );
  });

  it('fails when aliases come without a certificate', () => {
    expect(report({ aliases: ['app.example.com'] })).toBe(
      one(
        'stack/cdn.acmCertificateArn (unset) is required with aliases (CloudFront serves alternate names only with a matching certificate)',
      ),
    );
  });

  it('fails when a certificate comes without aliases', () => {
    const line = one(
      `stack/cdn.acmCertificateArn ${CERT} needs aliases (the certificate is only served for alternate domain names)`,
    );
    expect(report({ acmCertificateArn: CERT })).toBe(line);
    expect(report({ acmCertificateArn: CERT, aliases: [] })).toBe(line);
  });

  // CloudFront uses ACM certificates from us-east-1 only.
  it('fails when the certificate is in another region', () => {
    const seoul = CERT.replace('us-east-1', 'ap-northeast-2');
    expect(report({ aliases: ['app.example.com'], acmCertificateArn: seoul })).toBe(
      one(
        `stack/cdn.acmCertificateArn ${seoul} must be an ACM certificate ARN in us-east-1 (CloudFront uses certificates only from there)`,
      ),
    );
  });

  it('takes a certificate ARN known only at apply time', () => {
    const json = build((c) => ({ aliases: ['app.example.com'], acmCertificateArn: c.token('cert') }));
    expect(onlyResource(json, 'aws_cloudfront_distribution').viewer_certificate.acm_certificate_arn).toBe(
      '${var.cert}',
    );
  });
});

describe('Cloudfront validation: reporting', () => {
  it('reports every problem together, in the order of the props', () => {
    expect(
      report((c) => ({
        namePrefix: 'P',
        frontendBucket: c.video,
        logPrefix: 'logs',
        albDnsName: 'alb',
        priceClass: 'PriceClass_1' as never,
        defaultRootObject: '/',
        wafRateLimitPer5Min: 1,
        wafLogRetentionDays: 2,
        albOriginHttps: true,
        aliases: ['x'],
      })),
    ).toBe(
      [
        'Invalid configuration (11 problems):',
        '  - stack/cdn.namePrefix P must be 1-47 lowercase letters, digits or hyphens (CloudFront function names allow 64 characters)',
        '  - stack/cdn.frontendBucket stack/video must not be the video bucket (the whole frontend bucket is readable by CloudFront)',
        '  - stack/cdn.logPrefix logs must be an S3 key prefix ending in /',
        '  - stack/cdn.albDnsName alb must be a DNS name (the ALB dns_name)',
        '  - stack/cdn.priceClass PriceClass_1 must be one of PriceClass_100, PriceClass_200, PriceClass_All',
        '  - stack/cdn.defaultRootObject / must be an object key without a leading slash, at most 255 characters',
        '  - stack/cdn.wafRateLimitPer5Min 1 must be an integer from 10 to 2000000000',
        '  - stack/cdn.wafLogRetentionDays 2 must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
        '  - stack/cdn.albOriginHttps true needs vpcOriginAlbArn (a public ALB origin is reached on port 80 with the origin header)',
        '  - stack/cdn.aliases[0] x must be a DNS name',
        '  - stack/cdn.acmCertificateArn (unset) is required with aliases (CloudFront serves alternate names only with a matching certificate)',
      ].join('\n'),
    );
  });
});
