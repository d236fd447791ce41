import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { productionConfig, stagingConfig } from '../src/config';
import { Peer } from '../src/lib/security-group';
import {
  ElasticacheRedis,
  REDIS_URL_TLS_QUERY,
  type ElasticacheRedisProps,
} from '../src/modules/elasticache';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';
import { props, settings } from './variants/elasticache';

/** Synthesizes the module with its outputs exposed as Terraform outputs. */
function synth(p: ElasticacheRedisProps): Json {
  return synthScope((scope) => {
    const cache = new ElasticacheRedis(scope, 'cache', p);
    cache.allowFrom(Peer.securityGroup('sg-0api', 'api'), 6379, 'Redis from the API tasks');
    cache.allowFrom(Peer.securityGroup('sg-0render', 'render'), 6379, 'Redis from the render workers');
    const outputs: Record<string, unknown> = {
      primary_endpoint: cache.primaryEndpoint,
      reader_endpoint: cache.readerEndpoint,
      port: cache.port,
      auth_token_secret_arn: cache.authTokenSecretArn,
      redis_url_secret_arn: cache.redisUrlSecretArn,
      security_group_id: cache.securityGroupId,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(scope, name, { value });
  });
}

const ref = (type: string, attr: string) => `\\$\\{${type}\\.[\\w-]+\\.${attr}\\}`;
const exactRef = (type: string, attr: string) => expect.stringMatching(new RegExp(`^${ref(type, attr)}$`));

/** Secret versions by the name of their secret. */
function secretValues(json: Json): Record<string, string> {
  const secrets = resourcesOf(json, 'aws_secretsmanager_secret');
  const byId = Object.fromEntries(
    Object.entries(secrets).map(([key, s]) => [`\${aws_secretsmanager_secret.${key}.id}`, s.name]),
  );
  return Object.fromEntries(
    Object.values(resourcesOf(json, 'aws_secretsmanager_secret_version')).map((v) => [
      byId[v.secret_id],
      v.secret_string,
    ]),
  );
}

describe.each([
  ['staging', stagingConfig(settings)],
  ['production', productionConfig(settings)],
] as const)('elasticache (%s)', (env, config) => {
  const json = synth(props(config));
  const group = onlyResource(json, 'aws_elasticache_replication_group');
  const prefix = `ecg-video-pipeline-${env}`;

  it('runs Redis 7.1 with cluster mode off in the data subnets', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      replication_group_id: `${prefix}-redis`,
      engine: 'redis',
      engine_version: '7.1',
      node_type: config.cache.nodeType,
      port: 6379,
      subnet_group_name: `${prefix}-data`,
      auto_minor_version_upgrade: 'true',
    });
    expect(group.num_node_groups).toBeUndefined();
    expect(group.security_group_ids).toEqual([exactRef('aws_security_group', 'id')]);
    expect(group.parameter_group_name).toEqual(exactRef('aws_elasticache_parameter_group', 'name'));
  });

  it('uses a redis7 parameter group without cluster mode that never evicts Celery queues', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(ElasticacheParameterGroup, {
      name: `${prefix}-redis7`,
      family: 'redis7',
      parameter: [
        { name: 'cluster-enabled', value: 'no' },
        { name: 'maxmemory-policy', value: 'noeviction' },
      ],
    });
  });

  it('encrypts at rest and in transit and requires the generated AUTH token (rows 20, 21)', () => {
    expect(group.at_rest_encryption_enabled).toBe('true');
    expect(group.transit_encryption_enabled).toBe(true);
    expect(group.auth_token).toMatch(new RegExp(`^${ref('random_password', 'result')}$`));
    const password = onlyResource(json, 'random_password');
    expect(password).toMatchObject({ length: 64, special: false });
  });

  it('keeps the token and a ready rediss:// REDIS_URL in Secrets Manager, never as literals', () => {
    const values = secretValues(json);
    expect(Object.keys(values).sort()).toEqual([`${prefix}/redis/auth-token`, `${prefix}/redis/url`]);
    expect(values[`${prefix}/redis/auth-token`]).toMatch(new RegExp(`^${ref('random_password', 'result')}$`));
    expect(values[`${prefix}/redis/url`]).toMatch(
      new RegExp(
        `^rediss://:${ref('random_password', 'result')}@${ref('aws_elasticache_replication_group', 'primary_endpoint_address')}:6379/0\\?ssl_cert_reqs=required$`,
      ),
    );
    for (const secret of Object.values(resourcesOf(json, 'aws_secretsmanager_secret'))) {
      expect(secret.recovery_window_in_days).toBe(7);
    }
    expect(json.output.auth_token_secret_arn.value).toEqual(exactRef('aws_secretsmanager_secret', 'arn'));
    expect(json.output.redis_url_secret_arn.value).toEqual(exactRef('aws_secretsmanager_secret', 'arn'));
  });

  // Celery's Redis backend refuses a rediss:// URL without ssl_cert_reqs; redis-py accepts only
  // none/optional/required ("Invalid SSL Certificate Requirements Flag: CERT_REQUIRED").
  it('gives REDIS_URL a query Celery and redis-py both accept, with certificate verification on', () => {
    const template = secretValues(json)[`${prefix}/redis/url`];
    const token = 'A1b2C3d4'.repeat(8);
    const host = `master.${prefix}-redis.abc123.apn2.cache.amazonaws.com`;
    const url = new URL(
      template
        .replace(new RegExp(ref('random_password', 'result')), token)
        .replace(new RegExp(ref('aws_elasticache_replication_group', 'primary_endpoint_address')), host),
    );
    expect({
      protocol: url.protocol,
      username: url.username,
      password: url.password,
      hostname: url.hostname,
      port: url.port,
      database: url.pathname,
      query: [...url.searchParams.entries()],
    }).toEqual({
      protocol: 'rediss:',
      username: '',
      password: token,
      hostname: host,
      port: '6379',
      database: '/0',
      query: [['ssl_cert_reqs', 'required']],
    });
    expect(REDIS_URL_TLS_QUERY).toBe('ssl_cert_reqs=required');
  });

  it('holds no secret literal anywhere: every token-like value is a Terraform reference', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/[A-Za-z0-9]{32,}/);
    expect(text).not.toMatch(/"auth_token":"(?!\$\{random_password\.)/);
  });

  it('delivers the slow log to CloudWatch Logs with the environment retention (row 48)', () => {
    const logGroup = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(logGroup).toMatchObject({
      name: `/aws/elasticache/${prefix}-redis/slow-log`,
      retention_in_days: env === 'production' ? 30 : 7,
    });
    expect(group.log_delivery_configuration).toEqual([
      {
        destination: exactRef('aws_cloudwatch_log_group', 'name'),
        destination_type: 'cloudwatch-logs',
        log_format: 'json',
        log_type: 'slow-log',
      },
    ]);
  });

  it('snapshots at 02:00 KST and maintains on Monday 05:00 KST', () => {
    expect(group.snapshot_window).toBe('17:00-18:00');
    expect(group.maintenance_window).toBe('sun:20:00-sun:21:00');
  });

  it('has its own security group: inbound 6379 only from the API and render groups, no egress (row 45)', () => {
    expect(onlyResource(json, 'aws_security_group')).toMatchObject({
      name: `${prefix}-cache`,
      description: expect.stringContaining('Redis'),
      tags: { Name: `${prefix}-cache` },
    });
    const rules = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    expect(rules.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port, r.ip_protocol])).toEqual(
      [
        ['sg-0api', 6379, 6379, 'tcp'],
        ['sg-0render', 6379, 6379, 'tcp'],
      ],
    );
    for (const r of rules) {
      expect(r.cidr_ipv4).toBeUndefined();
      expect(r.description).toMatch(/^Redis from /);
    }
    expect(resourcesOf(json, 'aws_vpc_security_group_egress_rule')).toEqual({});
  });

  it('exposes primary and reader endpoints, port and security group id', () => {
    expect(json.output.primary_endpoint.value).toEqual(
      exactRef('aws_elasticache_replication_group', 'primary_endpoint_address'),
    );
    expect(json.output.reader_endpoint.value).toEqual(
      exactRef('aws_elasticache_replication_group', 'reader_endpoint_address'),
    );
    expect(json.output.port.value).toBe(6379);
    expect(json.output.security_group_id.value).toEqual(exactRef('aws_security_group', 'id'));
  });

  if (env === 'production') {
    it('is a primary plus a replica with automatic failover over two AZs, snapshots kept 7 days (rows 22, 23)', () => {
      expect(group).toMatchObject({
        num_cache_clusters: 2,
        automatic_failover_enabled: true,
        multi_az_enabled: true,
        snapshot_retention_limit: 7,
      });
    });
  } else {
    it('is a single node without failover or snapshots', () => {
      expect(group).toMatchObject({
        num_cache_clusters: 1,
        automatic_failover_enabled: false,
        multi_az_enabled: false,
        snapshot_retention_limit: 0,
      });
    });
  }
});

describe('elasticache defaults', () => {
  it('turns failover and Multi-AZ on by itself when there are replicas', () => {
    const json = synth({
      namePrefix: 'p-e',
      vpcId: 'vpc-1',
      cacheSubnetGroupName: 'p-e-data',
      nodeCount: 3,
    });
    expect(onlyResource(json, 'aws_elasticache_replication_group')).toMatchObject({
      num_cache_clusters: 3,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      snapshot_retention_limit: 7,
    });
    expect(onlyResource(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
  });
});

/** The message of what `fn` throws. */

describe('elasticache validation', () => {
  const base = props(stagingConfig(settings));
  const build = (overrides: Partial<ElasticacheRedisProps>) => () =>
    new ElasticacheRedis(new TerraformStack(Testing.app(), 'test'), 'cache', { ...base, ...overrides });
  const one = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;

  it.each<[string, Partial<ElasticacheRedisProps>, string]>([
    [
      'the name prefix is not valid',
      { namePrefix: 'ecg-' },
      'test/cache.namePrefix ecg- must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      'the replication group id would exceed 40 characters',
      { namePrefix: 'ecg-video-pipeline-production-eu-west' },
      'test/cache.namePrefix ecg-video-pipeline-production-eu-west is too long: replication group id ecg-video-pipeline-production-eu-west-redis has 43 characters (ElastiCache allows 40)',
    ],
    [
      'the engine version lacks the minor version',
      { engineVersion: '7' },
      'test/cache.engineVersion 7 must be a Redis 7 version ElastiCache offers: 7.0, 7.1',
    ],
    [
      'the node type is not an ElastiCache type',
      { nodeType: 't4g.micro' },
      'test/cache.nodeType t4g.micro is not a current ElastiCache node type',
    ],
    ['there are too many nodes', { nodeCount: 7 }, 'test/cache.nodeCount 7 must be an integer from 1 to 6'],
    [
      'failover is asked for a single node',
      { automaticFailover: true, nodeCount: 1 },
      'test/cache.automaticFailover true requires nodeCount >= 2 (is 1)',
    ],
    [
      'Multi-AZ is asked for without failover',
      { multiAz: true, automaticFailover: false, nodeCount: 2 },
      'test/cache.multiAz true requires automaticFailover',
    ],
    [
      'snapshots are kept too long',
      { snapshotRetentionDays: 36 },
      'test/cache.snapshotRetentionDays 36 must be an integer from 0 to 35',
    ],
    [
      'the snapshot window is malformed',
      { snapshotWindow: '17-18' },
      'test/cache.snapshotWindow 17-18 must be hh24:mi-hh24:mi (UTC)',
    ],
    [
      'the maintenance window is shorter than an hour',
      { maintenanceWindow: 'sun:20:00-sun:20:30' },
      'test/cache.maintenanceWindow sun:20:00-sun:20:30 must be at least 60 minutes',
    ],
    [
      'the eviction policy is unknown',
      { maxmemoryPolicy: 'lru' },
      'test/cache.maxmemoryPolicy lru must be one of noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl',
    ],
    [
      'the slow-log retention is not a CloudWatch value',
      { slowLogRetentionDays: 2 },
      "test/cache.slowLogRetentionDays 2 must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [
      'the secret recovery window is outside 7-30',
      { secretRecoveryWindowDays: 3 },
      'test/cache.secretRecoveryWindowDays 3 must be 0 (delete at once) or an integer from 7 to 30',
    ],
  ])('fails when %s', (_name, overrides, line) => {
    expect(errorOf(build(overrides))).toBe(one(line));
  });

  it('fails with every problem at once', () => {
    expect(errorOf(build({ nodeCount: 0, port: 0, snapshotWindow: '17:00-17:30' }))).toBe(
      [
        'Invalid configuration (3 problems):',
        '  - test/cache.nodeCount 0 must be an integer from 1 to 6',
        '  - test/cache.snapshotWindow 17:00-17:30 must be at least 60 minutes',
        '  - test/cache.port 0 must be an integer from 1 to 65535',
      ].join('\n'),
    );
  });

  it('fails when the description is only spaces', () => {
    const cache = new ElasticacheRedis(new TerraformStack(Testing.app(), 'test'), 'cache', base);
    expect(
      errorOf(() => cache.allowFrom(Peer.securityGroup('sg-0123456789abcdef0', 'the api'), 6379, '   ')),
    ).toBe(
      'Invalid configuration (1 problem):\n  - test/cache.allowFrom.description "   " must say who connects and why (the value is only whitespace)',
    );
  });

  it('fails when the port is opened to a CIDR, another port or without a description', () => {
    const cache = new ElasticacheRedis(new TerraformStack(Testing.app(), 'test'), 'cache', base);
    expect(errorOf(() => cache.allowFrom(Peer.anyIpv4(), 22, ''))).toBe(
      [
        'Invalid configuration (3 problems):',
        '  - test/cache.allowFrom.peer anywhere must be a security group: the Redis port is never opened to CIDRs or prefix lists',
        '  - test/cache.allowFrom.port 22 must be the Redis port 6379',
        '  - test/cache.allowFrom.description "" must say who connects and why',
      ].join('\n'),
    );
  });
});
