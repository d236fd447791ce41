import type { Rule } from '../types';
import { isSet } from '../values';

export const cloudFrontWaf: Rule = {
  id: 'ECG-CF-03',
  configField: 'edge.waf',
  anchor: 40,
  scannerIds: ['CKV_AWS_68', 'AVD-AWS-0011', 'AwsSolutions-CFR2'],
  environments: ['production'],
  resourceTypes: ['aws_cloudfront_distribution'],
  description: 'Every distribution is associated with a WAF web ACL (web_acl_id).',
  checks: { 'no-waf': 'web_acl_id is not set' },
  check(ctx) {
    return ctx
      .resources('aws_cloudfront_distribution')
      .filter((d) => !isSet(d.values.web_acl_id))
      .map((d) => ctx.finding(d, 'no-waf', 'has no web_acl_id (WAF required in production)'));
  },
};
