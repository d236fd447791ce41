import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const rdsStorageEncrypted: Rule = {
  id: 'ECG-RDS-01',
  anchor: 9,
  scannerIds: ['CKV_AWS_16', 'AVD-AWS-0080', 'AwsSolutions-RDS2'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_db_instance'],
  description: 'Every DB instance has storage_encrypted = true.',
  checks: { 'not-encrypted': 'storage encryption is off' },
  check(ctx) {
    return ctx
      .resources('aws_db_instance')
      .filter((db) => !isTrue(db.values.storage_encrypted))
      .map((db) =>
        ctx.finding(
          db,
          'not-encrypted',
          `storage_encrypted is ${show(db.values.storage_encrypted)} (must be true)`,
        ),
      );
  },
};
