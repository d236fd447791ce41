import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Password } from '@cdktf/provider-random/lib/password';
import type { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { cacheAtRestEncryption } from '../../src/policies/rules/cache-01-at-rest-encryption';
import { cacheTransitEncryptionAuth } from '../../src/policies/rules/cache-02-transit-encryption-auth';
import { cacheFailover } from '../../src/policies/rules/cache-03-failover';
import { cacheSnapshots } from '../../src/policies/rules/cache-04-snapshots';
import { cacheDefaultPort } from '../../src/policies/rules/cache-05-default-port';
import { dynamodbPitrEncryption } from '../../src/policies/rules/ddb-01-pitr-encryption';
import { rdsStorageEncrypted } from '../../src/policies/rules/rds-01-storage-encrypted';
import { rdsNotPublic } from '../../src/policies/rules/rds-02-not-public';
import { rdsBackupRetention } from '../../src/policies/rules/rds-03-backup-retention';
import { rdsMultiAz } from '../../src/policies/rules/rds-04-multi-az';
import { rdsDeletionProtection } from '../../src/policies/rules/rds-05-deletion-protection';
import { rdsIamAuth } from '../../src/policies/rules/rds-06-iam-auth';
import { rdsPerformanceInsights } from '../../src/policies/rules/rds-07-performance-insights';
import { rdsMinorUpgrades } from '../../src/policies/rules/rds-08-minor-upgrades';
import { rdsCopyTags } from '../../src/policies/rules/rds-09-copy-tags';
import { rdsForceSsl } from '../../src/policies/rules/rds-10-force-ssl';
import { rdsLoggingMonitoring } from '../../src/policies/rules/rds-11-logging-monitoring';
import { rdsDefaultPort } from '../../src/policies/rules/rds-12-default-port';
import { secretsRotation } from '../../src/policies/rules/sm-01-rotation';
import { findingsOf, fixture, resultOf, rulesOf } from './support';

type Parts = Record<string, TerraformResource>;

/** A production-grade PostgreSQL instance `db` with its parameter group `params`. */
function database(
  tweak: (p: Parts, scope: Construct) => void = () => {},
  parameters: Record<string, string> = { 'rds.force_ssl': '1', log_min_duration_statement: '1000' },
  logExports: string[] = ['postgresql', 'upgrade'],
  scheduled = true,
) {
  return fixture((scope) => {
    const params = new DbParameterGroup(scope, 'params', {
      name: 'db-params',
      family: 'postgres15',
      parameter: Object.entries(parameters).map(([name, value]) => ({ name, value })),
    });
    const db = new DbInstance(scope, 'db', {
      identifier: 'db',
      engine: 'postgres',
      engineVersion: '15',
      instanceClass: 'db.t4g.medium',
      allocatedStorage: 100,
      port: 5433,
      storageEncrypted: true,
      publiclyAccessible: false,
      backupRetentionPeriod: 7,
      multiAz: true,
      deletionProtection: true,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: true,
      copyTagsToSnapshot: true,
      parameterGroupName: params.name,
      enabledCloudwatchLogsExports: logExports,
      monitoringInterval: 60,
      monitoringRoleArn: 'arn:aws:iam::123456789012:role/rds-monitoring',
      manageMasterUserPassword: true,
      username: 'ecg_admin',
    });
    if (scheduled) {
      // The managed secret on a 30-day schedule (managed rotation: no Lambda function).
      new SecretsmanagerSecretRotation(scope, 'master-rotation', {
        secretId: db.masterUserSecret.get(0).secretArn,
        rotateImmediately: false,
        rotationRules: { automaticallyAfterDays: 30 },
      });
    }
    tweak({ db, params }, scope);
  });
}

/** A production-grade Redis replication group `redis` with a generated AUTH token. */
function cache(tweak: (p: Parts) => void = () => {}) {
  return fixture((scope) => {
    const token = new Password(scope, 'token', { length: 32, special: false });
    const redis = new ElasticacheReplicationGroup(scope, 'redis', {
      replicationGroupId: 'redis',
      description: 'Celery broker',
      engine: 'redis',
      nodeType: 'cache.t4g.small',
      numCacheClusters: 2,
      port: 6380,
      atRestEncryptionEnabled: 'true',
      transitEncryptionEnabled: true,
      authToken: token.result,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      snapshotRetentionLimit: 7,
    });
    tweak({ redis });
  });
}

const override = (key: string, value: unknown) => (p: Parts) => p.db.addOverride(key, value);

describe('RDS rules', () => {
  const compliant = database();
  const RDS_RULES = rulesOf('ECG-RDS', 'ECG-SM');

  it.each(RDS_RULES.map((r) => [r.id, r]))(
    '%s passes a production-grade PostgreSQL instance',
    (_id, rule) => {
      expect(resultOf(rule, compliant, 'production')).toMatchObject({ status: 'pass', findings: [] });
    },
  );

  it.each([
    [
      rdsStorageEncrypted,
      'storage_encrypted',
      false,
      'ECG-RDS-01 aws_db_instance.db: storage_encrypted is false (must be true)',
    ],
    [
      rdsNotPublic,
      'publicly_accessible',
      true,
      'ECG-RDS-02 aws_db_instance.db: publicly_accessible is true (must be false)',
    ],
    [
      rdsMultiAz,
      'multi_az',
      false,
      'ECG-RDS-04 aws_db_instance.db: multi_az is false (must be true in production)',
    ],
    [
      rdsDeletionProtection,
      'deletion_protection',
      false,
      'ECG-RDS-05 aws_db_instance.db: deletion_protection is false (must be true in production)',
    ],
    [
      rdsIamAuth,
      'iam_database_authentication_enabled',
      false,
      'ECG-RDS-06 aws_db_instance.db: iam_database_authentication_enabled is false (must be true)',
    ],
    [
      rdsPerformanceInsights,
      'performance_insights_enabled',
      false,
      'ECG-RDS-07 aws_db_instance.db: performance_insights_enabled is false (must be true)',
    ],
    [
      rdsMinorUpgrades,
      'auto_minor_version_upgrade',
      false,
      'ECG-RDS-08 aws_db_instance.db: auto_minor_version_upgrade is false (must be true)',
    ],
    [
      rdsCopyTags,
      'copy_tags_to_snapshot',
      false,
      'ECG-RDS-09 aws_db_instance.db: copy_tags_to_snapshot is false (must be true)',
    ],
  ] as const)('%o fails when %s is %s', (rule, key, value, message) => {
    expect(findingsOf(rule, database(override(key, value)), 'production')).toEqual([message]);
  });

  it('ECG-RDS-03 requires 7 days of backups in production and 1 in staging, primaries only', () => {
    const short = database(override('backup_retention_period', 1));
    expect(findingsOf(rdsBackupRetention, short, 'production')).toEqual([
      'ECG-RDS-03 aws_db_instance.db: backup_retention_period is 1 (must be at least 7 in production)',
    ]);
    expect(findingsOf(rdsBackupRetention, short, 'staging')).toEqual([]);
    expect(
      findingsOf(rdsBackupRetention, database(override('backup_retention_period', 0)), 'staging'),
    ).toEqual(['ECG-RDS-03 aws_db_instance.db: backup_retention_period is 0 (must be at least 1)']);
    const replica = database((p) => {
      p.db.addOverride('backup_retention_period', 0);
      p.db.addOverride('replicate_source_db', 'primary');
    });
    expect(findingsOf(rdsBackupRetention, replica, 'production')).toEqual([]);
  });

  it('ECG-RDS-04 and ECG-RDS-05 apply to production only', () => {
    const single = database(override('multi_az', false));
    expect(resultOf(rdsMultiAz, single, 'staging')).toMatchObject({
      status: 'not-applicable',
      detail: 'production only',
    });
    expect(resultOf(rdsDeletionProtection, single, 'staging').status).toBe('not-applicable');
  });

  it('ECG-RDS-10 fails an instance on a default parameter group and a group without rds.force_ssl = 1', () => {
    const json = database((p) => p.db.addOverride('parameter_group_name', 'default.postgres15'), {
      'rds.force_ssl': '0',
    });
    expect(findingsOf(rdsForceSsl, json)).toEqual([
      `ECG-RDS-10 aws_db_instance.db: parameter_group_name "default.postgres15" is not a parameter group of this stack (PostgreSQL 15's default allows non-TLS connections)`,
      'ECG-RDS-10 aws_db_parameter_group.params: rds.force_ssl is "0" (must be "1")',
    ]);
  });

  it('ECG-RDS-10 finds the parameter group by its literal name too', () => {
    expect(findingsOf(rdsForceSsl, database(override('parameter_group_name', 'db-params')))).toEqual([]);
  });

  it('ECG-RDS-11 fails missing log exports, query logging and enhanced monitoring', () => {
    const json = database(
      (p) => p.db.addOverride('monitoring_interval', 0),
      { 'rds.force_ssl': '1', log_statement: 'none' },
      ['upgrade'],
    );
    expect(findingsOf(rdsLoggingMonitoring, json, 'production')).toEqual([
      'ECG-RDS-11 aws_db_instance.db: enabled_cloudwatch_logs_exports is ["upgrade"] (must include "postgresql")',
      'ECG-RDS-11 aws_db_instance.db: its parameter group sets neither log_statement (ddl, mod, all) nor log_min_duration_statement >= 0',
      'ECG-RDS-11 aws_db_instance.db: monitoring_interval is 0 with monitoring_role_arn "arn:aws:iam::123456789012:role/rds-monitoring" (enhanced monitoring needs an interval > 0 and a role)',
    ]);
  });

  it('ECG-RDS-12 flags the engine default port', () => {
    expect(findingsOf(rdsDefaultPort, database(override('port', 5432)))).toEqual([
      'ECG-RDS-12 aws_db_instance.db: listens on the default postgres port 5432',
    ]);
    expect(findingsOf(rdsDefaultPort, database(override('port', null)))).toEqual([
      'ECG-RDS-12 aws_db_instance.db: listens on the default postgres port 5432',
    ]);
  });
});

describe('ElastiCache rules', () => {
  const compliant = cache();
  const CACHE_RULES = rulesOf('ECG-CACHE');

  it.each(CACHE_RULES.map((r) => [r.id, r]))(
    '%s passes a production-grade replication group',
    (_id, rule) => {
      expect(resultOf(rule, compliant, 'production')).toMatchObject({ status: 'pass', findings: [] });
    },
  );

  it('ECG-CACHE-01 fails without encryption at rest', () => {
    expect(
      findingsOf(
        cacheAtRestEncryption,
        cache((p) => p.redis.addOverride('at_rest_encryption_enabled', 'false')),
      ),
    ).toEqual([
      'ECG-CACHE-01 aws_elasticache_replication_group.redis: at_rest_encryption_enabled is "false" (must be true)',
    ]);
  });

  it('ECG-CACHE-02 fails without transit encryption, without AUTH, and with a literal token', () => {
    const open = cache((p) => {
      p.redis.addOverride('transit_encryption_enabled', false);
      p.redis.addOverride('auth_token', null);
    });
    expect(findingsOf(cacheTransitEncryptionAuth, open)).toEqual([
      'ECG-CACHE-02 aws_elasticache_replication_group.redis: transit_encryption_enabled is false (must be true)',
      'ECG-CACHE-02 aws_elasticache_replication_group.redis: sets neither auth_token nor user_group_ids (AUTH required)',
    ]);
    expect(
      findingsOf(
        cacheTransitEncryptionAuth,
        cache((p) => p.redis.addOverride('auth_token', 'hunter2hunter2hunter2')),
      ),
    ).toEqual([
      'ECG-CACHE-02 aws_elasticache_replication_group.redis: auth_token is a literal (generate it with random_password)',
    ]);
  });

  it('ECG-CACHE-03 fails without failover and Multi-AZ in production only', () => {
    const single = cache((p) => {
      p.redis.addOverride('automatic_failover_enabled', false);
      p.redis.addOverride('multi_az_enabled', null);
    });
    expect(findingsOf(cacheFailover, single, 'production')).toEqual([
      'ECG-CACHE-03 aws_elasticache_replication_group.redis: automatic_failover_enabled is false (must be true in production)',
      'ECG-CACHE-03 aws_elasticache_replication_group.redis: multi_az_enabled is (unset) (must be true in production)',
    ]);
    expect(resultOf(cacheFailover, single, 'staging').status).toBe('not-applicable');
  });

  it('ECG-CACHE-04 fails without snapshots in production', () => {
    expect(
      findingsOf(
        cacheSnapshots,
        cache((p) => p.redis.addOverride('snapshot_retention_limit', 0)),
        'production',
      ),
    ).toEqual([
      'ECG-CACHE-04 aws_elasticache_replication_group.redis: snapshot_retention_limit is 0 (must be > 0 in production)',
    ]);
  });

  it('ECG-CACHE-05 flags the default Redis port', () => {
    expect(
      findingsOf(
        cacheDefaultPort,
        cache((p) => p.redis.addOverride('port', null)),
      ),
    ).toEqual([
      'ECG-CACHE-05 aws_elasticache_replication_group.redis: listens on the default Redis port 6379',
    ]);
  });
});

describe('ECG-SM-01 secrets rotation', () => {
  function secrets(rotated: boolean, value: (p: Password) => string) {
    return fixture((scope) => {
      const password = new Password(scope, 'generated', { length: 32 });
      const secret = new SecretsmanagerSecret(scope, 'secret', { name: 'app-secret' });
      new SecretsmanagerSecretVersion(scope, 'secret-value', {
        secretId: secret.id,
        secretString: value(password),
      });
      if (rotated) {
        new SecretsmanagerSecretRotation(scope, 'rotation', {
          secretId: secret.id,
          rotationLambdaArn: 'arn:aws:lambda:ap-northeast-2:123456789012:function:rotate',
          rotationRules: { automaticallyAfterDays: 30 },
        });
      }
    });
  }

  it('passes a rotated secret and an RDS-managed master password', () => {
    expect(
      findingsOf(
        secretsRotation,
        secrets(true, () => 'x'),
        'production',
      ),
    ).toEqual([]);
    expect(findingsOf(secretsRotation, database(), 'production')).toEqual([]);
  });

  it("fails an RDS-managed master secret left on RDS's 7-day default schedule", () => {
    const unscheduled = database(undefined, undefined, undefined, false);
    expect(findingsOf(secretsRotation, unscheduled, 'production')).toEqual([
      'ECG-SM-01 aws_db_instance.db: has an RDS-managed master secret without aws_secretsmanager_secret_rotation (RDS rotates every 7 days by default)',
    ]);
  });

  it('tells a generated secret without rotation from any other, and fails a configured master password', () => {
    expect(
      findingsOf(
        secretsRotation,
        secrets(false, (p) => `redis://:${p.result}@cache:6379`),
        'production',
      ),
    ).toEqual([
      'ECG-SM-01 aws_secretsmanager_secret.secret: holds a Terraform-generated value and has no aws_secretsmanager_secret_rotation',
    ]);
    expect(
      findingsOf(
        secretsRotation,
        secrets(false, () => '${var.api_key}'),
        'production',
      ),
    ).toEqual(['ECG-SM-01 aws_secretsmanager_secret.secret: has no aws_secretsmanager_secret_rotation']);
    const unmanaged = database((p) => {
      p.db.addOverride('manage_master_user_password', null);
      p.db.addOverride('password', '${var.db_password}');
    });
    expect(findingsOf(secretsRotation, unmanaged, 'production')).toEqual([
      'ECG-SM-01 aws_db_instance.db: sets password instead of manage_master_user_password = true (RDS-managed, rotated secret)',
    ]);
  });
});

describe('ECG-DDB-01 DynamoDB', () => {
  function table(pitr: boolean, sse: boolean) {
    return fixture((scope) => {
      new DynamodbTable(scope, 'lock', {
        name: 'lock',
        hashKey: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        billingMode: 'PAY_PER_REQUEST',
        pointInTimeRecovery: { enabled: pitr },
        serverSideEncryption: { enabled: sse },
      });
    });
  }

  it('passes a table with PITR and SSE', () => {
    expect(resultOf(dynamodbPitrEncryption, table(true, true))).toMatchObject({ status: 'pass' });
  });

  it('fails a table without PITR or SSE', () => {
    expect(findingsOf(dynamodbPitrEncryption, table(false, false))).toEqual([
      'ECG-DDB-01 aws_dynamodb_table.lock: point_in_time_recovery.enabled is not true',
      'ECG-DDB-01 aws_dynamodb_table.lock: server_side_encryption.enabled is not true',
    ]);
  });
});
