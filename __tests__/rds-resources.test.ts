import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { RdsPostgres, type RdsPostgresProps } from '../src/modules/rds';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';

/**
 * The RDS module's resources read whole (src/modules/rds.ts): every default of a database built
 * from the four required props, each prop that switches a resource or field, and the edges of
 * each validation rule. Expected values are written out.
 */
const REQUIRED: RdsPostgresProps = {
  namePrefix: 'p-e',
  vpcId: 'vpc-1',
  dbSubnetGroupName: 'p-e-data',
  databaseName: 'app',
};

function synth(props: Partial<RdsPostgresProps> = {}): Json {
  return synthScope((scope) => {
    new RdsPostgres(scope, 'rds', { ...REQUIRED, ...props });
  });
}

const build = (props: Partial<RdsPostgresProps>) => () =>
  new RdsPostgres(new TerraformStack(Testing.app(), 'test'), 'rds', { ...REQUIRED, ...props });
const one = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;

const PARAMETER_GROUP = '${aws_db_parameter_group.rds_parameters_31DC42B3.name}';
const SECURITY_GROUP = '${aws_security_group.rds_security-group_DD3E3D17.id}';
const LOG_GROUPS = [
  'aws_cloudwatch_log_group.rds_log-postgresql_AF72FF98',
  'aws_cloudwatch_log_group.rds_log-upgrade_B601E9C2',
];

describe('RdsPostgres defaults', () => {
  const json = synth();

  it('builds PostgreSQL 15 on a 20 GB gp3 db.t4g.micro that autoscales to 100 GB, backed up 7 days, protected, with a final snapshot', () => {
    expect(onlyResource(json, 'aws_db_instance')).toEqual({
      identifier: 'p-e-postgres',
      engine: 'postgres',
      engine_version: '15',
      instance_class: 'db.t4g.micro',
      storage_type: 'gp3',
      storage_encrypted: true,
      allocated_storage: 20,
      max_allocated_storage: 100,
      publicly_accessible: false,
      vpc_security_group_ids: [SECURITY_GROUP],
      parameter_group_name: PARAMETER_GROUP,
      port: 5432,
      iam_database_authentication_enabled: true,
      performance_insights_enabled: true,
      performance_insights_retention_period: 7,
      monitoring_interval: 0,
      enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
      auto_minor_version_upgrade: true,
      copy_tags_to_snapshot: true,
      deletion_protection: true,
      maintenance_window: 'sun:19:00-sun:20:00',
      db_name: 'app',
      username: 'dbadmin',
      manage_master_user_password: true,
      db_subnet_group_name: 'p-e-data',
      multi_az: false,
      backup_retention_period: 7,
      backup_window: '18:00-19:00',
      skip_final_snapshot: false,
      final_snapshot_identifier: 'p-e-postgres-final',
      depends_on: LOG_GROUPS,
      tags: { Name: 'p-e-postgres' },
    });
  });

  it('forces TLS, logs statements slower than 1 s, DDL, connections and disconnections', () => {
    expect(onlyResource(json, 'aws_db_parameter_group')).toEqual({
      name: 'p-e-postgres15',
      family: 'postgres15',
      description: 'PostgreSQL 15 of p-e: TLS only, slow-statement and DDL logging',
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        { name: 'log_min_duration_statement', value: '1000' },
        { name: 'log_statement', value: 'ddl' },
        { name: 'log_connections', value: '1' },
        { name: 'log_disconnections', value: '1' },
      ],
    });
  });

  it('keeps the exported logs 30 days, in groups at fixed addresses the instance waits for', () => {
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')).toEqual({
      'rds_log-postgresql_AF72FF98': {
        name: '/aws/rds/instance/p-e-postgres/postgresql',
        retention_in_days: 30,
      },
      'rds_log-upgrade_B601E9C2': { name: '/aws/rds/instance/p-e-postgres/upgrade', retention_in_days: 30 },
    });
  });

  it('has its own security group without rules, replaced before it is destroyed', () => {
    expect(onlyResource(json, 'aws_security_group')).toEqual({
      name: 'p-e-db',
      description: 'PostgreSQL (RDS) of p-e',
      vpc_id: 'vpc-1',
      tags: { Name: 'p-e-db' },
      lifecycle: { create_before_destroy: true },
    });
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
  });

  it('rotates the managed master secret every 30 days, not on apply', () => {
    expect(onlyResource(json, 'aws_secretsmanager_secret_rotation')).toEqual({
      secret_id: '${aws_db_instance.rds_instance_7ECC54BF.master_user_secret[0].secret_arn}',
      rotate_immediately: false,
      rotation_rules: { automatically_after_days: 30 },
    });
  });

  it('has no enhanced-monitoring role while the interval is 0', () => {
    expect(resourcesOf(json, 'aws_iam_role')).toEqual({});
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toEqual({});
  });

  it('exposes port, database name and master user', () => {
    const db = new RdsPostgres(new TerraformStack(Testing.app(), 'test'), 'rds', REQUIRED);
    expect([db.port, db.databaseName, db.masterUsername]).toEqual([5432, 'app', 'dbadmin']);
    expect(db.monitoringRole).toBeUndefined();
    expect(db.monitoringPolicy).toBeUndefined();
    expect(db.logGroups).toHaveLength(2);
  });
});

describe('RdsPostgres options', () => {
  it('with enhanced monitoring: a role RDS monitoring assumes, the managed policy, and the instance waits for both', () => {
    const json = synth({ monitoringIntervalSeconds: 1 });
    const db = onlyResource(json, 'aws_db_instance');
    expect([db.monitoring_interval, db.monitoring_role_arn, db.depends_on]).toEqual([
      1,
      '${aws_iam_role.rds_monitoring-role_6D79D855.arn}',
      [...LOG_GROUPS, 'aws_iam_role_policy_attachment.rds_monitoring-policy_0E667A86'],
    ]);
    const role = onlyResource(json, 'aws_iam_role');
    expect({ ...role, assume_role_policy: JSON.parse(role.assume_role_policy) }).toEqual({
      name: 'p-e-rds-monitoring',
      description: 'Enhanced monitoring of the p-e RDS instances',
      assume_role_policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'monitoring.rds.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
    });
    expect(onlyResource(json, 'aws_iam_role_policy_attachment')).toEqual({
      role: '${aws_iam_role.rds_monitoring-role_6D79D855.name}',
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    });
  });

  it('without a final snapshot: skips it and names none; prevent_destroy when asked', () => {
    const db = onlyResource(synth({ finalSnapshot: false, preventDestroy: true }), 'aws_db_instance');
    expect(db.skip_final_snapshot).toBe(true);
    expect(db.final_snapshot_identifier).toBeUndefined();
    expect(db.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('without Performance Insights: no retention, and the retention is not checked', () => {
    const db = onlyResource(
      synth({ performanceInsights: false, performanceInsightsRetentionDays: 30 }),
      'aws_db_instance',
    );
    expect(db.performance_insights_enabled).toBe(false);
    expect(db.performance_insights_retention_period).toBeUndefined();
  });

  it('keeps Performance Insights data as many days as asked', () => {
    const db = onlyResource(synth({ performanceInsightsRetentionDays: 731 }), 'aws_db_instance');
    expect(db.performance_insights_retention_period).toBe(731);
  });

  it('turns storage autoscaling off (max_allocated_storage 0) when the limit equals the allocation', () => {
    const db = onlyResource(
      synth({ allocatedStorageGb: 100, maxAllocatedStorageGb: 100 }),
      'aws_db_instance',
    );
    expect([db.allocated_storage, db.max_allocated_storage]).toEqual([100, 0]);
  });

  it('autoscales to 5 times the allocation by default, at most 65536 GB (the gp3 maximum)', () => {
    expect(onlyResource(synth({ allocatedStorageGb: 50 }), 'aws_db_instance').max_allocated_storage).toBe(
      250,
    );
    const big = onlyResource(synth({ allocatedStorageGb: 20000 }), 'aws_db_instance');
    expect([big.allocated_storage, big.max_allocated_storage]).toEqual([20000, 65536]);
    // 59578 × 1.1 rounds up to 65536: the largest allocation with room to autoscale.
    const edge = onlyResource(synth({ allocatedStorageGb: 59578 }), 'aws_db_instance');
    expect([edge.allocated_storage, edge.max_allocated_storage]).toEqual([59578, 65536]);
  });

  // RDS: the autoscaling limit is at least 10 % above the allocation, at most 65536 GB.
  it('turns autoscaling off by default where 10 % more would pass 65536 GB', () => {
    for (const allocatedStorageGb of [59579, 60000, 65536]) {
      const db = onlyResource(synth({ allocatedStorageGb }), 'aws_db_instance');
      expect([db.allocated_storage, db.max_allocated_storage]).toEqual([allocatedStorageGb, 0]);
    }
  });

  it('fails when the engine version is a Terraform expression (the parameter group family comes from it)', () => {
    expect(
      errorOf(() =>
        synthScope((scope) => {
          const version = new TerraformVariable(scope, 'version', { type: 'string' }).stringValue;
          new RdsPostgres(scope, 'rds', { ...REQUIRED, engineVersion: version });
        }),
      ),
    ).toBe(
      one(
        'stack/rds.engineVersion (a Terraform expression) must be a literal version like 15 or 15.13: the parameter group family is derived from it',
      ),
    );
  });

  it('takes the parameter group family from the major of a major.minor version', () => {
    const json = synth({ engineVersion: '15.13' });
    expect(onlyResource(json, 'aws_db_instance').engine_version).toBe('15.13');
    const group = onlyResource(json, 'aws_db_parameter_group');
    expect([group.name, group.family, group.description]).toEqual([
      'p-e-postgres15',
      'postgres15',
      'PostgreSQL 15 of p-e: TLS only, slow-statement and DDL logging',
    ]);
  });

  it('passes the slow-statement threshold to log_min_duration_statement (-1 turns it off)', () => {
    const group = onlyResource(synth({ slowQueryThresholdMs: -1 }), 'aws_db_parameter_group');
    expect(group.parameter[1]).toEqual({ name: 'log_min_duration_statement', value: '-1' });
  });

  it('leaves Terraform expressions in the name prefix, database name, user and class unchecked', () => {
    const json = synthScope((scope) => {
      const v = (name: string) => new TerraformVariable(scope, name, { type: 'string' }).stringValue;
      new RdsPostgres(scope, 'rds', {
        ...REQUIRED,
        namePrefix: v('prefix'),
        databaseName: v('db'),
        masterUsername: v('user'),
        instanceClass: v('class'),
      });
    });
    const db = onlyResource(json, 'aws_db_instance');
    expect([db.identifier, db.db_name, db.username, db.instance_class]).toEqual([
      '${var.prefix}-postgres',
      '${var.db}',
      '${var.user}',
      '${var.class}',
    ]);
  });
});

describe('RdsPostgres validation edges', () => {
  it.each<[string, Partial<RdsPostgresProps>]>([
    ['an instance identifier of exactly 63 characters', { namePrefix: 'a'.repeat(54) }],
    ['20 GB, the gp3 minimum', { allocatedStorageGb: 20, maxAllocatedStorageGb: 20 }],
    ['65536 GB, the gp3 maximum', { allocatedStorageGb: 65536 }],
    ['an autoscaling limit of 65536 GB', { maxAllocatedStorageGb: 65536 }],
    [
      'an autoscaling limit of exactly 10% more, rounded up (25 GB: 28)',
      { allocatedStorageGb: 25, maxAllocatedStorageGb: 28 },
    ],
    ['no backups (0 days)', { backupRetentionDays: 0 }],
    ['35 days of backups, the RDS maximum', { backupRetentionDays: 35 }],
    ['Performance Insights kept 31 days', { performanceInsightsRetentionDays: 31 }],
    ['Performance Insights kept 713 days (23 months)', { performanceInsightsRetentionDays: 713 }],
    ['Performance Insights kept 731 days', { performanceInsightsRetentionDays: 731 }],
    ['monitoring every 60 s', { monitoringIntervalSeconds: 60 }],
    ['a 63-character database name', { databaseName: `a${'b_1'.repeat(20)}c_` }],
    ['a 16-character master user', { masterUsername: 'a_234567890abcde' }],
    ['a 30-minute backup window', { backupWindow: '18:00-18:30' }],
    ['a 30-minute maintenance window', { maintenanceWindow: 'sun:19:00-sun:19:30' }],
    ['port 1150, the lowest RDS allows', { port: 1150 }],
    ['port 65535', { port: 65535 }],
    ['logs kept 1 day', { logRetentionDays: 1 }],
    ['the largest slow-statement threshold (int4)', { slowQueryThresholdMs: 2147483647 }],
    ['rotation every day', { masterPasswordRotationDays: 1 }],
    ['rotation every 1000 days, the Secrets Manager maximum', { masterPasswordRotationDays: 1000 }],
  ])('accepts %s', (_name, props) => {
    expect(build(props)).not.toThrow();
  });

  it.each<[string, Partial<RdsPostgresProps>, string]>([
    [
      'the allocation is 19 GB',
      { allocatedStorageGb: 19, maxAllocatedStorageGb: 19 },
      'test/rds.allocatedStorageGb 19 must be an integer from 20 to 65536',
    ],
    [
      'the autoscaling limit is 27 GB over 25 (10% more is 27.5, rounded up 28)',
      { allocatedStorageGb: 25, maxAllocatedStorageGb: 27 },
      'test/rds.maxAllocatedStorageGb 27 must equal allocatedStorageGb (25, autoscaling off) or be at least 10% more, up to 65536',
    ],
    [
      'the autoscaling limit is above 65536 GB',
      { maxAllocatedStorageGb: 65537 },
      'test/rds.maxAllocatedStorageGb 65537 must equal allocatedStorageGb (20, autoscaling off) or be at least 10% more, up to 65536',
    ],
    [
      'the autoscaling limit is not a whole number',
      { maxAllocatedStorageGb: 30.5 },
      'test/rds.maxAllocatedStorageGb 30.5 must equal allocatedStorageGb (20, autoscaling off) or be at least 10% more, up to 65536',
    ],
    [
      'backups are kept 36 days',
      { backupRetentionDays: 36 },
      'test/rds.backupRetentionDays 36 must be an integer from 0 to 35',
    ],
    [
      'the backup retention is negative',
      { backupRetentionDays: -1 },
      'test/rds.backupRetentionDays -1 must be an integer from 0 to 35',
    ],
    [
      'Performance Insights would keep 0 days',
      { performanceInsightsRetentionDays: 0 },
      'test/rds.performanceInsightsRetentionDays 0 must be 7, a multiple of 31 up to 713, or 731',
    ],
    [
      'Performance Insights would keep 744 days (24 months is not offered)',
      { performanceInsightsRetentionDays: 744 },
      'test/rds.performanceInsightsRetentionDays 744 must be 7, a multiple of 31 up to 713, or 731',
    ],
    [
      'the instance identifier is 64 characters',
      { namePrefix: 'b'.repeat(55) },
      `test/rds.namePrefix ${'b'.repeat(55)} is too long: instance identifier ${'b'.repeat(55)}-postgres has 64 characters (RDS allows 63)`,
    ],
    [
      'the database name has 64 characters',
      { databaseName: 'a'.repeat(64) },
      `test/rds.databaseName ${'a'.repeat(64)} must be a PostgreSQL identifier (lowercase letter first, then letters, digits, _)`,
    ],
    [
      'the database name has a capital letter',
      { databaseName: 'appDb' },
      'test/rds.databaseName appDb must be a PostgreSQL identifier (lowercase letter first, then letters, digits, _)',
    ],
    [
      'the database name has a hyphen after a valid start',
      { databaseName: 'app-db' },
      'test/rds.databaseName app-db must be a PostgreSQL identifier (lowercase letter first, then letters, digits, _)',
    ],
    [
      'the master user name has 17 characters',
      { masterUsername: 'a'.repeat(17) },
      `test/rds.masterUsername ${'a'.repeat(17)} must be 1-16 lowercase letters, digits or _, starting with a letter`,
    ],
    [
      'the master user name starts with a digit',
      { masterUsername: '1admin' },
      'test/rds.masterUsername 1admin must be 1-16 lowercase letters, digits or _, starting with a letter',
    ],
    [
      'the master user name ends in a character that is not allowed',
      { masterUsername: 'admin!' },
      'test/rds.masterUsername admin! must be 1-16 lowercase letters, digits or _, starting with a letter',
    ],
    [
      'the master user is postgres',
      { masterUsername: 'postgres' },
      'test/rds.masterUsername postgres is a reserved user name',
    ],
    [
      'the master user is admin',
      { masterUsername: 'admin' },
      'test/rds.masterUsername admin is a reserved user name',
    ],
    [
      'the backup window is 29 minutes',
      { backupWindow: '18:00-18:29' },
      'test/rds.backupWindow 18:00-18:29 must be at least 30 minutes',
    ],
    [
      'the maintenance window is malformed',
      { maintenanceWindow: 'sunday 19:00' },
      'test/rds.maintenanceWindow sunday 19:00 must be ddd:hh24:mi-ddd:hh24:mi (UTC)',
    ],
    [
      'the maintenance window is 29 minutes',
      { maintenanceWindow: 'sun:19:00-sun:19:29' },
      'test/rds.maintenanceWindow sun:19:00-sun:19:29 must be at least 30 minutes',
    ],
    ['the port is 1149', { port: 1149 }, 'test/rds.port 1149 must be an integer from 1150 to 65535'],
    ['the port is 65536', { port: 65536 }, 'test/rds.port 65536 must be an integer from 1150 to 65535'],
    [
      'the slow-statement threshold is below -1',
      { slowQueryThresholdMs: -2 },
      'test/rds.slowQueryThresholdMs -2 must be an integer from -1 to 2147483647',
    ],
    [
      'the slow-statement threshold exceeds int4',
      { slowQueryThresholdMs: 2147483648 },
      'test/rds.slowQueryThresholdMs 2147483648 must be an integer from -1 to 2147483647',
    ],
    [
      'the master secret would rotate after 1001 days (RotationRulesType allows 1000)',
      { masterPasswordRotationDays: 1001 },
      'test/rds.masterPasswordRotationDays 1001 must be an integer from 1 to 1000',
    ],
    [
      'the master secret would never rotate (0 days)',
      { masterPasswordRotationDays: 0 },
      'test/rds.masterPasswordRotationDays 0 must be an integer from 1 to 1000',
    ],
  ])('fails when %s', (_name, props, line) => {
    expect(errorOf(build(props))).toBe(one(line));
  });

  it('fails when the allocation is 65537 GB, above the gp3 maximum, which the limit cannot exceed either', () => {
    expect(errorOf(build({ allocatedStorageGb: 65537, maxAllocatedStorageGb: 65537 }))).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - test/rds.allocatedStorageGb 65537 must be an integer from 20 to 65536',
        '  - test/rds.maxAllocatedStorageGb 65537 must equal allocatedStorageGb (65537, autoscaling off) or be at least 10% more, up to 65536',
      ].join('\n'),
    );
  });

  it('reports a malformed backup window alone, without an overlap check against it', () => {
    expect(errorOf(build({ backupWindow: 'x', maintenanceWindow: 'y' }))).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - test/rds.backupWindow x must be hh24:mi-hh24:mi (UTC)',
        '  - test/rds.maintenanceWindow y must be ddd:hh24:mi-ddd:hh24:mi (UTC)',
      ].join('\n'),
    );
  });

  it('allows a maintenance window that starts when the backup window ends', () => {
    expect(build({ backupWindow: '18:00-19:00', maintenanceWindow: 'mon:19:00-mon:19:30' })).not.toThrow();
  });
});
