import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const cacheAtRestEncryption: Rule = {
  id: 'ECG-CACHE-01',
  anchor: 20,
  scannerIds: ['CKV_AWS_29', 'AVD-AWS-0045', 'AwsSolutions-AEC3'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_elasticache_replication_group'],
  description: 'Every ElastiCache replication group encrypts data at rest.',
  checks: { 'not-encrypted': 'at_rest_encryption_enabled is not true' },
  check(ctx) {
    return ctx
      .resources('aws_elasticache_replication_group')
      .filter((g) => !isTrue(g.values.at_rest_encryption_enabled))
      .map((g) =>
        ctx.finding(
          g,
          'not-encrypted',
          `at_rest_encryption_enabled is ${show(g.values.at_rest_encryption_enabled)} (must be true)`,
        ),
      );
  },
};
