import type { Rule } from '../types';
import { isFalse } from '../values';

export const rdsMinorUpgrades: Rule = {
  id: 'ECG-RDS-08',
  anchor: 16,
  scannerIds: ['CKV_AWS_226'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_db_instance'],
  description: 'Every DB instance takes automatic minor version upgrades (the provider default, true).',
  checks: { 'minor-upgrades-off': 'auto_minor_version_upgrade is false' },
  check(ctx) {
    return ctx
      .resources('aws_db_instance')
      .filter((db) => isFalse(db.values.auto_minor_version_upgrade))
      .map((db) =>
        ctx.finding(db, 'minor-upgrades-off', 'auto_minor_version_upgrade is false (must be true)'),
      );
  },
};
