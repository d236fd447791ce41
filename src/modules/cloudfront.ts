import {
  CloudfrontDistribution,
  type CloudfrontDistributionOrigin,
} from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontVpcOrigin } from '@cdktf/provider-aws/lib/cloudfront-vpc-origin';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { Password } from '@cdktf/provider-random/lib/password';
import { Construct } from 'constructs';
import { FRONTEND_REWRITE_FUNCTION_CODE, VIDEOS_REWRITE_FUNCTION_CODE } from './cloudfront-functions';
import { visibility, wafRules } from './cloudfront-waf';
import { validate } from './cloudfront-validate';
import type { CloudfrontProps } from './cloudfront-props';

export type { CloudfrontProps } from './cloudfront-props';

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
const ORIGIN = {
  frontend: 'frontend',
  videos: 'videos',
  alb: 'alb',
  videosReplica: 'videos-replica',
  videosFailover: 'videos-failover',
} as const;

/**
 * Status codes from the primary video bucket that send a read to the replica: S3's server errors
 * and throttling (500, 503), CloudFront's own for an origin it cannot reach or that times out
 * (502, 504), and 403/404, which S3 answers for a key it cannot serve (without s3:ListBucket a
 * missing key is 403). Origin groups accept 400, 403, 404, 416, 429 and 500-504 (CloudFront
 * developer guide, "Create an origin group").
 */
export const VIDEO_FAILOVER_STATUS_CODES = [403, 404, 500, 502, 503, 504] as const;

/**
 * The CloudFront distribution in front of the platform: the static frontend (default), `/api/*`
 * to the ALB and `/videos/*` to the rendered videos, with standard logging, origin access
 * control for both buckets (and their policy statements), two viewer-request functions, and
 * optionally a WAF web ACL, a secret origin header for the ALB and a custom domain.
 */
export class Cloudfront extends Construct {
  public readonly distribution: CloudfrontDistribution;
  public readonly originAccessControl: CloudfrontOriginAccessControl;
  /** Origin access control of the video replica; set with `videoReplicaBucket`. */
  public readonly replicaOriginAccessControl?: CloudfrontOriginAccessControl;
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

    const replica = props.videoReplicaBucket;
    const replicaOrigins: CloudfrontDistributionOrigin[] = [];
    if (replica) {
      this.replicaOriginAccessControl = new CloudfrontOriginAccessControl(this, 'oac-replica', {
        name: `${namePrefix}-s3-replica`,
        description: `${namePrefix}: CloudFront reads the video replica when the primary fails`,
        originAccessControlOriginType: 's3',
        signingBehavior: 'always',
        signingProtocol: 'sigv4',
      });
      replicaOrigins.push({
        originId: ORIGIN.videosReplica,
        domainName: replica.bucketRegionalDomainName,
        originAccessControlId: this.replicaOriginAccessControl.id,
      });
    }

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
          // With a replica, give up on an unreachable primary after 2 x 5 s instead of 3 x 10 s.
          ...(replica ? { connectionAttempts: 2, connectionTimeout: 5 } : {}),
        },
        ...replicaOrigins,
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
      originGroup: replica
        ? [
            {
              originId: ORIGIN.videosFailover,
              failoverCriteria: { statusCodes: [...VIDEO_FAILOVER_STATUS_CODES] },
              member: [{ originId: ORIGIN.videos }, { originId: ORIGIN.videosReplica }],
            },
          ]
        : undefined,
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
          targetOriginId: replica ? ORIGIN.videosFailover : ORIGIN.videos,
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
    replica?.addToResourcePolicy({
      Sid: 'AllowCloudFrontReadRenderedVideos',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${replica.bucketArn}/rendered/*`,
      Condition: fromThisDistribution,
    });
  }
}
