import { isPostgres, parameterGroupOf, parameterValue } from '../rds';
import type { Rule } from '../types';
import { isSet, list, num, show } from '../values';

export const rdsLoggingMonitoring: Rule = {
  id: 'ECG-RDS-11',
  anchor: 19,
  scannerIds: ['CKV_AWS_129', 'CKV2_AWS_30', 'CKV_AWS_118'],
  environments: ['production'],
  resourceTypes: ['aws_db_instance'],
  description:
    'Every PostgreSQL instance exports its postgresql log to CloudWatch, logs queries (log_statement or log_min_duration_statement) and has enhanced monitoring.',
  checks: {
    'no-log-exports': 'enabled_cloudwatch_logs_exports lacks postgresql',
    'no-query-logging': 'the parameter group logs no queries',
    'no-enhanced-monitoring': 'monitoring_interval is 0 or no monitoring role is set',
  },
  check(ctx) {
    return ctx
      .resources('aws_db_instance')
      .filter(isPostgres)
      .flatMap((db) => {
        const findings = [];
        const exports = list(db.values.enabled_cloudwatch_logs_exports);
        if (!exports.includes('postgresql')) {
          findings.push(
            ctx.finding(
              db,
              'no-log-exports',
              `enabled_cloudwatch_logs_exports is ${show(db.values.enabled_cloudwatch_logs_exports)} (must include "postgresql")`,
            ),
          );
        }
        const group = parameterGroupOf(ctx, db);
        const statement = parameterValue(group, 'log_statement');
        const duration = parameterValue(group, 'log_min_duration_statement');
        const logsQueries = ['ddl', 'mod', 'all'].includes(statement ?? '') || num(duration) >= 0;
        if (!logsQueries) {
          findings.push(
            ctx.finding(
              db,
              'no-query-logging',
              'its parameter group sets neither log_statement (ddl, mod, all) nor log_min_duration_statement >= 0',
            ),
          );
        }
        if (!(num(db.values.monitoring_interval) > 0) || !isSet(db.values.monitoring_role_arn)) {
          findings.push(
            ctx.finding(
              db,
              'no-enhanced-monitoring',
              `monitoring_interval is ${show(db.values.monitoring_interval)} with monitoring_role_arn ${show(db.values.monitoring_role_arn)} (enhanced monitoring needs an interval > 0 and a role)`,
            ),
          );
        }
        return findings;
      });
  },
};
