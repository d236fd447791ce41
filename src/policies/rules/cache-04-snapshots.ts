import type { Rule } from '../types';
import { num, show } from '../values';

export const cacheSnapshots: Rule = {
  id: 'ECG-CACHE-04',
  configField: 'cache.snapshotRetentionDays',
  anchor: 23,
  scannerIds: [],
  environments: ['production'],
  resourceTypes: ['aws_elasticache_replication_group'],
  description:
    'Every ElastiCache replication group keeps automatic snapshots (snapshot_retention_limit > 0).',
  checks: { 'no-snapshots': 'snapshot_retention_limit is 0 or unset' },
  check(ctx) {
    return ctx
      .resources('aws_elasticache_replication_group')
      .filter((g) => !(num(g.values.snapshot_retention_limit) > 0))
      .map((g) =>
        ctx.finding(
          g,
          'no-snapshots',
          `snapshot_retention_limit is ${show(g.values.snapshot_retention_limit)} (must be > 0 in production)`,
        ),
      );
  },
};
