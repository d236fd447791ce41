import type { Rule } from '../types';
import { blocks, isTrue, show } from '../values';

const MODERN_PROTOCOLS = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];

/**
 * Row 39 is marked production-only; the rule runs in every environment so that staging's
 * documented exception (the default certificate) shows in the report as a suppression, and a
 * custom certificate with an old protocol is caught everywhere.
 */
export const cloudFrontViewerTls: Rule = {
  id: 'ECG-CF-02',
  anchor: 39,
  scannerIds: ['CKV_AWS_174', 'AVD-AWS-0013', 'AwsSolutions-CFR4'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_cloudfront_distribution'],
  description:
    'Every distribution serves viewers with a custom certificate, over SNI (sni-only), with minimum_protocol_version TLSv1.2_2021 or newer (the default certificate cannot).',
  checks: {
    'default-certificate':
      'the distribution uses the CloudFront default certificate, which still accepts TLSv1',
    'weak-tls': 'the custom certificate allows protocols older than TLSv1.2_2021',
    'not-sni':
      'the custom certificate is served on dedicated IP addresses (vip, $600 a month) or static IPs instead of SNI',
  },
  check(ctx) {
    return ctx.resources('aws_cloudfront_distribution').flatMap((d) => {
      const cert = blocks(d.values.viewer_certificate)[0] ?? {};
      if (isTrue(cert.cloudfront_default_certificate)) {
        return [
          ctx.finding(
            d,
            'default-certificate',
            'uses the CloudFront default certificate (minimum protocol TLSv1; TLSv1.2_2021 needs a custom certificate)',
          ),
        ];
      }
      const findings = [];
      if (!MODERN_PROTOCOLS.includes(cert.minimum_protocol_version)) {
        findings.push(
          ctx.finding(
            d,
            'weak-tls',
            `viewer_certificate.minimum_protocol_version is ${show(cert.minimum_protocol_version)} (must be TLSv1.2_2021 or newer)`,
          ),
        );
      }
      if (cert.ssl_support_method !== 'sni-only') {
        findings.push(
          ctx.finding(
            d,
            'not-sni',
            `viewer_certificate.ssl_support_method is ${show(cert.ssl_support_method)} (must be sni-only)`,
          ),
        );
      }
      return findings;
    });
  },
};
