import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const cacheFailover: Rule = {
  id: 'ECG-CACHE-03',
  configField: 'cache.automaticFailover',
  anchor: 22,
  scannerIds: ['CKV2_AWS_50', 'AwsSolutions-AEC4'],
  environments: ['production'],
  resourceTypes: ['aws_elasticache_replication_group'],
  description: 'Every ElastiCache replication group has automatic failover and Multi-AZ enabled.',
  checks: {
    'no-failover': 'automatic_failover_enabled is not true',
    'single-az': 'multi_az_enabled is not true',
  },
  check(ctx) {
    return ctx
      .resources('aws_elasticache_replication_group')
      .flatMap((g) => [
        ...(isTrue(g.values.automatic_failover_enabled)
          ? []
          : [
              ctx.finding(
                g,
                'no-failover',
                `automatic_failover_enabled is ${show(g.values.automatic_failover_enabled)} (must be true in production)`,
              ),
            ]),
        ...(isTrue(g.values.multi_az_enabled)
          ? []
          : [
              ctx.finding(
                g,
                'single-az',
                `multi_az_enabled is ${show(g.values.multi_az_enabled)} (must be true in production)`,
              ),
            ]),
      ]);
  },
};
