import type { Rule } from '../types';
import { isTrue } from '../values';

export const rdsNotPublic: Rule = {
  id: 'ECG-RDS-02',
  anchor: 10,
  scannerIds: ['CKV_AWS_17', 'AVD-AWS-0180'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_db_instance'],
  description: 'No DB instance is publicly accessible.',
  checks: { public: 'publicly_accessible is true' },
  check(ctx) {
    return ctx
      .resources('aws_db_instance')
      .filter((db) => isTrue(db.values.publicly_accessible))
      .map((db) => ctx.finding(db, 'public', 'publicly_accessible is true (must be false)'));
  },
};
