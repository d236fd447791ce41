import {
  CloudfrontDistribution,
  type CloudfrontDistributionConfig,
} from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { Lb, type LbConfig } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { cloudFrontHttpsOnly } from '../../src/policies/rules/cf-01-https-only';
import { cloudFrontViewerTls } from '../../src/policies/rules/cf-02-viewer-tls';
import { cloudFrontWaf } from '../../src/policies/rules/cf-03-waf';
import { cloudFrontLoggingOac } from '../../src/policies/rules/cf-04-logging-oac';
import { lbDropInvalidHeaders } from '../../src/policies/rules/lb-01-drop-invalid-headers';
import { lbDeletionProtection } from '../../src/policies/rules/lb-02-deletion-protection';
import { lbAccessLogs } from '../../src/policies/rules/lb-03-access-logs';
import { lbHttpsRedirect } from '../../src/policies/rules/lb-04-https-redirect';
import { lbTlsPolicy } from '../../src/policies/rules/lb-05-tls-policy';
import { lbInternal } from '../../src/policies/rules/lb-06-internal';
import { findingsOf, fixture, resultOf, rulesOf } from './support';

const HARDENED_LB: LbConfig = {
  name: 'api',
  internal: true,
  loadBalancerType: 'application',
  subnets: ['subnet-1', 'subnet-2'],
  dropInvalidHeaderFields: true,
  enableDeletionProtection: true,
  accessLogs: { bucket: 'logs', prefix: 'alb', enabled: true },
};

/** An ALB `api` with an HTTPS listener and an HTTP listener that redirects (`httpAction` replaces it). */
function alb(
  config: Partial<LbConfig> = {},
  options: { httpForward?: boolean; https?: boolean; sslPolicy?: string } = {},
) {
  return fixture((scope) => {
    const lb = new Lb(scope, 'api', { ...HARDENED_LB, ...config });
    const http = new LbListener(scope, 'http', {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: options.httpForward
        ? [{ type: 'forward', targetGroupArn: 'arn:tg' }]
        : [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });
    if (options.https ?? true) {
      new LbListener(scope, 'https', {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: 'HTTPS',
        certificateArn: 'arn:aws:acm:ap-northeast-2:123456789012:certificate/x',
        sslPolicy: options.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        defaultAction: [{ type: 'forward', targetGroupArn: 'arn:tg' }],
      });
    }
    if (options.httpForward) {
      new LbListenerRule(scope, 'http-rule', {
        listenerArn: http.arn,
        action: [{ type: 'forward', targetGroupArn: 'arn:tg' }],
        condition: [{ pathPattern: { values: ['/api/*'] } }],
      });
    }
  });
}

describe('load balancer rules', () => {
  const compliant = alb();
  const LB_RULES = rulesOf('ECG-LB');

  it.each(LB_RULES.map((r) => [r.id, r]))('%s passes a hardened internal ALB with HTTPS', (_id, rule) => {
    expect(resultOf(rule, compliant, 'production')).toMatchObject({ status: 'pass', findings: [] });
  });

  it('ECG-LB-01 fails an ALB that keeps invalid headers', () => {
    expect(findingsOf(lbDropInvalidHeaders, alb({ dropInvalidHeaderFields: false }))).toEqual([
      'ECG-LB-01 aws_lb.api: drop_invalid_header_fields is false (must be true)',
    ]);
    expect(
      findingsOf(lbDropInvalidHeaders, alb({ dropInvalidHeaderFields: false, loadBalancerType: 'network' })),
    ).toEqual([]);
  });

  it('ECG-LB-02 fails an unprotected load balancer in production', () => {
    const json = alb({ enableDeletionProtection: false });
    expect(findingsOf(lbDeletionProtection, json, 'production')).toEqual([
      'ECG-LB-02 aws_lb.api: enable_deletion_protection is false (must be true in production)',
    ]);
    expect(resultOf(lbDeletionProtection, json, 'staging').status).toBe('not-applicable');
  });

  it('ECG-LB-03 fails a load balancer without access logs in production', () => {
    expect(
      findingsOf(lbAccessLogs, alb({ accessLogs: { bucket: 'logs', enabled: false } }), 'production'),
    ).toEqual(['ECG-LB-03 aws_lb.api: access_logs is not enabled with a bucket (required in production)']);
  });

  it('ECG-LB-04 fails plain HTTP forwarding on a load balancer that has a certificate', () => {
    expect(findingsOf(lbHttpsRedirect, alb({}, { httpForward: true }))).toEqual([
      'ECG-LB-04 aws_lb_listener.http: HTTP listener on port 80 does not redirect to HTTPS although aws_lb.api has a certificate',
      'ECG-LB-04 aws_lb_listener_rule.http-rule: forwards plain HTTP from aws_lb_listener.http although aws_lb.api has a certificate',
    ]);
  });

  it('ECG-LB-04 accepts plain HTTP when no certificate is configured', () => {
    expect(findingsOf(lbHttpsRedirect, alb({}, { httpForward: true, https: false }))).toEqual([]);
  });

  it('ECG-LB-05 fails an HTTPS listener with an older security policy', () => {
    expect(findingsOf(lbTlsPolicy, alb({}, { sslPolicy: 'ELBSecurityPolicy-2016-08' }))).toEqual([
      'ECG-LB-05 aws_lb_listener.https: ssl_policy is "ELBSecurityPolicy-2016-08" (must be ELBSecurityPolicy-TLS13-1-2-2021-06 or stricter)',
    ]);
  });

  it('ECG-LB-06 flags an internet-facing load balancer', () => {
    expect(findingsOf(lbInternal, alb({ internal: false }))).toEqual([
      'ECG-LB-06 aws_lb.api: is internet-facing (internal is not true)',
    ]);
  });
});

function distribution(config: Partial<CloudfrontDistributionConfig> = {}, s3Oac = true) {
  return fixture((scope) => {
    const frontend = new S3Bucket(scope, 'frontend', { bucket: 'frontend' });
    const logs = new S3Bucket(scope, 'logs', { bucket: 'logs' });
    new CloudfrontDistribution(scope, 'cdn', {
      enabled: true,
      webAclId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/y',
      aliases: ['app.example.com'],
      origin: [
        {
          originId: 'frontend',
          domainName: frontend.bucketRegionalDomainName,
          originAccessControlId: s3Oac ? 'oac-1' : undefined,
        },
        {
          originId: 'alb',
          domainName: 'alb.example.com',
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: 'http-only',
            originSslProtocols: ['TLSv1.2'],
          },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: 'frontend',
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
      },
      orderedCacheBehavior: [
        {
          pathPattern: '/api/*',
          targetOriginId: 'alb',
          viewerProtocolPolicy: 'https-only',
          allowedMethods: ['GET', 'HEAD'],
          cachedMethods: ['GET', 'HEAD'],
        },
      ],
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: {
        acmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: 'TLSv1.2_2021',
      },
      loggingConfig: { bucket: logs.bucketDomainName, prefix: 'cloudfront-logs/' },
      ...config,
    });
  });
}

describe('CloudFront rules', () => {
  const compliant = distribution();
  const CF_RULES = rulesOf('ECG-CF');

  it.each(CF_RULES.map((r) => [r.id, r]))(
    '%s passes a distribution with certificate, WAF, logs and OAC',
    (_id, rule) => {
      expect(resultOf(rule, compliant, 'production')).toMatchObject({ status: 'pass', findings: [] });
    },
  );

  it('ECG-CF-01 fails a behavior that allows plain HTTP', () => {
    const json = distribution({
      orderedCacheBehavior: [
        {
          pathPattern: '/videos/*',
          targetOriginId: 'frontend',
          viewerProtocolPolicy: 'allow-all',
          allowedMethods: ['GET', 'HEAD'],
          cachedMethods: ['GET', 'HEAD'],
        },
      ],
    });
    expect(findingsOf(cloudFrontHttpsOnly, json)).toEqual([
      'ECG-CF-01 aws_cloudfront_distribution.cdn: cache behavior /videos/* allows plain HTTP (viewer_protocol_policy allow-all)',
    ]);
  });

  it('ECG-CF-02 fails the default certificate and an old minimum protocol', () => {
    expect(
      findingsOf(
        cloudFrontViewerTls,
        distribution({ viewerCertificate: { cloudfrontDefaultCertificate: true } }),
        'production',
      ),
    ).toEqual([
      'ECG-CF-02 aws_cloudfront_distribution.cdn: uses the CloudFront default certificate (minimum protocol TLSv1; TLSv1.2_2021 needs a custom certificate)',
    ]);
    const old = distribution({
      viewerCertificate: {
        acmCertificateArn: 'arn:cert',
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: 'TLSv1.2_2019',
      },
    });
    expect(findingsOf(cloudFrontViewerTls, old)).toEqual([
      'ECG-CF-02 aws_cloudfront_distribution.cdn: viewer_certificate.minimum_protocol_version is "TLSv1.2_2019" (must be TLSv1.2_2021 or newer)',
    ]);
  });

  it('ECG-CF-02 fails a custom certificate served on dedicated IPs, and passes sni-only with TLSv1.2_2021', () => {
    const vip = distribution({
      viewerCertificate: {
        acmCertificateArn: 'arn:cert',
        sslSupportMethod: 'vip',
        minimumProtocolVersion: 'TLSv1.2_2021',
      },
    });
    expect(findingsOf(cloudFrontViewerTls, vip, 'production')).toEqual([
      'ECG-CF-02 aws_cloudfront_distribution.cdn: viewer_certificate.ssl_support_method is "vip" (must be sni-only)',
    ]);
    const sni = distribution({
      viewerCertificate: {
        acmCertificateArn: 'arn:cert',
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: 'TLSv1.2_2021',
      },
    });
    expect(findingsOf(cloudFrontViewerTls, sni, 'production')).toEqual([]);
  });

  it('ECG-CF-03 fails a production distribution without WAF', () => {
    expect(findingsOf(cloudFrontWaf, distribution({ webAclId: undefined }), 'production')).toEqual([
      'ECG-CF-03 aws_cloudfront_distribution.cdn: has no web_acl_id (WAF required in production)',
    ]);
  });

  it('ECG-CF-04 fails a distribution without logs and an S3 origin without OAC', () => {
    expect(findingsOf(cloudFrontLoggingOac, distribution({ loggingConfig: undefined }, false))).toEqual([
      'ECG-CF-04 aws_cloudfront_distribution.cdn: has no logging_config with a bucket',
      'ECG-CF-04 aws_cloudfront_distribution.cdn: S3 origin frontend has no origin_access_control_id',
    ]);
  });
});
