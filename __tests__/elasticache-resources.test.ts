import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ElasticacheRedis, type ElasticacheRedisProps } from '../src/modules/elasticache';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';

/**
 * The ElastiCache module's resources read whole (src/modules/elasticache.ts): every default of a
 * cache built from the three required props, each prop that switches a field, and the edges of
 * each validation rule. Expected values are written out.
 */
const REQUIRED: ElasticacheRedisProps = {
  namePrefix: 'p-e',
  vpcId: 'vpc-1',
  cacheSubnetGroupName: 'p-e-data',
};

function synth(props: Partial<ElasticacheRedisProps> = {}): Json {
  return synthScope((scope) => {
    new ElasticacheRedis(scope, 'cache', { ...REQUIRED, ...props });
  });
}

const build = (props: Partial<ElasticacheRedisProps>) => () =>
  new ElasticacheRedis(new TerraformStack(Testing.app(), 'test'), 'cache', { ...REQUIRED, ...props });
const one = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;

const TOKEN = '${random_password.cache_auth-token_3D7C467C.result}';
const PRIMARY =
  '${aws_elasticache_replication_group.cache_replication-group_FA5C54CF.primary_endpoint_address}';

describe('ElasticacheRedis defaults', () => {
  const json = synth();

  it('is one cache.t4g.micro Redis 7.1 node on 6379, encrypted, no failover, snapshots kept 7 days, no final snapshot', () => {
    expect(onlyResource(json, 'aws_elasticache_replication_group')).toEqual({
      replication_group_id: 'p-e-redis',
      description: 'Redis of p-e (Celery broker and cache)',
      engine: 'redis',
      engine_version: '7.1',
      node_type: 'cache.t4g.micro',
      num_cache_clusters: 1,
      port: 6379,
      parameter_group_name: '${aws_elasticache_parameter_group.cache_parameters_40CE81C8.name}',
      subnet_group_name: 'p-e-data',
      security_group_ids: ['${aws_security_group.cache_security-group_ED85F37B.id}'],
      automatic_failover_enabled: false,
      multi_az_enabled: false,
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      auth_token: TOKEN,
      auto_minor_version_upgrade: 'true',
      snapshot_retention_limit: 7,
      snapshot_window: '17:00-18:00',
      maintenance_window: 'sun:20:00-sun:21:00',
      log_delivery_configuration: [
        {
          destination: '${aws_cloudwatch_log_group.cache_slow-log_31146A07.name}',
          destination_type: 'cloudwatch-logs',
          log_format: 'json',
          log_type: 'slow-log',
        },
      ],
      tags: { Name: 'p-e-redis' },
    });
  });

  it('never evicts keys and keeps cluster mode off, in a redis7 parameter group', () => {
    expect(onlyResource(json, 'aws_elasticache_parameter_group')).toEqual({
      name: 'p-e-redis7',
      family: 'redis7',
      description: 'Redis 7 of p-e: cluster mode off, noeviction',
      parameter: [
        { name: 'cluster-enabled', value: 'no' },
        { name: 'maxmemory-policy', value: 'noeviction' },
      ],
    });
  });

  it('generates a 64-character token of letters and digits only (it goes into a URL)', () => {
    expect(onlyResource(json, 'random_password')).toEqual({ length: 64, special: false });
  });

  it('keeps the slow log 30 days', () => {
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toEqual({
      name: '/aws/elasticache/p-e-redis/slow-log',
      retention_in_days: 30,
    });
  });

  it('keeps the token and REDIS_URL in two secrets, restorable for 7 days after deletion', () => {
    expect(resourcesOf(json, 'aws_secretsmanager_secret')).toEqual({
      'cache_auth-token-secret_9CFFAD65': {
        name: 'p-e/redis/auth-token',
        description: 'AUTH token of p-e-redis',
        recovery_window_in_days: 7,
      },
      'cache_redis-url-secret_82AE70BE': {
        name: 'p-e/redis/url',
        description: 'REDIS_URL of p-e-redis: TLS with certificate verification, AUTH token, database 0',
        recovery_window_in_days: 7,
      },
    });
    expect(resourcesOf(json, 'aws_secretsmanager_secret_version')).toEqual({
      'cache_auth-token-secret-value_407FEB5B': {
        secret_id: '${aws_secretsmanager_secret.cache_auth-token-secret_9CFFAD65.id}',
        secret_string: TOKEN,
      },
      'cache_redis-url-secret-value_53D79654': {
        secret_id: '${aws_secretsmanager_secret.cache_redis-url-secret_82AE70BE.id}',
        secret_string: `rediss://:${TOKEN}@${PRIMARY}:6379/0?ssl_cert_reqs=required`,
      },
    });
  });

  it('has its own security group without rules, replaced before it is destroyed', () => {
    expect(onlyResource(json, 'aws_security_group')).toEqual({
      name: 'p-e-cache',
      description: 'Redis (ElastiCache) of p-e',
      vpc_id: 'vpc-1',
      tags: { Name: 'p-e-cache' },
      lifecycle: { create_before_destroy: true },
    });
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
  });

  it('exposes the port', () => {
    expect(new ElasticacheRedis(new TerraformStack(Testing.app(), 'test'), 'cache', REQUIRED).port).toBe(
      6379,
    );
  });
});

describe('ElasticacheRedis options', () => {
  it('turns failover and Multi-AZ on by itself from two nodes', () => {
    const group = onlyResource(synth({ nodeCount: 2 }), 'aws_elasticache_replication_group');
    expect([group.num_cache_clusters, group.automatic_failover_enabled, group.multi_az_enabled]).toEqual([
      2,
      true,
      true,
    ]);
  });

  it('keeps Multi-AZ off when failover is turned off for two nodes', () => {
    const group = onlyResource(
      synth({ nodeCount: 2, automaticFailover: false }),
      'aws_elasticache_replication_group',
    );
    expect([group.automatic_failover_enabled, group.multi_az_enabled]).toEqual([false, false]);
  });

  it('takes failover without Multi-AZ', () => {
    const group = onlyResource(
      synth({ nodeCount: 2, automaticFailover: true, multiAz: false }),
      'aws_elasticache_replication_group',
    );
    expect([group.automatic_failover_enabled, group.multi_az_enabled]).toEqual([true, false]);
  });

  it('names the final snapshot <group id>-final when asked for one', () => {
    const group = onlyResource(synth({ finalSnapshot: true }), 'aws_elasticache_replication_group');
    expect(group.final_snapshot_identifier).toBe('p-e-redis-final');
  });

  it('puts the port into the group and REDIS_URL, and the eviction policy into the parameter group', () => {
    const json = synth({
      port: 6380,
      maxmemoryPolicy: 'allkeys-lru',
      engineVersion: '7.0',
      nodeType: 'cache.t4g.small',
    });
    const group = onlyResource(json, 'aws_elasticache_replication_group');
    expect([group.port, group.engine_version, group.node_type]).toEqual([6380, '7.0', 'cache.t4g.small']);
    expect(onlyResource(json, 'aws_elasticache_parameter_group')).toEqual({
      name: 'p-e-redis7',
      family: 'redis7',
      description: 'Redis 7 of p-e: cluster mode off, allkeys-lru',
      parameter: [
        { name: 'cluster-enabled', value: 'no' },
        { name: 'maxmemory-policy', value: 'allkeys-lru' },
      ],
    });
    const url = resourcesOf(json, 'aws_secretsmanager_secret_version')[
      'cache_redis-url-secret-value_53D79654'
    ];
    expect(url.secret_string).toBe(`rediss://:${TOKEN}@${PRIMARY}:6380/0?ssl_cert_reqs=required`);
  });

  it('deletes the secrets at once with a recovery window of 0', () => {
    for (const secret of Object.values(
      resourcesOf(synth({ secretRecoveryWindowDays: 0 }), 'aws_secretsmanager_secret'),
    )) {
      expect(secret.recovery_window_in_days).toBe(0);
    }
  });

  it('leaves a name prefix that is a Terraform expression unchecked', () => {
    const json = synthScope((scope) => {
      const prefix = new TerraformVariable(scope, 'prefix', { type: 'string' }).stringValue;
      new ElasticacheRedis(scope, 'cache', { ...REQUIRED, namePrefix: prefix });
    });
    expect(onlyResource(json, 'aws_elasticache_replication_group').replication_group_id).toBe(
      '${var.prefix}-redis',
    );
  });
});

describe('ElasticacheRedis validation edges', () => {
  it.each<[string, Partial<ElasticacheRedisProps>]>([
    ['a replication group id of exactly 40 characters', { namePrefix: 'a'.repeat(34) }],
    ['Redis 7.0', { engineVersion: '7.0' }],
    ['six nodes, the most this module builds', { nodeCount: 6 }],
    ['failover with two nodes', { nodeCount: 2, automaticFailover: true }],
    ['no snapshots (0 days)', { snapshotRetentionDays: 0 }],
    ['snapshots kept 35 days, the ElastiCache maximum', { snapshotRetentionDays: 35 }],
    ['a 60-minute snapshot window, the ElastiCache minimum', { snapshotWindow: '17:00-18:00' }],
    ['a 60-minute maintenance window, the ElastiCache minimum', { maintenanceWindow: 'mon:01:00-mon:02:00' }],
    ['port 1', { port: 1 }],
    ['port 65535', { port: 65535 }],
    ['the volatile-ttl eviction policy', { maxmemoryPolicy: 'volatile-ttl' }],
    ['a slow log kept 3653 days', { slowLogRetentionDays: 3653 }],
    ['a 7-day secret recovery window, the Secrets Manager minimum', { secretRecoveryWindowDays: 7 }],
    ['a 30-day secret recovery window, the Secrets Manager maximum', { secretRecoveryWindowDays: 30 }],
  ])('accepts %s', (_name, props) => {
    expect(build(props)).not.toThrow();
  });

  it.each<[string, Partial<ElasticacheRedisProps>, string]>([
    [
      'the replication group id is 41 characters',
      { namePrefix: 'b'.repeat(35) },
      `test/cache.namePrefix ${'b'.repeat(35)} is too long: replication group id ${'b'.repeat(35)}-redis has 41 characters (ElastiCache allows 40)`,
    ],
    [
      'the engine version is Redis 6',
      { engineVersion: '6.2' },
      'test/cache.engineVersion 6.2 must be a Redis 7 version ElastiCache offers: 7.0, 7.1',
    ],
    ['there are no nodes', { nodeCount: 0 }, 'test/cache.nodeCount 0 must be an integer from 1 to 6'],
    [
      'Multi-AZ is asked for with a single node',
      { multiAz: true },
      'test/cache.multiAz true requires automaticFailover',
    ],
    [
      'the snapshot window is 59 minutes',
      { snapshotWindow: '17:00-17:59' },
      'test/cache.snapshotWindow 17:00-17:59 must be at least 60 minutes',
    ],
    [
      'the maintenance window is malformed',
      { maintenanceWindow: 'sun 20:00' },
      'test/cache.maintenanceWindow sun 20:00 must be ddd:hh24:mi-ddd:hh24:mi (UTC)',
    ],
    [
      'the maintenance window is 59 minutes',
      { maintenanceWindow: 'sun:20:00-sun:20:59' },
      'test/cache.maintenanceWindow sun:20:00-sun:20:59 must be at least 60 minutes',
    ],
    ['the port is 65536', { port: 65536 }, 'test/cache.port 65536 must be an integer from 1 to 65535'],
    [
      'the secret recovery window is 6 days',
      { secretRecoveryWindowDays: 6 },
      'test/cache.secretRecoveryWindowDays 6 must be 0 (delete at once) or an integer from 7 to 30',
    ],
    [
      'the secret recovery window is 31 days',
      { secretRecoveryWindowDays: 31 },
      'test/cache.secretRecoveryWindowDays 31 must be 0 (delete at once) or an integer from 7 to 30',
    ],
    [
      'the secret recovery window is not a whole number of days',
      { secretRecoveryWindowDays: 7.5 },
      'test/cache.secretRecoveryWindowDays 7.5 must be 0 (delete at once) or an integer from 7 to 30',
    ],
  ])('fails when %s', (_name, props, line) => {
    expect(errorOf(build(props))).toBe(one(line));
  });
});
