import type { Rule } from '../types';
import { blocks } from '../values';

export const cloudFrontHttpsOnly: Rule = {
  id: 'ECG-CF-01',
  anchor: 38,
  scannerIds: ['CKV_AWS_34', 'AVD-AWS-0012'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_cloudfront_distribution'],
  description:
    'No CloudFront cache behavior allows plain HTTP (viewer_protocol_policy is https-only or redirect-to-https).',
  checks: { 'allows-http': 'a cache behavior has viewer_protocol_policy allow-all' },
  check(ctx) {
    return ctx.resources('aws_cloudfront_distribution').flatMap((d) => {
      const behaviors = [
        ...blocks(d.values.default_cache_behavior).map((b) => ({ label: 'default cache behavior', b })),
        ...blocks(d.values.ordered_cache_behavior).map((b) => ({
          label: `cache behavior ${b.path_pattern}`,
          b,
        })),
      ];
      return behaviors
        .filter(({ b }) => b.viewer_protocol_policy === 'allow-all')
        .map(({ label }) =>
          ctx.finding(d, 'allows-http', `${label} allows plain HTTP (viewer_protocol_policy allow-all)`),
        );
    });
  },
};
