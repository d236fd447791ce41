import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const rdsIamAuth: Rule = {
  id: 'ECG-RDS-06',
  anchor: 14,
  scannerIds: ['CKV_AWS_161', 'AVD-AWS-0176'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_db_instance'],
  description: 'Every DB instance has IAM database authentication enabled.',
  checks: { 'iam-auth-off': 'iam_database_authentication_enabled is not true' },
  check(ctx) {
    return ctx
      .resources('aws_db_instance')
      .filter((db) => !isTrue(db.values.iam_database_authentication_enabled))
      .map((db) =>
        ctx.finding(
          db,
          'iam-auth-off',
          `iam_database_authentication_enabled is ${show(db.values.iam_database_authentication_enabled)} (must be true)`,
        ),
      );
  },
};
