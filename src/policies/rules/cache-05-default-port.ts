import type { Rule } from '../types';
import { isSet, num } from '../values';

const REDIS_PORT = 6379;

export const cacheDefaultPort: Rule = {
  id: 'ECG-CACHE-05',
  anchor: 'exception',
  scannerIds: ['AwsSolutions-AEC5'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_elasticache_replication_group'],
  description: 'No ElastiCache replication group listens on the default Redis port 6379.',
  checks: { 'default-port': 'the group uses port 6379' },
  check(ctx) {
    return ctx
      .resources('aws_elasticache_replication_group')
      .filter((g) => (isSet(g.values.port) ? num(g.values.port) : REDIS_PORT) === REDIS_PORT)
      .map((g) => ctx.finding(g, 'default-port', `listens on the default Redis port ${REDIS_PORT}`));
  },
};
