import type { Rule } from '../types';
import { num, show } from '../values';

export const logRetention: Rule = {
  id: 'ECG-LOG-01',
  anchor: 48,
  scannerIds: ['CKV_AWS_66', 'CKV_AWS_338', 'CKV_AWS_158'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_cloudwatch_log_group'],
  description: 'Every CloudWatch log group sets a retention: at least 7 days (30 in production).',
  checks: { retention: 'retention_in_days is unset (never expire) or below the minimum' },
  check(ctx) {
    const minimum = ctx.isProduction ? 30 : 7;
    return ctx
      .resources('aws_cloudwatch_log_group')
      .filter((g) => !(num(g.values.retention_in_days) >= minimum))
      .map((g) =>
        ctx.finding(
          g,
          'retention',
          `retention_in_days is ${show(g.values.retention_in_days)} (must be set, at least ${minimum}${ctx.isProduction ? ' in production' : ''})`,
        ),
      );
  },
};
