import type { Rule } from '../types';
import { isSet, num, show } from '../values';

export const rdsBackupRetention: Rule = {
  id: 'ECG-RDS-03',
  configField: 'database.backupRetentionDays',
  anchor: 11,
  scannerIds: ['CKV_AWS_133', 'AVD-AWS-0077', 'AwsSolutions-RDS13'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_db_instance'],
  description: 'Every primary DB instance keeps automated backups: at least 1 day (7 in production).',
  checks: { 'short-retention': 'backup_retention_period is below the minimum' },
  check(ctx) {
    const minimum = ctx.isProduction ? 7 : 1;
    return (
      ctx
        .resources('aws_db_instance')
        // A read replica's backups follow its source; the rule is about the primary.
        .filter((db) => !isSet(db.values.replicate_source_db))
        .filter((db) => !(num(db.values.backup_retention_period) >= minimum))
        .map((db) =>
          ctx.finding(
            db,
            'short-retention',
            `backup_retention_period is ${show(db.values.backup_retention_period)} (must be at least ${minimum}${ctx.isProduction ? ' in production' : ''})`,
          ),
        )
    );
  },
};
