import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const rdsDeletionProtection: Rule = {
  id: 'ECG-RDS-05',
  configField: 'database.deletionProtection',
  anchor: 13,
  scannerIds: ['CKV_AWS_293', 'AVD-AWS-0177', 'AwsSolutions-RDS10'],
  environments: ['production'],
  resourceTypes: ['aws_db_instance'],
  description: 'Every DB instance has deletion_protection = true.',
  checks: { unprotected: 'deletion_protection is not true' },
  check(ctx) {
    return ctx
      .resources('aws_db_instance')
      .filter((db) => !isTrue(db.values.deletion_protection))
      .map((db) =>
        ctx.finding(
          db,
          'unprotected',
          `deletion_protection is ${show(db.values.deletion_protection)} (must be true in production)`,
        ),
      );
  },
};
