import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Password } from '@cdktf/provider-random/lib/password';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { dailyWindow, weeklyWindow } from '../lib/maintenance-window';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { elasticacheNodeTypeProblem, redisVersionProblem } from '../lib/aws/elasticache';
import { LOG_RETENTION_DAYS } from '../lib/aws/limits';
import { ManagedSecurityGroup, type Peer, type PortSpec } from '../lib/security-group';
import { NAME_PREFIX_PATTERN, NAME_PREFIX_RULE } from '../lib/naming';

/**
 * Query of the `rediss://` URL: certificate verification on, spelled so that both clients accept
 * it. Celery's Redis backend refuses a `rediss://` URL without `ssl_cert_reqs` and takes
 * `required` or `CERT_REQUIRED`; redis-py (`redis.from_url`, which kombu uses for the broker)
 * takes only `none`, `optional` or `required` ("Invalid SSL Certificate Requirements Flag").
 */
export const REDIS_URL_TLS_QUERY = 'ssl_cert_reqs=required';

/** Redis eviction policies ElastiCache accepts for `maxmemory-policy`. */
export const MAXMEMORY_POLICIES: readonly string[] = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
];

/** The Redis major version this module builds; its parameter group family is redis<major>. */
const REDIS_MAJOR = '7';
export interface ElasticacheRedisProps {
  /** `<project>-<env>`; every resource name starts with it. */
  readonly namePrefix: string;
  /** VPC of the cache's security group. */
  readonly vpcId: string;
  /** ElastiCache subnet group over the data subnets (created by the vpc module). */
  readonly cacheSubnetGroupName: string;
  /** Redis 7 `major.minor` (ElastiCache needs both for 7+). @default '7.1' */
  readonly engineVersion?: string;
  /** @default 'cache.t4g.micro' */
  readonly nodeType?: string;
  /** Primary plus replicas (cluster mode off: one shard). @default 1 */
  readonly nodeCount?: number;
  /** Promote a replica when the primary fails; needs nodeCount >= 2. @default nodeCount >= 2 */
  readonly automaticFailover?: boolean;
  /** Spread the nodes over AZs; needs automaticFailover. @default automaticFailover */
  readonly multiAz?: boolean;
  /** Days of daily snapshots kept; 0 turns snapshots off. @default 7 */
  readonly snapshotRetentionDays?: number;
  /** Take a final snapshot `<group id>-final` when the group is deleted. @default false */
  readonly finalSnapshot?: boolean;
  /** Daily snapshot window, UTC `hh24:mi-hh24:mi`. @default '17:00-18:00' (02:00-03:00 KST) */
  readonly snapshotWindow?: string;
  /** Weekly maintenance window, UTC. @default 'sun:20:00-sun:21:00' (Monday 05:00-06:00 KST) */
  readonly maintenanceWindow?: string;
  /** @default 6379 */
  readonly port?: number;
  /**
   * `maxmemory-policy` of the parameter group. Celery keeps its queues in Redis, so evicting
   * keys would silently drop jobs.
   * @default 'noeviction'
   */
  readonly maxmemoryPolicy?: string;
  /** Retention of the slow-log group; one of CloudWatch Logs' allowed values. @default 30 */
  readonly slowLogRetentionDays?: number;
  /** Days a deleted secret can be restored; 0 deletes at once, else 7-30. @default 7 */
  readonly secretRecoveryWindowDays?: number;
}

type ResolvedProps = Required<ElasticacheRedisProps>;

/** Props with every default filled in (an explicit `undefined` also takes the default). */
function resolveProps(props: ElasticacheRedisProps): ResolvedProps {
  const nodeCount = props.nodeCount ?? 1;
  const automaticFailover = props.automaticFailover ?? nodeCount >= 2;
  return {
    ...props,
    engineVersion: props.engineVersion ?? '7.1',
    nodeType: props.nodeType ?? 'cache.t4g.micro',
    nodeCount,
    automaticFailover,
    multiAz: props.multiAz ?? automaticFailover,
    snapshotRetentionDays: props.snapshotRetentionDays ?? 7,
    finalSnapshot: props.finalSnapshot ?? false,
    snapshotWindow: props.snapshotWindow ?? '17:00-18:00',
    maintenanceWindow: props.maintenanceWindow ?? 'sun:20:00-sun:21:00',
    port: props.port ?? 6379,
    maxmemoryPolicy: props.maxmemoryPolicy ?? 'noeviction',
    slowLogRetentionDays: props.slowLogRetentionDays ?? 30,
    secretRecoveryWindowDays: props.secretRecoveryWindowDays ?? 7,
  };
}

const MAX_REPLICATION_GROUP_ID = 40;

/**
 * Redis 7 on ElastiCache as a replication group with cluster mode off (Celery needs a single
 * keyspace): data subnets, its own security group (no rules until `allowFrom`), a redis7
 * parameter group, encryption at rest and in transit, an AUTH token from `random_password`
 * kept in Secrets Manager both alone and as a ready `rediss://` URL, slow-log delivery to
 * CloudWatch Logs, and snapshot / maintenance windows.
 *
 * The two secrets hold plain strings, not JSON (inject them whole, without a `:key::` suffix):
 * - `<namePrefix>/redis/auth-token`: the AUTH token alone (64 letters and digits).
 * - `<namePrefix>/redis/url`: `rediss://:<token>@<primary endpoint>:<port>/0?ssl_cert_reqs=required`,
 *   the `REDIS_URL` that Celery (broker and result backend) and redis-py take as it is: TLS,
 *   the token as password with an empty user name, database 0, server certificate verified.
 */
export class ElasticacheRedis extends Construct {
  /** Host name of the primary (writes). */
  public readonly primaryEndpoint: string;
  /** Host name that balances reads over the replicas. */
  public readonly readerEndpoint: string;
  public readonly port: number;
  /** Secret holding the AUTH token alone. */
  public readonly authTokenSecretArn: string;
  /** Secret holding `rediss://:<token>@<primary endpoint>:<port>/0?ssl_cert_reqs=required` (`REDIS_URL`). */
  public readonly redisUrlSecretArn: string;
  public readonly securityGroupId: string;

  public readonly replicationGroup: ElasticacheReplicationGroup;
  public readonly parameterGroup: ElasticacheParameterGroup;
  public readonly securityGroup: ManagedSecurityGroup;
  public readonly authToken: Password;
  public readonly authTokenSecret: SecretsmanagerSecret;
  public readonly redisUrlSecret: SecretsmanagerSecret;
  public readonly slowLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ElasticacheRedisProps) {
    super(scope, id);
    const p = resolveProps(props);
    this.validate(p);
    const groupId = `${p.namePrefix}-redis`;
    this.port = p.port;

    this.securityGroup = new ManagedSecurityGroup(this, 'security-group', {
      vpcId: p.vpcId,
      name: `${p.namePrefix}-cache`,
      description: `Redis (ElastiCache) of ${p.namePrefix}`,
    });
    this.securityGroupId = this.securityGroup.securityGroupId;

    this.parameterGroup = new ElasticacheParameterGroup(this, 'parameters', {
      name: `${p.namePrefix}-redis${REDIS_MAJOR}`,
      family: `redis${REDIS_MAJOR}`,
      description: `Redis ${REDIS_MAJOR} of ${p.namePrefix}: cluster mode off, ${p.maxmemoryPolicy}`,
      parameter: [
        { name: 'cluster-enabled', value: 'no' },
        { name: 'maxmemory-policy', value: p.maxmemoryPolicy },
      ],
    });

    // Letters and digits only: ElastiCache would allow a few symbols, but the token also goes
    // into a URL, where `#`, `&` or `^` would need escaping. 64 of them are ~380 bits.
    this.authToken = new Password(this, 'auth-token', { length: 64, special: false });

    this.slowLogGroup = new CloudwatchLogGroup(this, 'slow-log', {
      name: `/aws/elasticache/${groupId}/slow-log`,
      retentionInDays: p.slowLogRetentionDays,
    });

    this.replicationGroup = new ElasticacheReplicationGroup(this, 'replication-group', {
      replicationGroupId: groupId,
      description: `Redis of ${p.namePrefix} (Celery broker and cache)`,
      engine: 'redis',
      engineVersion: p.engineVersion,
      nodeType: p.nodeType,
      numCacheClusters: p.nodeCount,
      port: p.port,
      parameterGroupName: this.parameterGroup.name,
      subnetGroupName: p.cacheSubnetGroupName,
      securityGroupIds: [this.securityGroupId],
      automaticFailoverEnabled: p.automaticFailover,
      multiAzEnabled: p.multiAz,
      atRestEncryptionEnabled: 'true',
      transitEncryptionEnabled: true,
      authToken: this.authToken.result,
      autoMinorVersionUpgrade: 'true',
      snapshotRetentionLimit: p.snapshotRetentionDays,
      snapshotWindow: p.snapshotWindow,
      finalSnapshotIdentifier: p.finalSnapshot ? `${groupId}-final` : undefined,
      maintenanceWindow: p.maintenanceWindow,
      logDeliveryConfiguration: [
        {
          destination: this.slowLogGroup.name,
          destinationType: 'cloudwatch-logs',
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
      tags: { Name: groupId },
    });
    this.primaryEndpoint = this.replicationGroup.primaryEndpointAddress;
    this.readerEndpoint = this.replicationGroup.readerEndpointAddress;

    this.authTokenSecret = this.secret('auth-token-secret', `${p.namePrefix}/redis/auth-token`, {
      description: `AUTH token of ${groupId}`,
      value: this.authToken.result,
      recoveryWindowInDays: p.secretRecoveryWindowDays,
    });
    this.redisUrlSecret = this.secret('redis-url-secret', `${p.namePrefix}/redis/url`, {
      description: `REDIS_URL of ${groupId}: TLS with certificate verification, AUTH token, database 0`,
      value: `rediss://:${this.authToken.result}@${this.primaryEndpoint}:${p.port}/0?${REDIS_URL_TLS_QUERY}`,
      recoveryWindowInDays: p.secretRecoveryWindowDays,
    });
    this.authTokenSecretArn = this.authTokenSecret.arn;
    this.redisUrlSecretArn = this.redisUrlSecret.arn;
  }

  /**
   * Allows `peer` (a security group: data ports are never opened to CIDRs) to connect on the
   * Redis port.
   */
  public allowFrom(peer: Peer, port: PortSpec, description: string): VpcSecurityGroupIngressRule {
    const v = new IssueCollector(`${this.node.path}.allowFrom`);
    v.at('peer').check(
      peer.target.referencedSecurityGroupId !== undefined,
      peer.label,
      'must be a security group: the Redis port is never opened to CIDRs or prefix lists',
    );
    v.at('port').check(port === this.port, port, `must be the Redis port ${this.port}`);
    v.at('description').check(description.trim() !== '', description, 'must say who connects and why');
    throwIfIssues(v.issues);
    return this.securityGroup.allowFrom(peer, port, description);
  }

  private secret(
    id: string,
    name: string,
    options: { description: string; value: string; recoveryWindowInDays: number },
  ): SecretsmanagerSecret {
    const secret = new SecretsmanagerSecret(this, id, {
      name,
      description: options.description,
      recoveryWindowInDays: options.recoveryWindowInDays,
    });
    new SecretsmanagerSecretVersion(this, `${id}-value`, {
      secretId: secret.id,
      secretString: options.value,
    });
    return secret;
  }

  private validate(p: ResolvedProps): void {
    const v = new IssueCollector(this.node.path);
    if (!Token.isUnresolved(p.namePrefix)) {
      const groupId = `${p.namePrefix}-redis`;
      v.at('namePrefix').matches(p.namePrefix, NAME_PREFIX_PATTERN, NAME_PREFIX_RULE);
      v.at('namePrefix').check(
        groupId.length <= MAX_REPLICATION_GROUP_ID,
        p.namePrefix,
        `is too long: replication group id ${groupId} has ${groupId.length} characters (ElastiCache allows ${MAX_REPLICATION_GROUP_ID})`,
      );
    }
    const version = redisVersionProblem(p.engineVersion, REDIS_MAJOR);
    if (version) v.at('engineVersion').report(p.engineVersion, version);
    const nodeType = elasticacheNodeTypeProblem(p.nodeType);
    if (nodeType) v.at('nodeType').report(p.nodeType, nodeType);
    v.at('nodeCount').intRange(p.nodeCount, 1, 6);
    if (p.automaticFailover) {
      v.at('automaticFailover').check(
        p.nodeCount >= 2,
        p.automaticFailover,
        `requires nodeCount >= 2 (is ${p.nodeCount})`,
      );
    }
    if (p.multiAz) v.at('multiAz').check(p.automaticFailover, p.multiAz, 'requires automaticFailover');
    v.at('snapshotRetentionDays').intRange(p.snapshotRetentionDays, 0, 35);
    const snapshot = dailyWindow(p.snapshotWindow)?.length;
    if (snapshot === undefined)
      v.at('snapshotWindow').report(p.snapshotWindow, 'must be hh24:mi-hh24:mi (UTC)');
    else v.at('snapshotWindow').check(snapshot >= 60, p.snapshotWindow, 'must be at least 60 minutes');
    const maintenance = weeklyWindow(p.maintenanceWindow)?.length;
    if (maintenance === undefined) {
      v.at('maintenanceWindow').report(p.maintenanceWindow, 'must be ddd:hh24:mi-ddd:hh24:mi (UTC)');
    } else {
      v.at('maintenanceWindow').check(maintenance >= 60, p.maintenanceWindow, 'must be at least 60 minutes');
    }
    v.at('port').intRange(p.port, 1, 65535);
    v.at('maxmemoryPolicy').oneOf(p.maxmemoryPolicy, MAXMEMORY_POLICIES);
    v.at('slowLogRetentionDays').oneOf(
      p.slowLogRetentionDays,
      LOG_RETENTION_DAYS as readonly number[],
      "one of CloudWatch Logs' retention values:",
    );
    v.at('secretRecoveryWindowDays').check(
      p.secretRecoveryWindowDays === 0 ||
        (Number.isInteger(p.secretRecoveryWindowDays) &&
          p.secretRecoveryWindowDays >= 7 &&
          p.secretRecoveryWindowDays <= 30),
      p.secretRecoveryWindowDays,
      'must be 0 (delete at once) or an integer from 7 to 30',
    );
    throwIfIssues(v.issues);
  }
}
