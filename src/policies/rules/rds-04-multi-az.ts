import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const rdsMultiAz: Rule = {
  id: 'ECG-RDS-04',
  configField: 'database.multiAz',
  anchor: 12,
  scannerIds: ['CKV_AWS_157', 'AwsSolutions-RDS3'],
  environments: ['production'],
  resourceTypes: ['aws_db_instance'],
  description: 'Every DB instance is Multi-AZ.',
  checks: { 'single-az': 'multi_az is not true' },
  check(ctx) {
    return ctx
      .resources('aws_db_instance')
      .filter((db) => !isTrue(db.values.multi_az))
      .map((db) =>
        ctx.finding(db, 'single-az', `multi_az is ${show(db.values.multi_az)} (must be true in production)`),
      );
  },
};
