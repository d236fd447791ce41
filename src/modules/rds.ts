import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { type ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { dailyMeetsWeekly, dailyWindow, weeklyWindow } from '../lib/maintenance-window';
import { IssueCollector, TERRAFORM_EXPRESSION, throwIfIssues } from '../lib/validation';
import {
  RDS_MAX_STORAGE_GB,
  rdsDefaultAutoscalingLimit,
  rdsPostgresInstanceClassProblem,
  rdsPostgresVersionProblem,
  rdsStorageAutoscalingProblem,
} from '../lib/aws/rds';
import { LOG_RETENTION_DAYS } from '../lib/aws/limits';
import { ManagedSecurityGroup, type Peer, type PortSpec } from '../lib/security-group';
import { NAME_PREFIX_PATTERN, NAME_PREFIX_RULE } from '../lib/naming';

/** The CloudWatch log exports of every instance (PostgreSQL's error/slow log and upgrade log). */
export const POSTGRES_LOG_EXPORTS: readonly string[] = ['postgresql', 'upgrade'];

/** AWS managed policy that lets RDS publish enhanced-monitoring metrics to CloudWatch Logs. */
export const ENHANCED_MONITORING_POLICY_ARN =
  'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole';

export interface RdsPostgresProps {
  /** `<project>-<env>`; every resource name starts with it. */
  readonly namePrefix: string;
  /** VPC of the database's security group. */
  readonly vpcId: string;
  /** DB subnet group over the data subnets (created by the vpc module). */
  readonly dbSubnetGroupName: string;
  /** Name of the database created with the instance (a PostgreSQL identifier). */
  readonly databaseName: string;
  /**
   * PostgreSQL major (`15`: RDS picks the latest minor) or major.minor version; the parameter
   * group family follows the major version.
   * @default '15'
   */
  readonly engineVersion?: string;
  /** @default 'db.t4g.micro' */
  readonly instanceClass?: string;
  /** Initial gp3 storage in GB. @default 20 */
  readonly allocatedStorageGb?: number;
  /**
   * Upper limit of storage autoscaling in GB; equal to `allocatedStorageGb` turns autoscaling off.
   * @default 5 × allocatedStorageGb, at most 65536; `allocatedStorageGb` (off) where 10 % more
   * would pass 65536
   */
  readonly maxAllocatedStorageGb?: number;
  /** Synchronous standby in a second AZ. @default false */
  readonly multiAz?: boolean;
  /** Days of automated backups; 0 turns them off. @default 7 */
  readonly backupRetentionDays?: number;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Take a final snapshot (`<namePrefix>-postgres-final`) when the instance is deleted. @default true */
  readonly finalSnapshot?: boolean;
  /** Terraform `prevent_destroy` on the primary instance. @default false */
  readonly preventDestroy?: boolean;
  /** @default true */
  readonly performanceInsights?: boolean;
  /** Performance Insights retention: 7 (free tier), a multiple of 31 up to 713, or 731. @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** Enhanced monitoring interval in seconds; 0 turns it (and its IAM role) off. @default 0 */
  readonly monitoringIntervalSeconds?: number;
  /** Master user; its password is generated and kept in Secrets Manager by RDS. @default 'dbadmin' */
  readonly masterUsername?: string;
  /**
   * Read replicas. Must be 0: RDS cannot create a read replica of an instance whose master
   * password it manages in Secrets Manager (RDS user guide, "Password management with Amazon RDS
   * and AWS Secrets Manager", limitations: all engines but SQL Server), and this module never
   * puts the password in Terraform state. Use Multi-AZ for availability; read scaling needs a
   * self-managed password or Aurora.
   * @default 0
   */
  readonly readReplicas?: number;
  /** Daily backup window, UTC `hh24:mi-hh24:mi`. @default '18:00-19:00' (03:00-04:00 KST) */
  readonly backupWindow?: string;
  /** Weekly maintenance window, UTC. @default 'sun:19:00-sun:20:00' (Monday 04:00-05:00 KST) */
  readonly maintenanceWindow?: string;
  /** @default 5432 */
  readonly port?: number;
  /** Retention of the exported log groups; one of CloudWatch Logs' allowed values. @default 30 */
  readonly logRetentionDays?: number;
  /** Statements slower than this are logged (`log_min_duration_statement`); -1 turns it off. @default 1000 */
  readonly slowQueryThresholdMs?: number;
  /**
   * Days between rotations of the RDS-managed master secret. RDS rotates it every 7 days unless
   * the schedule is changed in Secrets Manager (RDS user guide, "Password management with Amazon
   * RDS and AWS Secrets Manager"); a managed secret takes a schedule without a Lambda function
   * (Secrets Manager user guide, "Managed rotation"). 1 to 1000 (RotationRulesType).
   * @default 30
   */
  readonly masterPasswordRotationDays?: number;
}

/** Why `readReplicas` must be 0; the config validation reports the same reason. */
export const READ_REPLICAS_UNSUPPORTED =
  'must be 0: RDS does not create read replicas of an instance whose master password it manages in Secrets Manager (RDS user guide, Password management with Amazon RDS and AWS Secrets Manager, limitations)';

const MAX_IDENTIFIER = 63;

type ResolvedProps = Required<RdsPostgresProps>;

/** Props with every default filled in (an explicit `undefined` also takes the default). */
function resolveProps(props: RdsPostgresProps): ResolvedProps {
  const allocatedStorageGb = props.allocatedStorageGb ?? 20;
  return {
    ...props,
    engineVersion: props.engineVersion ?? '15',
    instanceClass: props.instanceClass ?? 'db.t4g.micro',
    allocatedStorageGb,
    maxAllocatedStorageGb: props.maxAllocatedStorageGb ?? rdsDefaultAutoscalingLimit(allocatedStorageGb),
    multiAz: props.multiAz ?? false,
    backupRetentionDays: props.backupRetentionDays ?? 7,
    deletionProtection: props.deletionProtection ?? true,
    finalSnapshot: props.finalSnapshot ?? true,
    preventDestroy: props.preventDestroy ?? false,
    performanceInsights: props.performanceInsights ?? true,
    performanceInsightsRetentionDays: props.performanceInsightsRetentionDays ?? 7,
    monitoringIntervalSeconds: props.monitoringIntervalSeconds ?? 0,
    masterUsername: props.masterUsername ?? 'dbadmin',
    readReplicas: props.readReplicas ?? 0,
    backupWindow: props.backupWindow ?? '18:00-19:00',
    maintenanceWindow: props.maintenanceWindow ?? 'sun:19:00-sun:20:00',
    port: props.port ?? 5432,
    logRetentionDays: props.logRetentionDays ?? 30,
    slowQueryThresholdMs: props.slowQueryThresholdMs ?? 1000,
    masterPasswordRotationDays: props.masterPasswordRotationDays ?? 30,
  };
}

function isToken(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/**
 * PostgreSQL on RDS in the data subnets: its own security group (no rules until `allowFrom`),
 * a parameter group that forces TLS and logs slow statements and DDL, the master password
 * generated and stored in Secrets Manager by RDS (never in Terraform state), gp3 storage with
 * autoscaling, encryption, IAM authentication, Performance Insights, optional enhanced monitoring,
 * and log exports to CloudWatch Logs with set retention. No read replicas: RDS does not create
 * them for an instance with an RDS-managed master password (see `readReplicas`).
 */
export class RdsPostgres extends Construct {
  /** Connection endpoint, `address:port`. */
  public readonly endpoint: string;
  /** Host name of the primary. */
  public readonly address: string;
  public readonly port: number;
  public readonly databaseName: string;
  public readonly masterUsername: string;
  /** ARN of the RDS-managed secret (`{"username", "password"}`) of the master user. */
  public readonly masterUserSecretArn: string;
  /** The schedule of the RDS-managed master secret (managed rotation, no Lambda function). */
  public readonly masterSecretRotation: SecretsmanagerSecretRotation;
  public readonly securityGroupId: string;

  public readonly instance: DbInstance;
  public readonly parameterGroup: DbParameterGroup;
  public readonly securityGroup: ManagedSecurityGroup;
  /** The enhanced-monitoring role, when `monitoringIntervalSeconds` > 0. */
  public readonly monitoringRole?: IamRole;
  /** AmazonRDSEnhancedMonitoringRole on `monitoringRole`; the instance waits for it. */
  public readonly monitoringPolicy?: IamRolePolicyAttachment;
  /** Log groups of the exported logs, per instance identifier and log type. */
  public readonly logGroups: CloudwatchLogGroup[] = [];

  constructor(scope: Construct, id: string, props: RdsPostgresProps) {
    super(scope, id);
    const p = resolveProps(props);
    const identifier = `${p.namePrefix}-postgres`;

    this.validate(p, identifier);

    this.port = p.port;
    this.databaseName = p.databaseName;
    this.masterUsername = p.masterUsername;

    this.securityGroup = new ManagedSecurityGroup(this, 'security-group', {
      vpcId: p.vpcId,
      name: `${p.namePrefix}-db`,
      description: `PostgreSQL (RDS) of ${p.namePrefix}`,
    });
    this.securityGroupId = this.securityGroup.securityGroupId;

    const major = p.engineVersion.split('.')[0];
    this.parameterGroup = new DbParameterGroup(this, 'parameters', {
      name: `${p.namePrefix}-postgres${major}`,
      family: `postgres${major}`,
      description: `PostgreSQL ${major} of ${p.namePrefix}: TLS only, slow-statement and DDL logging`,
      parameter: [
        // Clients without TLS are refused, so IAM tokens and passwords never cross the wire in clear.
        { name: 'rds.force_ssl', value: '1' },
        { name: 'log_min_duration_statement', value: String(p.slowQueryThresholdMs) },
        // DDL only: logging every statement would copy patient data into the logs.
        { name: 'log_statement', value: 'ddl' },
        { name: 'log_connections', value: '1' },
        { name: 'log_disconnections', value: '1' },
      ],
    });

    if (p.monitoringIntervalSeconds > 0) {
      this.monitoringRole = new IamRole(this, 'monitoring-role', {
        name: `${p.namePrefix}-rds-monitoring`,
        description: `Enhanced monitoring of the ${p.namePrefix} RDS instances`,
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'monitoring.rds.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      });
      this.monitoringPolicy = new IamRolePolicyAttachment(this, 'monitoring-policy', {
        role: this.monitoringRole.name,
        policyArn: ENHANCED_MONITORING_POLICY_ARN,
      });
    }

    const common = {
      instanceClass: p.instanceClass,
      storageType: 'gp3',
      storageEncrypted: true,
      maxAllocatedStorage: p.maxAllocatedStorageGb > p.allocatedStorageGb ? p.maxAllocatedStorageGb : 0,
      publiclyAccessible: false,
      vpcSecurityGroupIds: [this.securityGroupId],
      parameterGroupName: this.parameterGroup.name,
      port: p.port,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: p.performanceInsights,
      performanceInsightsRetentionPeriod: p.performanceInsights
        ? p.performanceInsightsRetentionDays
        : undefined,
      monitoringInterval: p.monitoringIntervalSeconds,
      monitoringRoleArn: this.monitoringRole?.arn,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      deletionProtection: p.deletionProtection,
      maintenanceWindow: p.maintenanceWindow,
    };

    const instanceDependsOn: ITerraformDependable[] = this.logGroupsFor('', identifier, p.logRetentionDays);
    // Enhanced monitoring needs a role that already holds AmazonRDSEnhancedMonitoringRole (RDS
    // user guide, "Setting up and enabling Enhanced Monitoring"); the role ARN alone orders the
    // instance after the role, not after its policy.
    if (this.monitoringPolicy) instanceDependsOn.push(this.monitoringPolicy);

    this.instance = new DbInstance(this, 'instance', {
      ...common,
      identifier,
      engine: 'postgres',
      engineVersion: p.engineVersion,
      allocatedStorage: p.allocatedStorageGb,
      dbName: p.databaseName,
      username: p.masterUsername,
      manageMasterUserPassword: true,
      dbSubnetGroupName: p.dbSubnetGroupName,
      multiAz: p.multiAz,
      backupRetentionPeriod: p.backupRetentionDays,
      backupWindow: p.backupWindow,
      skipFinalSnapshot: !p.finalSnapshot,
      finalSnapshotIdentifier: p.finalSnapshot ? `${identifier}-final` : undefined,
      dependsOn: instanceDependsOn,
      lifecycle: p.preventDestroy ? { preventDestroy: true } : undefined,
      tags: { Name: identifier },
    });

    this.endpoint = this.instance.endpoint;
    this.address = this.instance.address;
    this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;
    // Only the schedule changes: no rotation on apply (rotate_immediately false), so a deploy never
    // changes the password under running tasks; the first rotation comes on the schedule.
    this.masterSecretRotation = new SecretsmanagerSecretRotation(this, 'master-secret-rotation', {
      secretId: this.masterUserSecretArn,
      rotateImmediately: false,
      rotationRules: { automaticallyAfterDays: p.masterPasswordRotationDays },
    });
  }

  /**
   * Allows `peer` (a security group: data ports are never opened to CIDRs) to connect on the
   * database port.
   */
  public allowFrom(peer: Peer, port: PortSpec, description: string): VpcSecurityGroupIngressRule {
    const v = new IssueCollector(`${this.node.path}.allowFrom`);
    v.at('peer').check(
      peer.target.referencedSecurityGroupId !== undefined,
      peer.label,
      'must be a security group: the database port is never opened to CIDRs or prefix lists',
    );
    v.at('port').check(port === this.port, port, `must be the database port ${this.port}`);
    v.at('description').check(description.trim() !== '', description, 'must say who connects and why');
    throwIfIssues(v.issues);
    return this.securityGroup.allowFrom(peer, port, description);
  }

  /**
   * The exported logs' groups, created before the instance so RDS writes into groups with a
   * retention instead of creating never-expiring ones.
   */
  private logGroupsFor(idPrefix: string, identifier: string, retentionDays: number): CloudwatchLogGroup[] {
    const groups = POSTGRES_LOG_EXPORTS.map(
      (type) =>
        new CloudwatchLogGroup(this, `${idPrefix}log-${type}`, {
          name: `/aws/rds/instance/${identifier}/${type}`,
          retentionInDays: retentionDays,
        }),
    );
    this.logGroups.push(...groups);
    return groups;
  }

  private validate(p: ResolvedProps, identifier: string): void {
    const v = new IssueCollector(this.node.path);
    if (!isToken(p.namePrefix)) {
      v.at('namePrefix').matches(p.namePrefix, NAME_PREFIX_PATTERN, NAME_PREFIX_RULE);
      v.at('namePrefix').check(
        identifier.length <= MAX_IDENTIFIER,
        p.namePrefix,
        `is too long: instance identifier ${identifier} has ${identifier.length} characters (RDS allows ${MAX_IDENTIFIER})`,
      );
    }
    // The parameter group's family (postgres15) is derived from the version at synth.
    if (isToken(p.engineVersion)) {
      v.at('engineVersion').report(
        TERRAFORM_EXPRESSION,
        'must be a literal version like 15 or 15.13: the parameter group family is derived from it',
      );
    } else {
      const version = rdsPostgresVersionProblem(p.engineVersion);
      if (version) v.at('engineVersion').report(p.engineVersion, version);
    }
    if (!isToken(p.instanceClass)) {
      const instanceClass = rdsPostgresInstanceClassProblem(p.instanceClass);
      if (instanceClass) v.at('instanceClass').report(p.instanceClass, instanceClass);
    }
    v.at('allocatedStorageGb').intRange(p.allocatedStorageGb, 20, RDS_MAX_STORAGE_GB);
    // Secrets Manager RotationRulesType: AutomaticallyAfterDays from 1 to 1000.
    v.at('masterPasswordRotationDays').intRange(p.masterPasswordRotationDays, 1, 1000);
    const autoscaling = rdsStorageAutoscalingProblem(p.allocatedStorageGb, p.maxAllocatedStorageGb);
    if (autoscaling) v.at('maxAllocatedStorageGb').report(p.maxAllocatedStorageGb, autoscaling);
    v.at('backupRetentionDays').intRange(p.backupRetentionDays, 0, 35);
    if (p.performanceInsights) {
      const days = p.performanceInsightsRetentionDays;
      v.at('performanceInsightsRetentionDays').check(
        days === 7 || days === 731 || (Number.isInteger(days) && days > 0 && days % 31 === 0 && days <= 713),
        days,
        'must be 7, a multiple of 31 up to 713, or 731',
      );
    }
    v.at('monitoringIntervalSeconds').oneOf(p.monitoringIntervalSeconds, [0, 1, 5, 10, 15, 30, 60]);
    if (!isToken(p.databaseName)) {
      v.at('databaseName').matches(
        p.databaseName,
        /^[a-z][a-z0-9_]{0,62}$/,
        'must be a PostgreSQL identifier (lowercase letter first, then letters, digits, _)',
      );
    }
    if (!isToken(p.masterUsername)) {
      v.at('masterUsername').matches(
        p.masterUsername,
        /^[a-z][a-z0-9_]{0,15}$/,
        'must be 1-16 lowercase letters, digits or _, starting with a letter',
      );
      v.at('masterUsername').check(
        !['postgres', 'admin', 'rdsadmin'].includes(p.masterUsername),
        p.masterUsername,
        'is a reserved user name',
      );
    }
    v.at('readReplicas').check(p.readReplicas === 0, p.readReplicas, READ_REPLICAS_UNSUPPORTED);
    const backup = dailyWindow(p.backupWindow);
    const maintenance = weeklyWindow(p.maintenanceWindow);
    if (!backup) v.at('backupWindow').report(p.backupWindow, 'must be hh24:mi-hh24:mi (UTC)');
    else v.at('backupWindow').check(backup.length >= 30, p.backupWindow, 'must be at least 30 minutes');
    if (!maintenance) {
      v.at('maintenanceWindow').report(p.maintenanceWindow, 'must be ddd:hh24:mi-ddd:hh24:mi (UTC)');
    } else {
      v.at('maintenanceWindow').check(
        maintenance.length >= 30,
        p.maintenanceWindow,
        'must be at least 30 minutes',
      );
    }
    if (backup && maintenance) {
      v.at('maintenanceWindow').check(
        !dailyMeetsWeekly(backup, maintenance),
        p.maintenanceWindow,
        `must not overlap backupWindow ${p.backupWindow}`,
      );
    }
    v.at('port').intRange(p.port, 1150, 65535);
    v.at('logRetentionDays').oneOf(
      p.logRetentionDays,
      LOG_RETENTION_DAYS as readonly number[],
      "one of CloudWatch Logs' retention values:",
    );
    v.at('slowQueryThresholdMs').intRange(p.slowQueryThresholdMs, -1, 2147483647);
    throwIfIssues(v.issues);
  }
}
