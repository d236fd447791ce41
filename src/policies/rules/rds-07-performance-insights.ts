import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const rdsPerformanceInsights: Rule = {
  id: 'ECG-RDS-07',
  configField: 'database.performanceInsights',
  anchor: 15,
  scannerIds: ['CKV_AWS_353', 'AVD-AWS-0133'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_db_instance'],
  description: 'Every DB instance has Performance Insights enabled.',
  checks: { 'insights-off': 'performance_insights_enabled is not true' },
  check(ctx) {
    return ctx
      .resources('aws_db_instance')
      .filter((db) => !isTrue(db.values.performance_insights_enabled))
      .map((db) =>
        ctx.finding(
          db,
          'insights-off',
          `performance_insights_enabled is ${show(db.values.performance_insights_enabled)} (must be true)`,
        ),
      );
  },
};
