import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { productionConfig, stagingConfig } from '../src/config';
import { Peer } from '../src/lib/security-group';
import {
  ENHANCED_MONITORING_POLICY_ARN,
  READ_REPLICAS_UNSUPPORTED,
  RdsPostgres,
  type RdsPostgresProps,
} from '../src/modules/rds';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';
import { props, settings } from './variants/rds';

/** Synthesizes the module with its outputs exposed as Terraform outputs. */
function synth(p: RdsPostgresProps): Json {
  return synthScope((scope) => {
    const db = new RdsPostgres(scope, 'rds', p);
    db.allowFrom(Peer.securityGroup('sg-0api', 'api'), 5432, 'PostgreSQL from the API tasks');
    const outputs: Record<string, unknown> = {
      endpoint: db.endpoint,
      address: db.address,
      port: db.port,
      database_name: db.databaseName,
      master_username: db.masterUsername,
      secret_arn: db.masterUserSecretArn,
      security_group_id: db.securityGroupId,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(scope, name, { value });
  });
}

function primaryOf(json: Json): Json {
  const primaries = Object.values(resourcesOf(json, 'aws_db_instance')).filter(
    (db) => !db.replicate_source_db,
  );
  expect(primaries).toHaveLength(1);
  return primaries[0];
}

const ref = (type: string, attr: string) =>
  expect.stringMatching(new RegExp(`^\\$\\{${type}\\.[\\w-]+\\.${attr}\\}$`));

describe.each([
  ['staging', stagingConfig(settings)],
  ['production', productionConfig(settings)],
] as const)('rds (%s)', (env, config) => {
  const json = synth(props(config));
  const db = primaryOf(json);
  const prefix = `ecg-video-pipeline-${env}`;

  it('runs PostgreSQL 15 on gp3 in the data subnets, encrypted and not public (rows 9, 10)', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(DbInstance, {
      identifier: `${prefix}-postgres`,
      engine: 'postgres',
      engine_version: '15',
      instance_class: config.database.instanceClass,
      storage_type: 'gp3',
      storage_encrypted: true,
      publicly_accessible: false,
      db_subnet_group_name: `${prefix}-data`,
      db_name: 'ecg',
      username: 'ecg_admin',
      port: 5432,
    });
    expect(db.vpc_security_group_ids).toEqual([ref('aws_security_group', 'id')]);
    expect(db.parameter_group_name).toEqual(ref('aws_db_parameter_group', 'name'));
  });

  it('sizes storage per docs/design.md with autoscaling', () => {
    const expected = env === 'production' ? [100, 500] : [20, 100];
    expect([db.allocated_storage, db.max_allocated_storage]).toEqual(expected);
  });

  it('lets RDS generate and keep the master password in Secrets Manager: nothing in the config or state', () => {
    expect(db.manage_master_user_password).toBe(true);
    expect(db.password).toBeUndefined();
    expect(db.password_wo).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/"password"\s*:/);
    expect(json.output.secret_arn.value).toMatch(
      /^\$\{aws_db_instance\.[\w-]+\.master_user_secret\[0\]\.secret_arn\}$/,
    );
  });

  it('has IAM auth, Performance Insights, minor upgrades, tag copying and log exports (rows 14-17, 19)', () => {
    expect(db).toMatchObject({
      iam_database_authentication_enabled: true,
      performance_insights_enabled: true,
      performance_insights_retention_period: 7,
      auto_minor_version_upgrade: true,
      copy_tags_to_snapshot: true,
      enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
    });
  });

  it('backs up at 03:00 KST and maintains after the backup, on Sunday night UTC (Monday early KST)', () => {
    expect(db.backup_window).toBe('18:00-19:00');
    expect(db.maintenance_window).toBe('sun:19:00-sun:20:00');
    expect(db.backup_retention_period).toBe(env === 'production' ? 7 : 1);
    expect(db.backup_retention_period).toBeGreaterThanOrEqual(env === 'production' ? 7 : 1);
  });

  it('forces TLS and logs slow statements and DDL through its own postgres15 parameter group (rows 18, 19)', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(DbParameterGroup, {
      name: `${prefix}-postgres15`,
      family: 'postgres15',
    });
    const params = Object.fromEntries(
      (onlyResource(json, 'aws_db_parameter_group').parameter as Json[]).map((x) => [x.name, x.value]),
    );
    expect(params).toMatchObject({
      'rds.force_ssl': '1',
      log_min_duration_statement: '1000',
      log_statement: 'ddl',
    });
  });

  it('creates the exported log groups first, with the environment retention (row 48)', () => {
    const groups = Object.values(resourcesOf(json, 'aws_cloudwatch_log_group'));
    expect(groups.map((g) => g.name).sort()).toEqual([
      `/aws/rds/instance/${prefix}-postgres/postgresql`,
      `/aws/rds/instance/${prefix}-postgres/upgrade`,
    ]);
    for (const g of groups) expect(g.retention_in_days).toBe(env === 'production' ? 30 : 7);
    const addresses = Object.keys(resourcesOf(json, 'aws_cloudwatch_log_group')).map(
      (name) => `aws_cloudwatch_log_group.${name}`,
    );
    expect(db.depends_on).toEqual(expect.arrayContaining(addresses));
  });

  it('has its own security group: inbound 5432 only from the referenced group, no egress (row 45)', () => {
    expect(onlyResource(json, 'aws_security_group')).toMatchObject({
      name: `${prefix}-db`,
      description: expect.stringContaining('PostgreSQL'),
      tags: { Name: `${prefix}-db` },
    });
    expect(Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'))).toEqual([
      expect.objectContaining({
        referenced_security_group_id: 'sg-0api',
        from_port: 5432,
        to_port: 5432,
        ip_protocol: 'tcp',
        description: 'PostgreSQL from the API tasks',
      }),
    ]);
    expect(resourcesOf(json, 'aws_vpc_security_group_egress_rule')).toEqual({});
    expect(json.output.security_group_id.value).toEqual(ref('aws_security_group', 'id'));
  });

  it('exposes endpoint, address, port, database name and master user', () => {
    expect(json.output.endpoint.value).toEqual(ref('aws_db_instance', 'endpoint'));
    expect(json.output.address.value).toEqual(ref('aws_db_instance', 'address'));
    expect(json.output.port.value).toBe(5432);
    expect(json.output.database_name.value).toBe('ecg');
    expect(json.output.master_username.value).toBe('ecg_admin');
  });

  it('has no read replica by default', () => {
    expect(Object.keys(resourcesOf(json, 'aws_db_instance'))).toHaveLength(1);
  });

  if (env === 'production') {
    it('is Multi-AZ, deletion protected, snapshotted on delete and prevent_destroy (rows 12, 13)', () => {
      expect(db).toMatchObject({
        multi_az: true,
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: `${prefix}-postgres-final`,
        lifecycle: { prevent_destroy: true },
      });
    });

    it('has enhanced monitoring every 60 s through a role with the AWS managed policy (row 19)', () => {
      expect(db.monitoring_interval).toBe(60);
      expect(db.monitoring_role_arn).toEqual(ref('aws_iam_role', 'arn'));
      const role = onlyResource(json, 'aws_iam_role');
      expect(role.name).toBe(`${prefix}-rds-monitoring`);
      expect(JSON.parse(role.assume_role_policy)).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'monitoring.rds.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      });
      expect(onlyResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe(
        'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
      );
      expect(ENHANCED_MONITORING_POLICY_ARN).toBe(
        'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
      );
    });

    // RDS user guide, "Setting up and enabling Enhanced Monitoring": the role must hold the
    // managed policy's permissions before monitoring is turned on.
    it('turns enhanced monitoring on only after the role holds AmazonRDSEnhancedMonitoringRole', () => {
      const [attachment] = Object.keys(resourcesOf(json, 'aws_iam_role_policy_attachment'));
      expect(db.depends_on).toContain(`aws_iam_role_policy_attachment.${attachment}`);
    });
  } else {
    it('is single-AZ, deletable without a final snapshot and without monitoring role', () => {
      expect(db).toMatchObject({ multi_az: false, deletion_protection: false, skip_final_snapshot: true });
      expect(db.final_snapshot_identifier).toBeUndefined();
      expect(db.lifecycle).toBeUndefined();
      expect(db.monitoring_interval).toBe(0);
      expect(db.monitoring_role_arn).toBeUndefined();
      expect(resourcesOf(json, 'aws_iam_role')).toEqual({});
    });
  }
});

// RDS user guide, "Password management with Amazon RDS and AWS Secrets Manager" (limitations):
// no read replica of a source whose master password RDS manages, which this module always does.
describe('rds read replicas', () => {
  it('are refused at synth with the reason, since the master password is RDS-managed', () => {
    const build = () =>
      new RdsPostgres(new TerraformStack(Testing.app(), 'test'), 'rds', {
        ...props(productionConfig(settings)),
        readReplicas: 1,
      });
    expect(errorOf(build)).toBe(
      'Invalid configuration (1 problem):\n  - test/rds.readReplicas 1 must be 0: RDS does not create read replicas of an instance whose master password it manages in Secrets Manager (RDS user guide, Password management with Amazon RDS and AWS Secrets Manager, limitations)',
    );
  });
});

/** The message of what `fn` throws. */

describe('rds validation', () => {
  const base = props(stagingConfig(settings));
  const build = (overrides: Partial<RdsPostgresProps>) => () =>
    new RdsPostgres(new TerraformStack(Testing.app(), 'test'), 'rds', { ...base, ...overrides });
  const one = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;

  it.each<[string, Partial<RdsPostgresProps>, string]>([
    [
      'the name prefix is not a valid identifier start',
      { namePrefix: 'Ecg--x' },
      'test/rds.namePrefix Ecg--x must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      'the instance identifier would exceed 63 characters',
      { namePrefix: 'a'.repeat(55) },
      `test/rds.namePrefix ${'a'.repeat(55)} is too long: instance identifier ${'a'.repeat(55)}-postgres has 64 characters (RDS allows 63)`,
    ],
    [
      'the engine version is not a PostgreSQL version',
      { engineVersion: 'latest' },
      'test/rds.engineVersion latest is not a PostgreSQL version RDS offers: 15 (the default minor) or 15.13, 15.14, 15.15',
    ],
    [
      'the instance class is not an RDS class',
      { instanceClass: 't4g.micro' },
      'test/rds.instanceClass t4g.micro is not an instance class RDS for PostgreSQL offers (did you mean db.t4g.micro?)',
    ],
    [
      'storage is below gp3 minimum',
      { allocatedStorageGb: 10, maxAllocatedStorageGb: 10 },
      'test/rds.allocatedStorageGb 10 must be an integer from 20 to 65536',
    ],
    [
      'the autoscaling limit is less than 10% above the allocated storage',
      { maxAllocatedStorageGb: 21 },
      'test/rds.maxAllocatedStorageGb 21 must equal allocatedStorageGb (20, autoscaling off) or be at least 10% more, up to 65536',
    ],
    [
      'the Performance Insights retention is not one AWS offers',
      { performanceInsightsRetentionDays: 30 },
      'test/rds.performanceInsightsRetentionDays 30 must be 7, a multiple of 31 up to 713, or 731',
    ],
    [
      'the monitoring interval is not one RDS offers',
      { monitoringIntervalSeconds: 20 },
      'test/rds.monitoringIntervalSeconds 20 must be one of 0, 1, 5, 10, 15, 30, 60',
    ],
    [
      'the database name is not a PostgreSQL identifier',
      { databaseName: '1ecg' },
      'test/rds.databaseName 1ecg must be a PostgreSQL identifier (lowercase letter first, then letters, digits, _)',
    ],
    [
      'the master user name is reserved',
      { masterUsername: 'rdsadmin' },
      'test/rds.masterUsername rdsadmin is a reserved user name',
    ],
    [
      'the backup window is malformed',
      { backupWindow: '3:00-4:00' },
      'test/rds.backupWindow 3:00-4:00 must be hh24:mi-hh24:mi (UTC)',
    ],
    [
      'the backup window is too short',
      { backupWindow: '18:00-18:15' },
      'test/rds.backupWindow 18:00-18:15 must be at least 30 minutes',
    ],
    [
      'the maintenance window overlaps the daily backup window',
      { maintenanceWindow: 'wed:18:30-wed:19:30' },
      'test/rds.maintenanceWindow wed:18:30-wed:19:30 must not overlap backupWindow 18:00-19:00',
    ],
    [
      'the maintenance window overlaps a backup window across midnight',
      { backupWindow: '23:30-00:30', maintenanceWindow: 'mon:00:00-mon:01:00' },
      'test/rds.maintenanceWindow mon:00:00-mon:01:00 must not overlap backupWindow 23:30-00:30',
    ],
    ['the port is outside RDS range', { port: 80 }, 'test/rds.port 80 must be an integer from 1150 to 65535'],
    [
      'the log retention is not a CloudWatch value',
      { logRetentionDays: 10 },
      "test/rds.logRetentionDays 10 must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
  ])('fails when %s', (_name, overrides, line) => {
    expect(errorOf(build(overrides))).toBe(one(line));
  });

  it('fails with every problem at once', () => {
    expect(errorOf(build({ instanceClass: 'big', port: 22, readReplicas: -1 }))).toBe(
      [
        'Invalid configuration (3 problems):',
        '  - test/rds.instanceClass big is not an instance class RDS for PostgreSQL offers',
        `  - test/rds.readReplicas -1 ${READ_REPLICAS_UNSUPPORTED}`,
        '  - test/rds.port 22 must be an integer from 1150 to 65535',
      ].join('\n'),
    );
  });

  it('fails when the port is opened to a CIDR, another port or without a description', () => {
    const db = new RdsPostgres(new TerraformStack(Testing.app(), 'test'), 'rds', base);
    expect(errorOf(() => db.allowFrom(Peer.ipv4('10.1.10.0/24'), 'all', ' '))).toBe(
      [
        'Invalid configuration (3 problems):',
        '  - test/rds.allowFrom.peer 10-1-10-0-24 must be a security group: the database port is never opened to CIDRs or prefix lists',
        '  - test/rds.allowFrom.port all must be the database port 5432',
        '  - test/rds.allowFrom.description " " must say who connects and why (the value is only whitespace)',
      ].join('\n'),
    );
  });
});

describe('RdsPostgres master secret rotation', () => {
  it('schedules the RDS-managed secret every 30 days, no Lambda (managed rotation), no rotation on apply', () => {
    const json = synth(props(productionConfig(settings)));
    const rotation = onlyResource(json, 'aws_secretsmanager_secret_rotation');
    const [instance] = Object.keys(resourcesOf(json, 'aws_db_instance'));
    expect(rotation).toEqual({
      secret_id: `\${aws_db_instance.${instance}.master_user_secret[0].secret_arn}`,
      rotate_immediately: false,
      rotation_rules: { automatically_after_days: 30 },
    });
  });

  it('takes another interval, and fails outside RotationRulesType 1-1000 days', () => {
    const json = synth({ ...props(productionConfig(settings)), masterPasswordRotationDays: 14 });
    expect(onlyResource(json, 'aws_secretsmanager_secret_rotation').rotation_rules).toEqual({
      automatically_after_days: 14,
    });
    expect(
      errorOf(() => synth({ ...props(productionConfig(settings)), masterPasswordRotationDays: 0 })),
    ).toMatch(/masterPasswordRotationDays 0 must be an integer from 1 to 1000/);
  });
});
