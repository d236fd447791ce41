import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontVpcOrigin } from '@cdktf/provider-aws/lib/cloudfront-vpc-origin';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { Password } from '@cdktf/provider-random/lib/password';
import { Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { acmCertificateArnPattern } from '../lib/aws/arns';
import { LOG_RETENTION_DAYS } from '../lib/aws/limits';
import type { SecureBucket } from '../lib/secure-bucket';
import { FRONTEND_REWRITE_FUNCTION_CODE, VIDEOS_REWRITE_FUNCTION_CODE } from './cloudfront-functions';
import { visibility, wafRules } from './cloudfront-waf';

/**
 * AWS managed CloudFront policies, by id. They are fixed, documented ids, used as constants so
 * that plan needs no data source (DeveloperGuide: using-managed-cache-policies,
 * using-managed-origin-request-policies, using-managed-response-headers-policies).
 */
export const CLOUDFRONT_MANAGED_POLICIES = {
  cache: {
    /** Managed-CachingOptimized: no query strings or cookies in the key, gzip/brotli. */
    cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    /** Managed-CachingDisabled: TTL 0, nothing in the key. */
    cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
    /** Managed-CachingOptimizedForUncompressedObjects: as CachingOptimized, without compression. */
    cachingOptimizedForUncompressedObjects: 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d',
  },
  originRequest: {
    /** Managed-AllViewer: every viewer header, cookie and query string goes to the origin. */
    allViewer: '216adef6-5c7f-47e4-b989-5492eafa07d3',
  },
  responseHeaders: {
    /** Managed-SecurityHeadersPolicy: HSTS, nosniff, X-Frame-Options, Referrer-Policy, XSS. */
    securityHeaders: '67f7725c-6f97-4210-82d7-5512b31e9d03',
  },
} as const satisfies Record<string, Record<string, string>>;

/** Header CloudFront adds to every request to the ALB when `originSecretHeader` is on. */
export const ORIGIN_SECRET_HEADER_NAME = 'X-Origin-Verify';

/** Headers WAF logs never contain: credentials and session cookies. */
export const WAF_REDACTED_HEADERS = ['authorization', 'cookie'] as const;

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
const ORIGIN = { frontend: 'frontend', videos: 'videos', alb: 'alb' } as const;
/** Longest suffix appended to `namePrefix` (`-frontend-rewrite`); CloudFront names allow 64. */
const MAX_NAME_PREFIX = 64 - '-frontend-rewrite'.length;

export interface CloudfrontProps {
  /** `<project>-<env>`, the prefix of every name this module gives a resource. */
  readonly namePrefix: string;
  /** Default origin: the Next.js static export, read through origin access control. */
  readonly frontendBucket: SecureBucket;
  /** Origin of `/videos/*`; CloudFront may read only its `rendered/` prefix. */
  readonly videoBucket: SecureBucket;
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

/**
 * The CloudFront distribution in front of the platform: the static frontend (default), `/api/*`
 * to the ALB and `/videos/*` to the rendered videos, with standard logging, origin access
 * control for both buckets (and their policy statements), two viewer-request functions, and
 * optionally a WAF web ACL, a secret origin header for the ALB and a custom domain.
 */
export class Cloudfront extends Construct {
  public readonly distribution: CloudfrontDistribution;
  public readonly originAccessControl: CloudfrontOriginAccessControl;
  public readonly frontendFunction: CloudfrontFunction;
  public readonly videosFunction: CloudfrontFunction;
  public readonly webAcl?: Wafv2WebAcl;
  /** The web ACL's log group in us-east-1; set with `waf`. */
  public readonly wafLogGroup?: CloudwatchLogGroup;
  public readonly wafLogging?: Wafv2WebAclLoggingConfiguration;
  /** The VPC origin of the internal ALB; set with `vpcOriginAlbArn`. */
  public readonly vpcOrigin?: CloudfrontVpcOrigin;
  /** The generated origin secret (random_password); set with `originSecretHeader`. */
  public readonly originSecret?: Password;
  public readonly distributionId: string;
  public readonly distributionArn: string;
  /** `<id>.cloudfront.net`. */
  public readonly domainName: string;
  /** Route 53 zone id for alias records to the distribution. */
  public readonly hostedZoneId: string;
  /** `https://<domainName>`. */
  public readonly url: string;
  /** ARN of the web ACL; set with `waf`. */
  public readonly webAclArn?: string;
  public readonly originSecretHeaderName: string = ORIGIN_SECRET_HEADER_NAME;
  /** Token of the generated header value (never a literal); set with `originSecretHeader`. */
  public readonly originSecretHeaderValue?: string;

  constructor(scope: Construct, id: string, props: CloudfrontProps) {
    super(scope, id);
    const priceClass = props.priceClass ?? 'PriceClass_100';
    const defaultRootObject = props.defaultRootObject ?? 'index.html';
    const logPrefix = props.logPrefix ?? 'cloudfront-logs/';
    const waf = props.waf ?? false;
    const rateLimit = props.wafRateLimitPer5Min ?? 1000;
    const allowedCountries = props.allowedCountries ?? [];
    const countOnly = props.wafCommonRuleSetCountOnly ?? [];
    const aliases = props.aliases ?? [];
    const ratePathPrefix = props.wafRateLimitPathPrefix ?? '/api/';
    const uploadPaths = props.wafUploadPaths ?? [];
    const logRetention = props.wafLogRetentionDays ?? 30;
    validate(this.node.path, props, {
      ratePathPrefix,
      uploadPaths,
      logRetention,
      priceClass,
      defaultRootObject,
      logPrefix,
      waf,
      rateLimit,
      allowedCountries,
      countOnly,
      aliases,
    });
    const { namePrefix } = props;

    this.originAccessControl = new CloudfrontOriginAccessControl(this, 'oac', {
      name: `${namePrefix}-s3`,
      description: `${namePrefix}: CloudFront reads the frontend and video buckets`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });

    this.frontendFunction = new CloudfrontFunction(this, 'frontend-rewrite', {
      name: `${namePrefix}-frontend-rewrite`,
      comment: 'Maps extension-less paths of the Next.js static export to .html / index.html',
      runtime: 'cloudfront-js-2.0',
      code: FRONTEND_REWRITE_FUNCTION_CODE,
      publish: true,
    });
    this.videosFunction = new CloudfrontFunction(this, 'videos-rewrite', {
      name: `${namePrefix}-videos-rewrite`,
      comment: 'Maps /videos/<key> to rendered/<key> of the video bucket; refuses path traversal',
      runtime: 'cloudfront-js-2.0',
      code: VIDEOS_REWRITE_FUNCTION_CODE,
      publish: true,
    });

    if (props.originSecretHeader) {
      this.originSecret = new Password(this, 'origin-secret', { length: 48, special: false });
      this.originSecretHeaderValue = this.originSecret.result;
    }

    if (waf) {
      this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
        // CloudFront-scoped ACLs live in us-east-1 whatever the stack's region.
        provider: props.usEast1Provider,
        name: `${namePrefix}-edge`,
        description: `${namePrefix}: managed rule groups and rate limit in front of CloudFront`,
        scope: 'CLOUDFRONT',
        defaultAction: { allow: {} },
        rule: wafRules({ rateLimit, ratePathPrefix, allowedCountries, countOnly, uploadPaths }),
        visibilityConfig: visibility(`${namePrefix}-edge`),
        tags: { Name: `${namePrefix}-edge` },
      });
      this.webAclArn = this.webAcl.arn;
      // WAF delivers to CloudWatch Logs only into a group whose name starts with aws-waf-logs-, in
      // the web ACL's region: us-east-1 for CloudFront (AWS WAF developer guide, "Sending web ACL
      // traffic logs to an Amazon CloudWatch Logs log group").
      this.wafLogGroup = new CloudwatchLogGroup(this, 'waf-logs', {
        provider: props.usEast1Provider,
        name: `aws-waf-logs-${namePrefix}-edge`,
        retentionInDays: logRetention,
        tags: { Name: `aws-waf-logs-${namePrefix}-edge` },
      });
      this.wafLogging = new Wafv2WebAclLoggingConfiguration(this, 'waf-logging', {
        provider: props.usEast1Provider,
        resourceArn: this.webAcl.arn,
        logDestinationConfigs: [this.wafLogGroup.arn],
        redactedFields: WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
      });
    }

    if (props.vpcOriginAlbArn) {
      this.vpcOrigin = new CloudfrontVpcOrigin(this, 'alb-vpc-origin', {
        vpcOriginEndpointConfig: [
          {
            name: `${namePrefix}-api-alb`,
            arn: props.vpcOriginAlbArn,
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: props.albOriginHttps ? 'https-only' : 'http-only',
            originSslProtocols: [{ items: ['TLSv1.2'], quantity: 1 }],
          },
        ],
        tags: { Name: `${namePrefix}-api-alb` },
      });
    }

    const customDomain = aliases.length > 0;
    const securityHeaders = CLOUDFRONT_MANAGED_POLICIES.responseHeaders.securityHeaders;
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: `${namePrefix}: frontend, /api/* and /videos/*`,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass,
      defaultRootObject,
      aliases: customDomain ? [...aliases] : undefined,
      webAclId: this.webAclArn,
      loggingConfig: {
        bucket: props.logsBucket.bucket.bucketDomainName,
        prefix: logPrefix,
        includeCookies: false,
      },
      origin: [
        {
          originId: ORIGIN.frontend,
          domainName: props.frontendBucket.bucketRegionalDomainName,
          originAccessControlId: this.originAccessControl.id,
        },
        {
          originId: ORIGIN.videos,
          domainName: props.videoBucket.bucketRegionalDomainName,
          originAccessControlId: this.originAccessControl.id,
        },
        {
          originId: ORIGIN.alb,
          domainName: props.albDnsName,
          // A VPC origin carries its own protocol settings; a public ALB is a custom origin.
          vpcOriginConfig: this.vpcOrigin ? { vpcOriginId: this.vpcOrigin.id } : undefined,
          customOriginConfig: this.vpcOrigin
            ? undefined
            : {
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: 'http-only',
                originSslProtocols: ['TLSv1.2'],
              },
          customHeader: this.originSecretHeaderValue
            ? [{ name: ORIGIN_SECRET_HEADER_NAME, value: this.originSecretHeaderValue }]
            : undefined,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN.frontend,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: CLOUDFRONT_MANAGED_POLICIES.cache.cachingOptimized,
        responseHeadersPolicyId: securityHeaders,
        compress: true,
        functionAssociation: [{ eventType: 'viewer-request', functionArn: this.frontendFunction.arn }],
      },
      orderedCacheBehavior: [
        {
          pathPattern: '/api/*',
          targetOriginId: ORIGIN.alb,
          viewerProtocolPolicy: 'https-only',
          allowedMethods: ALL_METHODS,
          cachedMethods: ['GET', 'HEAD'],
          cachePolicyId: CLOUDFRONT_MANAGED_POLICIES.cache.cachingDisabled,
          originRequestPolicyId: CLOUDFRONT_MANAGED_POLICIES.originRequest.allViewer,
          responseHeadersPolicyId: securityHeaders,
          compress: true,
        },
        {
          pathPattern: '/videos/*',
          targetOriginId: ORIGIN.videos,
          viewerProtocolPolicy: 'redirect-to-https',
          allowedMethods: ['GET', 'HEAD'],
          cachedMethods: ['GET', 'HEAD'],
          cachePolicyId: CLOUDFRONT_MANAGED_POLICIES.cache.cachingOptimizedForUncompressedObjects,
          responseHeadersPolicyId: securityHeaders,
          // Video is already compressed; recompressing costs edge CPU for nothing.
          compress: false,
          functionAssociation: [{ eventType: 'viewer-request', functionArn: this.videosFunction.arn }],
        },
      ],
      // No custom_error_response: it applies to every behavior, so an SPA fallback (403/404 ->
      // /index.html with 200) would also turn API errors and missing videos into the app shell.
      // The frontend function already maps every route of the static export to its file; what it
      // cannot decide is an object that does not exist, and that stays an error (S3 answers 403,
      // as CloudFront may not list the bucket).
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: customDomain
        ? {
            acmCertificateArn: props.acmCertificateArn,
            sslSupportMethod: 'sni-only',
            minimumProtocolVersion: 'TLSv1.2_2021',
          }
        : { cloudfrontDefaultCertificate: true },
      tags: { Name: `${namePrefix}-cdn` },
      // A new bucket starts as BucketOwnerEnforced (ACLs off) until its ownership controls apply.
      dependsOn: [props.logsBucket.ownershipControls],
    });

    this.distributionId = this.distribution.id;
    this.distributionArn = this.distribution.arn;
    this.domainName = this.distribution.domainName;
    this.hostedZoneId = this.distribution.hostedZoneId;
    this.url = `https://${this.distribution.domainName}`;

    // Scoped to this distribution, so no other distribution's OAC can read the buckets.
    const fromThisDistribution = { StringEquals: { 'AWS:SourceArn': this.distributionArn } };
    props.frontendBucket.addToResourcePolicy({
      Sid: 'AllowCloudFrontReadFrontend',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${props.frontendBucket.bucketArn}/*`,
      Condition: fromThisDistribution,
    });
    props.videoBucket.addToResourcePolicy({
      Sid: 'AllowCloudFrontReadRenderedVideos',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${props.videoBucket.bucketArn}/rendered/*`,
      Condition: fromThisDistribution,
    });
  }
}

interface Resolved {
  readonly ratePathPrefix: string;
  readonly uploadPaths: readonly string[];
  readonly logRetention: number;
  readonly priceClass: string;
  readonly defaultRootObject: string;
  readonly logPrefix: string;
  readonly waf: boolean;
  readonly rateLimit: number;
  readonly allowedCountries: readonly string[];
  readonly countOnly: readonly string[];
  readonly aliases: readonly string[];
}

/** True when `value` is known at synth time (not a Terraform reference). */
function known(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}

/** Every problem with the props, reported together. */
function validate(path: string, props: CloudfrontProps, r: Resolved): void {
  const v = new IssueCollector(path);
  if (known(props.namePrefix)) {
    v.at('namePrefix').matches(
      props.namePrefix,
      new RegExp(`^[a-z0-9][a-z0-9-]{0,${MAX_NAME_PREFIX - 1}}$`),
      `must be 1-${MAX_NAME_PREFIX} lowercase letters, digits or hyphens (CloudFront function names allow 64 characters)`,
    );
  }
  v.at('frontendBucket').check(
    props.frontendBucket !== props.videoBucket,
    props.frontendBucket.node.path,
    'must not be the video bucket (the whole frontend bucket is readable by CloudFront)',
  );
  v.at('logsBucket').check(
    props.logsBucket.objectOwnership !== 'BucketOwnerEnforced',
    props.logsBucket.objectOwnership,
    'must accept ACLs (objectOwnership BucketOwnerPreferred): CloudFront standard logging writes log files with ACLs',
  );
  v.at('logsBucket').check(
    props.logsBucket !== props.frontendBucket && props.logsBucket !== props.videoBucket,
    props.logsBucket.node.path,
    'must be a bucket of its own, not an origin bucket',
  );
  v.at('logPrefix').matches(
    r.logPrefix,
    /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/,
    'must be an S3 key prefix ending in /',
  );
  if (known(props.albDnsName)) {
    v.at('albDnsName').matches(
      props.albDnsName,
      /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i,
      'must be a DNS name (the ALB dns_name)',
    );
  }
  v.at('priceClass').oneOf(r.priceClass, PRICE_CLASSES);
  v.at('defaultRootObject').matches(
    r.defaultRootObject,
    /^[^/\s][^\s]{0,254}$/,
    'must be an object key without a leading slash, at most 255 characters',
  );
  v.at('wafRateLimitPer5Min').intRange(r.rateLimit, 10, 2000000000);
  r.allowedCountries.forEach((cc, i) => {
    const at = v.at('allowedCountries').at(i);
    at.matches(cc, /^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code like KR');
    at.check(r.allowedCountries.indexOf(cc) === i, cc, 'is listed twice');
  });
  const pathPrefix = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
  v.at('wafRateLimitPathPrefix').matches(r.ratePathPrefix, pathPrefix, 'must be a URI path starting with /');
  r.uploadPaths.forEach((path, i) => {
    const at = v.at('wafUploadPaths').at(i);
    at.matches(path, pathPrefix, 'must be a URI path starting with /');
    at.check(path !== '/', path, 'would exempt every path from the body rules: name the upload endpoint');
    at.check(r.uploadPaths.indexOf(path) === i, path, 'is listed twice');
  });
  v.at('wafLogRetentionDays').oneOf(r.logRetention, LOG_RETENTION_DAYS);
  v.at('albOriginHttps').check(
    !props.albOriginHttps || props.vpcOriginAlbArn !== undefined,
    props.albOriginHttps,
    'needs vpcOriginAlbArn (a public ALB origin is reached on port 80 with the origin header)',
  );
  v.at('originSecretHeader').check(
    !(props.originSecretHeader && props.vpcOriginAlbArn !== undefined),
    props.originSecretHeader,
    'is not used with vpcOriginAlbArn: an internal ALB is reachable only through the VPC origin',
  );
  r.countOnly.forEach((rule, i) =>
    v
      .at('wafCommonRuleSetCountOnly')
      .at(i)
      .matches(
        rule,
        /^[A-Za-z0-9_]+$/,
        'must be a rule name of AWSManagedRulesCommonRuleSet like SizeRestrictions_BODY',
      ),
  );
  if (!r.waf) {
    v.at('allowedCountries').check(
      r.allowedCountries.length === 0,
      r.allowedCountries,
      'needs waf: true (the country allow-list is a WAF rule)',
    );
    v.at('wafCommonRuleSetCountOnly').check(r.countOnly.length === 0, r.countOnly, 'needs waf: true');
    v.at('wafUploadPaths').check(r.uploadPaths.length === 0, r.uploadPaths, 'needs waf: true');
  } else {
    const provider = props.usEast1Provider;
    v.at('usEast1Provider').check(
      provider !== undefined,
      provider,
      'is required with waf: true (CloudFront web ACLs exist only in us-east-1)',
    );
    if (provider instanceof AwsProvider && known(provider.region)) {
      v.at('usEast1Provider').check(
        provider.region === 'us-east-1',
        provider.region,
        'must be an AWS provider for region us-east-1 (CloudFront web ACLs exist only there)',
      );
    }
  }
  r.aliases.forEach((alias, i) =>
    v
      .at('aliases')
      .at(i)
      .matches(alias, /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a DNS name'),
  );
  if (r.aliases.length > 0) {
    v.at('acmCertificateArn').check(
      props.acmCertificateArn !== undefined,
      props.acmCertificateArn,
      'is required with aliases (CloudFront serves alternate names only with a matching certificate)',
    );
  } else {
    v.at('acmCertificateArn').check(
      props.acmCertificateArn === undefined,
      props.acmCertificateArn,
      'needs aliases (the certificate is only served for alternate domain names)',
    );
  }
  if (known(props.acmCertificateArn)) {
    v.at('acmCertificateArn').matches(
      props.acmCertificateArn,
      acmCertificateArnPattern('us-east-1'),
      'must be an ACM certificate ARN in us-east-1 (CloudFront uses certificates only from there)',
    );
  }
  throwIfIssues(v.issues);
}
