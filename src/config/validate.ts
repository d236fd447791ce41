import { Address4 } from 'ip-address';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentConfig,
  type GpuFleetConfig,
  type ProjectSettings,
  type ScalingCountConfig,
} from './types';
import { type ConfigIssue, IssueCollector, throwIfIssues } from '../lib/validation';
import {
  CLOUDWATCH_CUSTOM_NAMESPACE_PATTERN,
  CLOUDWATCH_METRIC_NAME_PATTERN,
  ECS_CONTAINER_NAME_PATTERN,
  LOG_RETENTION_DAYS,
  fargateSizeProblems,
} from '../lib/aws/limits';
import { ACCOUNT_ID_PATTERN, acmCertificateArnPattern } from '../lib/aws/arns';
import { AWS_REGIONS, isRegion } from '../lib/aws/regions';
import { s3BucketNameProblems } from '../lib/aws/s3';
import { gpuInstanceTypeProblem } from '../lib/aws/ec2';
import { rdsPostgresInstanceClassProblem, rdsPostgresVersionProblem } from '../lib/aws/rds';
import { elasticacheNodeTypeProblem, redisVersionProblem } from '../lib/aws/elasticache';
import { isWafCountryCode } from '../lib/aws/countries';
import { suggestion } from '../lib/suggest';
import { checkKombuKeyLayout } from '../lib/celery-broker';
import { SETTINGS_OBJECT_PATHS, type SettingKey, type SettingPaths } from './settings';
import { READ_REPLICAS_UNSUPPORTED } from '../modules/rds';
import { pinnedToSeparateAccounts } from './environments';
import { GP3_MAX_GB, minimumRootVolumeGb } from '../lib/aws/ami';
import { validateScalingExtras } from '../modules/ec2-gpu-scaling';
import { alarmThresholdProblem } from '../modules/monitoring';

const PROJECT_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))+[a-z0-9]$/;
const TABLE_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
/** `cloudfront` (the distribution's domain, filled in by the stack) or an https origin. */
const CORS_ORIGIN_PATTERN = /^(cloudfront|https:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?)$/;
/** A developer's local frontend, e.g. `http://localhost:3000`. */
const DEV_ORIGIN_PATTERN = /^http:\/\/localhost:\d{1,5}$/;
const WINDOW_PATTERN = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const WEEKLY_WINDOW_PATTERN =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The tightest budget of any name the platform generates: an ElastiCache replication group id has
 * at most 40 characters (CreateReplicationGroup, ReplicationGroupId), and production's is
 * `<project>-production-redis`. Every other generated name fits when this one does; a test
 * synthesizes both environments with a project name of exactly this length and checks every name.
 */
export const MAX_PROJECT_LENGTH = 40 - '-production-redis'.length;

export function validateSettings(
  settings: ProjectSettings,
  paths: SettingPaths = SETTINGS_OBJECT_PATHS,
): ConfigIssue[] {
  const at = (key: SettingKey) => new IssueCollector(paths[key]);
  const sink: ConfigIssue[] = [];
  const collect = (v: IssueCollector) => sink.push(...v.issues);

  const project = at('project');
  project.matches(
    settings.project,
    PROJECT_PATTERN,
    `must be 3-${MAX_PROJECT_LENGTH} lowercase letters, digits or single hyphens, starting with a letter and ending with a letter or digit`,
  );
  project.check(
    settings.project.length <= MAX_PROJECT_LENGTH,
    settings.project,
    `is ${settings.project.length} characters; at most ${MAX_PROJECT_LENGTH} fit every generated name (the production ElastiCache id <project>-production-redis is limited to 40)`,
  );
  collect(project);
  const region = at('region');
  region.check(
    isRegion(settings.region),
    settings.region,
    `must be an AWS region like ap-northeast-2${suggestion(settings.region, AWS_REGIONS)}`,
  );
  collect(region);
  if (settings.drRegion !== undefined) {
    const dr = at('drRegion');
    dr.check(
      isRegion(settings.drRegion),
      settings.drRegion,
      `must be an AWS region like us-east-2${suggestion(settings.drRegion, AWS_REGIONS)}`,
    );
    dr.check(
      settings.drRegion !== settings.region,
      settings.drRegion,
      `must differ from the stacks' region ${settings.region} (the copies are for losing that region)`,
    );
    collect(dr);
  }
  const bucket = at('stateBucket');
  for (const problem of s3BucketNameProblems(settings.stateBucket)) {
    bucket.report(settings.stateBucket, `is not a valid S3 bucket name: ${problem}`);
  }
  collect(bucket);
  const table = at('lockTable');
  table.matches(
    settings.lockTable,
    TABLE_PATTERN,
    'must be a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)',
  );
  collect(table);
  for (const env of ENVIRONMENT_NAMES) {
    const ids = at(env === 'staging' ? 'stagingAccountIds' : 'productionAccountIds');
    settings.allowedAccountIds[env].forEach((id, i) =>
      ids.at(i).matches(id, ACCOUNT_ID_PATTERN, 'must be a 12-digit AWS account id'),
    );
    collect(ids);
  }
  const staging = new Set(settings.allowedAccountIds.staging);
  const production = at('productionAccountIds');
  settings.allowedAccountIds.production.forEach((id, i) =>
    production
      .at(i)
      .check(!staging.has(id), id, 'must not also be a staging account (environments are isolated)'),
  );
  collect(production);
  if (settings.githubRepository !== '') {
    const repo = at('githubRepository');
    repo.matches(
      settings.githubRepository,
      /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/,
      'must be a GitHub owner/repo (no wildcards)',
    );
    collect(repo);
  }
  return sink;
}

/** Parses a CIDR; reports and returns undefined when it is not a valid, aligned IPv4 CIDR. */
function parseCidr(
  v: IssueCollector,
  cidr: string,
  minPrefix: number,
  maxPrefix: number,
): Address4 | undefined {
  if (typeof cidr !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !Address4.isValid(cidr)) {
    v.report(cidr, 'must be an IPv4 CIDR like 10.0.0.0/16');
    return undefined;
  }
  const address = new Address4(cidr);
  if (address.startAddress().correctForm() !== address.correctForm()) {
    v.report(
      cidr,
      `is not aligned: the network address is ${address.startAddress().correctForm()}/${address.subnetMask}`,
    );
    return undefined;
  }
  if (address.subnetMask < minPrefix || address.subnetMask > maxPrefix) {
    v.report(cidr, `must have a prefix length from /${minPrefix} to /${maxPrefix}`);
    return undefined;
  }
  return address;
}

function overlaps(a: Address4, b: Address4): boolean {
  return a.isInSubnet(b) || b.isInSubnet(a);
}

function checkCount(v: IssueCollector, count: ScalingCountConfig, maxAllowed: number): void {
  v.at('min').intRange(count.min, 0, maxAllowed);
  v.at('max').intRange(count.max, 1, maxAllowed);
  if (count.min > count.max) {
    v.at('min').report(count.min, `must not exceed max (${count.max})`);
    return;
  }
  v.at('desired').check(
    Number.isInteger(count.desired) && count.min <= count.desired && count.desired <= count.max,
    count.desired,
    `must be from min to max (${count.min} to ${count.max})`,
  );
}

function checkRetention(v: IssueCollector, days: number): void {
  v.check(
    (LOG_RETENTION_DAYS as readonly number[]).includes(days),
    days,
    `must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
  );
}

function checkPort(v: IssueCollector, port: number): void {
  v.intRange(port, 1, 65535);
}

const TIERS = ['publicSubnets', 'privateSubnets', 'gpuSubnets', 'dataSubnets'] as const;

function validateNetwork(v: IssueCollector, cfg: EnvironmentConfig, region: string): void {
  const net = cfg.network;
  const azs = v.at('availabilityZones');
  azs.check(
    net.availabilityZones.length >= 2,
    net.availabilityZones,
    'must list at least 2 availability zones',
  );
  net.availabilityZones.forEach((az, i) => {
    azs
      .at(i)
      .check(
        new RegExp(`^${region.replace(/[-]/g, '\\-')}[a-z]$`).test(az),
        az,
        `must be an availability zone of region ${region}`,
      );
    azs.at(i).check(net.availabilityZones.indexOf(az) === i, az, 'is listed twice');
  });

  const vpc = parseCidr(v.at('vpcCidr'), net.vpcCidr, 16, 28);
  const seen: { tier: string; index: number; cidr: string; address: Address4 }[] = [];
  for (const tier of TIERS) {
    const list = net[tier];
    const t = v.at(tier);
    t.check(
      list.length === net.availabilityZones.length,
      list,
      `must hold exactly one subnet per availability zone (${net.availabilityZones.length})`,
    );
    list.forEach((cidr, index) => {
      const s = t.at(index);
      const address = parseCidr(s, cidr, 16, 28);
      if (!address) return;
      if (vpc && !address.isInSubnet(vpc)) s.report(cidr, `is not inside vpcCidr ${net.vpcCidr}`);
      for (const other of seen) {
        if (overlaps(address, other.address)) {
          s.report(cidr, `overlaps ${other.tier}[${other.index}] ${other.cidr}`);
        }
      }
      seen.push({ tier, index, cidr, address });
    });
  }
  v.at('natGateways').oneOf(net.natGateways, ['single', 'one-per-az']);
  checkRetention(v.at('flowLogRetentionDays'), net.flowLogRetentionDays);
  if (cfg.name === 'production') {
    v.at('flowLogs').check(net.flowLogs, net.flowLogs, 'must be true in production (VPC flow logs)');
  }
}

function validateGpuFleet(v: IssueCollector, fleet: GpuFleetConfig): void {
  const problem = gpuInstanceTypeProblem(fleet.instanceType, fleet.amiSsmParameter);
  if (problem) v.at('instanceType').report(fleet.instanceType, problem);
  checkPort(v.at('port'), fleet.port);
  checkCount(v.at('count'), fleet.count, 100);
  checkRetention(v.at('logRetentionDays'), fleet.logRetentionDays);
  // EC2 refuses a root volume smaller than the AMI's snapshot (InvalidBlockDeviceMapping at launch).
  const minRoot = minimumRootVolumeGb(fleet.amiSsmParameter);
  v.at('rootVolumeGb').check(
    Number.isInteger(fleet.rootVolumeGb) && fleet.rootVolumeGb >= minRoot && fleet.rootVolumeGb <= GP3_MAX_GB,
    fleet.rootVolumeGb,
    `must be an integer from ${minRoot} to ${GP3_MAX_GB}: EC2 refuses a root volume smaller than the AMI's snapshot`,
  );
  v.at('amiSsmParameter').matches(
    fleet.amiSsmParameter,
    /^\/aws\/service\/[A-Za-z0-9_./-]+$/,
    'must be an SSM public parameter path under /aws/service/',
  );
  fleet.fallbackInstanceTypes.forEach((t, i) =>
    v
      .at('fallbackInstanceTypes')
      .at(i)
      .matches(t, /^(g|p)\d/, 'must be a GPU instance family (g* or p*)'),
  );
  // Purchase mix, schedules (weekly cron, sizes within count.max, no two at one time), drain.
  validateScalingExtras(v, {
    ...fleet,
    minSize: fleet.count.min,
    maxSize: fleet.count.max,
  });
  if (fleet.scaling.kind === 'cpu') {
    v.at('scaling').at('targetPercent').intRange(fleet.scaling.targetPercent, 1, 100);
  } else if (fleet.scaling.kind === 'gpu-utilization') {
    v.at('scaling').at('targetPercent').intRange(fleet.scaling.targetPercent, 1, 100);
    if (fleet.scaling.cpuTargetPercent !== undefined) {
      v.at('scaling').at('cpuTargetPercent').intRange(fleet.scaling.cpuTargetPercent, 1, 100);
    }
  } else {
    const queues = fleet.scaling.queues;
    v.at('scaling')
      .at('queues')
      .check(queues.length > 0, queues, 'must list at least one Celery queue');
    queues.forEach((q, i) =>
      v
        .at('scaling')
        .at('queues')
        .at(i)
        .matches(q, /^[A-Za-z0-9_.:@-]{1,200}$/, 'must be a Celery queue name (no spaces or commas)'),
    );
    checkKombuKeyLayout(
      v.at('scaling').at('brokerTransportOptions'),
      fleet.scaling.brokerTransportOptions,
      queues,
    );
    v.at('scaling').at('targetPerInstance').intRange(fleet.scaling.targetPerInstance, 1, 100000);
    v.at('scaling')
      .at('metricName')
      .matches(fleet.scaling.metricName, CLOUDWATCH_METRIC_NAME_PATTERN, 'must be a CloudWatch metric name');
    v.at('scaling')
      .at('metricNamespace')
      .matches(
        fleet.scaling.metricNamespace,
        CLOUDWATCH_CUSTOM_NAMESPACE_PATTERN,
        'must be a custom CloudWatch namespace (not AWS/...)',
      );
  }
}

/** Every problem of one environment's configuration. */
/**
 * A disaster-recovery region: '' (none) or an AWS region other than the stack's own; production
 * must name one (the design's RPO and RTO assume copies outside the primary region).
 */
function checkSecondRegion(
  at: IssueCollector,
  region: string,
  settings: ProjectSettings,
  prod: boolean,
): void {
  const primary = settings.region;
  // A region taken from the drRegion setting is judged, and reported, as that setting.
  if (region !== '' && region === settings.drRegion) return;
  if (region === '') {
    at.check(!prod, region, 'must name a second region in production (disaster recovery), like us-west-2');
    return;
  }
  at.check(
    isRegion(region),
    region,
    `must be an AWS region like us-west-2${suggestion(region, AWS_REGIONS)}`,
  );
  at.check(
    region !== primary,
    region,
    `must differ from the stack's region ${primary} (a stack moved into ${region} sets ECG_DR_REGION to a third region)`,
  );
}

export function validateEnvironment(cfg: EnvironmentConfig, settings: ProjectSettings): ConfigIssue[] {
  const root = new IssueCollector(String(cfg.name));
  root.check(
    (ENVIRONMENT_NAMES as readonly string[]).includes(cfg.name),
    cfg.name,
    `environment name must be one of ${ENVIRONMENT_NAMES.join(', ')}`,
  );
  const prod = cfg.name === 'production';

  validateNetwork(root.at('network'), cfg, settings.region);

  const sec = root.at('security');
  for (const [name, port] of Object.entries(cfg.security.ports)) checkPort(sec.at('ports').at(name), port);
  cfg.security.sshAllowedCidrs.forEach((cidr, i) => {
    const s = sec.at('sshAllowedCidrs').at(i);
    const a = parseCidr(s, cidr, 8, 32);
    if (a && a.subnetMask < 16)
      s.report(cidr, 'is too wide for SSH (narrower than /16 required; prefer Session Manager)');
  });

  const ecr = root.at('ecr');
  ecr
    .at('repositories')
    .check(cfg.ecr.repositories.length > 0, cfg.ecr.repositories, 'must list at least one repository');
  cfg.ecr.repositories.forEach((r, i) =>
    ecr
      .at('repositories')
      .at(i)
      .matches(r, /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'must be a lowercase ECR repository name'),
  );
  ecr.at('imageTagMutability').oneOf(cfg.ecr.imageTagMutability, ['MUTABLE', 'IMMUTABLE']);
  ecr.at('untaggedExpireDays').intRange(cfg.ecr.untaggedExpireDays, 1, 3650);
  ecr.at('keepLastTagged').intRange(cfg.ecr.keepLastTagged, 1, 10000);
  if (prod) {
    ecr
      .at('imageTagMutability')
      .check(
        cfg.ecr.imageTagMutability === 'IMMUTABLE',
        cfg.ecr.imageTagMutability,
        'must be IMMUTABLE in production',
      );
    ecr.at('forceDelete').check(!cfg.ecr.forceDelete, cfg.ecr.forceDelete, 'must be false in production');
  }

  const api = root.at('api');
  const size = fargateSizeProblems(cfg.api.cpu, cfg.api.memoryMiB);
  if (size.cpu) api.at('cpu').report(cfg.api.cpu, size.cpu);
  if (size.memoryMiB) api.at('memoryMiB').report(cfg.api.memoryMiB, size.memoryMiB);
  api
    .at('containerName')
    .matches(cfg.api.containerName, ECS_CONTAINER_NAME_PATTERN, 'must be 1-255 letters, digits, _ or -');
  checkPort(api.at('containerPort'), cfg.api.containerPort);
  checkRetention(api.at('logRetentionDays'), cfg.api.logRetentionDays);
  checkCount(api.at('count'), cfg.api.count, 1000);
  api.at('cpuTargetPercent').intRange(cfg.api.cpuTargetPercent, 1, 100);
  api.at('memoryTargetPercent').intRange(cfg.api.memoryTargetPercent, 1, 100);
  api.at('deploymentMaximumPercent').intRange(cfg.api.deploymentMaximumPercent, 100, 200);
  api.at('deploymentMinimumHealthyPercent').intRange(cfg.api.deploymentMinimumHealthyPercent, 0, 100);
  api.at('healthCheckGracePeriodSeconds').intRange(cfg.api.healthCheckGracePeriodSeconds, 0, 2147483647);
  api.at('fargateSpotWeight').intRange(cfg.api.fargateSpotWeight, 0, 1000);
  const hc = api.at('healthCheck');
  hc.at('intervalSeconds').intRange(cfg.api.healthCheck.intervalSeconds, 5, 300);
  hc.at('timeoutSeconds').intRange(cfg.api.healthCheck.timeoutSeconds, 2, 60);
  hc.at('retries').intRange(cfg.api.healthCheck.retries, 1, 10);
  hc.at('startPeriodSeconds').intRange(cfg.api.healthCheck.startPeriodSeconds, 0, 300);

  const alb = root.at('alb');
  const thc = cfg.alb.healthCheck;
  alb
    .at('healthCheck')
    .at('path')
    .matches(thc.path, /^\/\S*$/, 'must be a path starting with /');
  alb.at('healthCheck').at('intervalSeconds').intRange(thc.intervalSeconds, 5, 300);
  alb.at('healthCheck').at('timeoutSeconds').intRange(thc.timeoutSeconds, 2, 120);
  alb
    .at('healthCheck')
    .at('timeoutSeconds')
    .check(
      thc.timeoutSeconds < thc.intervalSeconds,
      thc.timeoutSeconds,
      `must be less than intervalSeconds (${thc.intervalSeconds})`,
    );
  alb.at('healthCheck').at('healthyThreshold').intRange(thc.healthyThreshold, 2, 10);
  alb.at('healthCheck').at('unhealthyThreshold').intRange(thc.unhealthyThreshold, 2, 10);
  alb
    .at('healthCheck')
    .at('matcher')
    .matches(thc.matcher, /^\d{3}([,-]\d{3})*$/, 'must be HTTP codes like 200 or 200-299');
  alb
    .at('sslPolicy')
    .matches(
      cfg.alb.sslPolicy,
      /^ELBSecurityPolicy-(TLS13-1-2|TLS-1-2)/,
      'must be an ELB security policy that requires TLS 1.2+',
    );
  alb.at('idleTimeoutSeconds').intRange(cfg.alb.idleTimeoutSeconds, 1, 4000);
  if (cfg.alb.certificateArn !== undefined) {
    alb
      .at('certificateArn')
      .matches(
        cfg.alb.certificateArn,
        acmCertificateArnPattern(settings.region),
        `must be an ACM certificate ARN in ${settings.region}`,
      );
    if (cfg.alb.internetFacing) {
      alb
        .at('requireOriginHeader')
        .check(
          cfg.alb.requireOriginHeader,
          cfg.alb.requireOriginHeader,
          'must be true when certificateArn is set: CloudFront reaches the ALB on port 80, which otherwise redirects to HTTPS',
        );
    }
  }
  if (!cfg.alb.internetFacing && cfg.alb.certificateArn !== undefined) {
    alb
      .at('originDomainName')
      .check(
        cfg.alb.originDomainName !== undefined,
        cfg.alb.originDomainName,
        'is required with certificateArn on an internal ALB: CloudFront checks the origin certificate against the origin domain name, and no ACM certificate covers the ALB generated name',
      );
  }
  if (cfg.alb.originDomainName !== undefined) {
    alb
      .at('originDomainName')
      .matches(
        cfg.alb.originDomainName,
        /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/,
        'must be a DNS name like api-origin.example.com',
      );
    alb
      .at('originDomainName')
      .check(
        !cfg.alb.internetFacing && cfg.alb.certificateArn !== undefined,
        cfg.alb.originDomainName,
        'needs internetFacing false and certificateArn (it is the HTTPS name of the VPC origin)',
      );
  }
  if (!cfg.alb.internetFacing) {
    alb
      .at('requireOriginHeader')
      .check(
        !cfg.alb.requireOriginHeader,
        cfg.alb.requireOriginHeader,
        'must be false with internetFacing false: an internal ALB is reachable only through the CloudFront VPC origin',
      );
  }
  if (prod && cfg.alb.internetFacing) {
    alb
      .at('internetFacing')
      .check(
        cfg.overrides.allowPublicAlb !== undefined,
        cfg.alb.internetFacing,
        'must be false in production: CloudFront reaches an internal ALB through a VPC origin (set overrides.allowPublicAlb with a reason to allow it)',
      );
    alb
      .at('requireOriginHeader')
      .check(
        cfg.alb.requireOriginHeader,
        cfg.alb.requireOriginHeader,
        'must be true for an internet-facing ALB in production (it must answer CloudFront only)',
      );
  }
  if (prod) {
    alb
      .at('deletionProtection')
      .check(cfg.alb.deletionProtection, cfg.alb.deletionProtection, 'must be true in production');
  }

  validateGpuFleet(root.at('gpu').at('modelServer'), cfg.gpu.modelServer);
  validateGpuFleet(root.at('gpu').at('renderWorker'), cfg.gpu.renderWorker);

  const db = root.at('database');
  const d = cfg.database;
  // The team's platform is PostgreSQL 15; RDS's own offer decides the minor.
  db.at('engineVersion').check(
    /^15(\.|$)/.test(d.engineVersion),
    d.engineVersion,
    'must be PostgreSQL 15 (15 or 15.x)',
  );
  const version = rdsPostgresVersionProblem(d.engineVersion);
  if (version) db.at('engineVersion').report(d.engineVersion, version);
  const instanceClass = rdsPostgresInstanceClassProblem(d.instanceClass);
  if (instanceClass) db.at('instanceClass').report(d.instanceClass, instanceClass);
  db.at('allocatedStorageGb').intRange(d.allocatedStorageGb, 20, 65536);
  db.at('maxAllocatedStorageGb').check(
    Number.isInteger(d.maxAllocatedStorageGb) &&
      d.maxAllocatedStorageGb >= d.allocatedStorageGb &&
      d.maxAllocatedStorageGb <= 65536,
    d.maxAllocatedStorageGb,
    `must be an integer from allocatedStorageGb (${d.allocatedStorageGb}) to 65536`,
  );
  db.at('backupRetentionDays').intRange(d.backupRetentionDays, 0, 35);
  db.at('monitoringIntervalSeconds').oneOf(d.monitoringIntervalSeconds, [0, 1, 5, 10, 15, 30, 60]);
  db.at('databaseName').matches(
    d.databaseName,
    /^[a-z][a-z0-9_]{0,62}$/,
    'must be a PostgreSQL identifier (lowercase letter first, then letters, digits, _)',
  );
  db.at('masterUsername').matches(
    d.masterUsername,
    /^[a-z][a-z0-9_]{0,15}$/,
    'must be 1-16 lowercase letters, digits or _, starting with a letter',
  );
  db.at('masterUsername').check(
    !['postgres', 'admin', 'rdsadmin'].includes(d.masterUsername),
    d.masterUsername,
    'is a reserved user name',
  );
  db.at('readReplicas').check(d.readReplicas === 0, d.readReplicas, READ_REPLICAS_UNSUPPORTED);
  checkRetention(db.at('logRetentionDays'), d.logRetentionDays);
  db.at('backupWindow').matches(d.backupWindow, WINDOW_PATTERN, 'must be hh24:mi-hh24:mi (UTC)');
  db.at('maintenanceWindow').matches(
    d.maintenanceWindow,
    WEEKLY_WINDOW_PATTERN,
    'must be ddd:hh24:mi-ddd:hh24:mi (UTC)',
  );
  // Secrets Manager RotationRulesType: AutomaticallyAfterDays from 1 to 1000.
  db.at('masterPasswordRotationDays').intRange(d.masterPasswordRotationDays, 1, 1000);
  checkSecondRegion(db.at('backupReplicaRegion'), d.backupReplicaRegion, settings, prod);
  // RDS keeps replicated automated backups from 1 to 35 days, like the source's retention.
  db.at('backupReplicaRetentionDays').intRange(d.backupReplicaRetentionDays, 1, 35);
  if (prod) {
    db.at('masterPasswordRotationDays').check(
      d.masterPasswordRotationDays <= 30,
      d.masterPasswordRotationDays,
      'must be at most 30 in production (the team rotates secrets every 30 days)',
    );
  }
  if (prod) {
    db.at('backupRetentionDays').check(
      d.backupRetentionDays >= 7,
      d.backupRetentionDays,
      'must be at least 7 in production',
    );
    db.at('deletionProtection').check(
      d.deletionProtection,
      d.deletionProtection,
      'must be true in production',
    );
    db.at('finalSnapshot').check(d.finalSnapshot, d.finalSnapshot, 'must be true in production');
    if (!cfg.overrides.allowSingleAzDatabase) {
      db.at('multiAz').check(
        d.multiAz,
        d.multiAz,
        'must be true in production (set overrides.allowSingleAzDatabase with a reason to allow it)',
      );
    }
  } else {
    db.at('backupRetentionDays').check(
      d.backupRetentionDays >= 1,
      d.backupRetentionDays,
      'must be at least 1',
    );
  }

  const cache = root.at('cache');
  const c = cfg.cache;
  const redis = redisVersionProblem(c.engineVersion, '7');
  if (redis) cache.at('engineVersion').report(c.engineVersion, redis);
  checkRetention(cache.at('slowLogRetentionDays'), c.slowLogRetentionDays);
  const nodeType = elasticacheNodeTypeProblem(c.nodeType);
  if (nodeType) cache.at('nodeType').report(c.nodeType, nodeType);
  cache.at('nodeCount').intRange(c.nodeCount, 1, 6);
  cache.at('snapshotRetentionDays').intRange(c.snapshotRetentionDays, 0, 35);
  cache.at('snapshotWindow').matches(c.snapshotWindow, WINDOW_PATTERN, 'must be hh24:mi-hh24:mi (UTC)');
  cache
    .at('maintenanceWindow')
    .matches(c.maintenanceWindow, WEEKLY_WINDOW_PATTERN, 'must be ddd:hh24:mi-ddd:hh24:mi (UTC)');
  if (c.automaticFailover) {
    cache
      .at('automaticFailover')
      .check(c.nodeCount >= 2, c.automaticFailover, `requires nodeCount >= 2 (is ${c.nodeCount})`);
  }
  if (c.multiAz) {
    cache.at('multiAz').check(c.automaticFailover, c.multiAz, 'requires automaticFailover');
  }
  if (prod) {
    cache
      .at('snapshotRetentionDays')
      .check(c.snapshotRetentionDays >= 1, c.snapshotRetentionDays, 'must be at least 1 in production');
    cache.at('finalSnapshot').check(c.finalSnapshot, c.finalSnapshot, 'must be true in production');
    if (!cfg.overrides.allowSingleNodeCache) {
      const ha = c.nodeCount >= 2 && c.automaticFailover && c.multiAz;
      cache.check(
        ha,
        { nodeCount: c.nodeCount, automaticFailover: c.automaticFailover, multiAz: c.multiAz },
        'must be highly available in production: nodeCount >= 2, automaticFailover and multiAz (set overrides.allowSingleNodeCache with a reason to allow it)',
      );
    }
  }

  const st = root.at('storage');
  const s = cfg.storage;
  st.at('tempExpireDays').intRange(s.tempExpireDays, 1, 3650);
  st.at('uploadsToGlacierDays').intRange(s.uploadsToGlacierDays, 1, 3650);
  st.at('renderedToGlacierIrDays').intRange(s.renderedToGlacierIrDays, 1, 3650);
  st.at('noncurrentExpireDays').intRange(s.noncurrentExpireDays, 1, 3650);
  st.at('abortMultipartDays').intRange(s.abortMultipartDays, 1, 365);
  st.at('logsExpireDays').intRange(s.logsExpireDays, 1, 3650);
  st.at('corsAllowedOrigins').check(
    s.corsAllowedOrigins.length > 0,
    s.corsAllowedOrigins,
    'must list at least one origin',
  );
  // The video bucket's CORS rule allows PUT, POST and DELETE: every origin is named, never `*`.
  s.corsAllowedOrigins.forEach((o, i) => {
    const at = st.at('corsAllowedOrigins').at(i);
    if (o === '*') {
      at.report(o, 'must name an origin, not *: the video bucket allows PUT, POST and DELETE from it');
    } else if (DEV_ORIGIN_PATTERN.test(o)) {
      at.check(!prod, o, 'is a developer origin: http://localhost:<port> is allowed in staging only');
    } else {
      at.matches(
        o,
        CORS_ORIGIN_PATTERN,
        'must be cloudfront, an https:// origin, or (staging only) http://localhost:<port>',
      );
    }
  });

  checkSecondRegion(st.at('replicaRegion'), s.replicaRegion, settings, prod);
  st.at('replicationTimeControl').check(
    !s.replicationTimeControl || s.replicaRegion !== '',
    s.replicationTimeControl,
    'needs storage.replicaRegion: Replication Time Control belongs to a replication rule',
  );
  // One second-region provider per stack: the backups and the video replica share it.
  if (s.replicaRegion !== '' && d.backupReplicaRegion !== '') {
    db.at('backupReplicaRegion').check(
      d.backupReplicaRegion === s.replicaRegion,
      d.backupReplicaRegion,
      `must be the region of storage.replicaRegion (${s.replicaRegion}): one second region per environment`,
    );
  }

  const edge = root.at('edge');
  edge.at('priceClass').oneOf(cfg.edge.priceClass, ['PriceClass_100', 'PriceClass_200', 'PriceClass_All']);
  edge
    .at('logPrefix')
    .matches(
      cfg.edge.logPrefix,
      /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/,
      'must be an S3 key prefix ending in /',
    );
  edge.at('wafRateLimitPer5Min').intRange(cfg.edge.wafRateLimitPer5Min, 10, 2000000000);
  cfg.edge.allowedCountries.forEach((cc, i) =>
    edge
      .at('allowedCountries')
      .at(i)
      .check(
        isWafCountryCode(cc),
        cc,
        'must be an ISO 3166-1 alpha-2 country code WAF geo match knows, like KR',
      ),
  );
  cfg.edge.wafUploadPaths.forEach((path, i) => {
    const at = edge.at('wafUploadPaths').at(i);
    at.matches(path, /^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\/?$/, 'must be a URI path like /api/uploads');
    at.check(cfg.edge.wafUploadPaths.indexOf(path) === i, path, 'is listed twice');
  });
  edge
    .at('wafUploadPaths')
    .check(
      cfg.edge.waf || cfg.edge.wafUploadPaths.length === 0,
      cfg.edge.wafUploadPaths,
      'needs waf: true (the upload exemption is a WAF rule)',
    );
  edge
    .at('acmCertificateArn')
    .check(
      (cfg.edge.acmCertificateArn === undefined) === (cfg.edge.aliases.length === 0),
      cfg.edge.acmCertificateArn,
      'and aliases go together: a custom domain needs both',
    );
  if (cfg.edge.acmCertificateArn !== undefined) {
    edge
      .at('acmCertificateArn')
      .matches(
        cfg.edge.acmCertificateArn,
        acmCertificateArnPattern('us-east-1'),
        'must be an ACM certificate ARN in us-east-1 (CloudFront only uses certificates there)',
      );
  }
  cfg.edge.aliases.forEach((a, i) =>
    edge
      .at('aliases')
      .at(i)
      .matches(a, /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a DNS name'),
  );

  const mon = root.at('monitoring');
  for (const [key, value] of Object.entries(cfg.monitoring)) {
    const problem = alarmThresholdProblem(key, value);
    if (problem) mon.at(key).report(value, problem);
  }

  const ov = root.at('overrides');
  for (const [key, value] of Object.entries(cfg.overrides)) {
    const reason = (value as { reason?: unknown } | undefined)?.reason;
    ov.at(key)
      .at('reason')
      .check(
        typeof reason === 'string' && reason.trim().length >= 10,
        reason,
        'must explain the exception (at least 10 characters)',
      );
  }

  return [...root.issues];
}

/** Instance size rank (nano < micro < ... < 48xlarge), for comparing classes across families. */
function sizeRank(type: string): number {
  const size = type.split('.').pop() ?? '';
  const named = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge'].indexOf(size);
  if (named >= 0) return named;
  const multiple = /^(\d+)xlarge$/.exec(size);
  return multiple ? 5 + Number(multiple[1]) : -1;
}

/**
 * Rules between the environments: production is never sized below staging, and the two VPCs do
 * not share an address range (they would collide the day they are peered or joined by a transit
 * gateway). Each can be waived in production's `overrides`, with a written reason.
 */
export function validateAcrossEnvironments(environments: readonly EnvironmentConfig[]): ConfigIssue[] {
  const staging = environments.find((e) => e.name === 'staging');
  const production = environments.find((e) => e.name === 'production');
  if (!staging || !production) return [];
  const v = new IssueCollector('production');
  if (!production.overrides.allowSmallerThanStaging) {
    const waiver = '(set production.overrides.allowSmallerThanStaging with a reason to allow it)';
    const notBelow = (path: string, prod: number, stag: number, what = String(stag)) =>
      v.at(path).check(prod >= stag, prod, `must not be smaller than staging's ${what} ${waiver}`);
    notBelow('api.cpu', production.api.cpu, staging.api.cpu);
    notBelow('api.memoryMiB', production.api.memoryMiB, staging.api.memoryMiB);
    notBelow('api.count.desired', production.api.count.desired, staging.api.count.desired);
    notBelow('api.count.max', production.api.count.max, staging.api.count.max);
    const classes = (path: string, prod: string, stag: string) =>
      v
        .at(path)
        .check(
          sizeRank(prod) >= sizeRank(stag),
          prod,
          `must not be a smaller size than staging's ${stag} ${waiver}`,
        );
    classes('database.instanceClass', production.database.instanceClass, staging.database.instanceClass);
    classes('cache.nodeType', production.cache.nodeType, staging.cache.nodeType);
    notBelow(
      'database.allocatedStorageGb',
      production.database.allocatedStorageGb,
      staging.database.allocatedStorageGb,
    );
    for (const fleet of ['modelServer', 'renderWorker'] as const) {
      notBelow(`gpu.${fleet}.count.max`, production.gpu[fleet].count.max, staging.gpu[fleet].count.max);
      classes(
        `gpu.${fleet}.instanceType`,
        production.gpu[fleet].instanceType,
        staging.gpu[fleet].instanceType,
      );
    }
  }
  if (!production.overrides.allowOverlappingVpcCidrs) {
    const ok = Address4.isValid(production.network.vpcCidr) && Address4.isValid(staging.network.vpcCidr);
    if (ok) {
      const p = new Address4(production.network.vpcCidr);
      const s = new Address4(staging.network.vpcCidr);
      v.at('network')
        .at('vpcCidr')
        .check(
          !overlaps(p, s),
          production.network.vpcCidr,
          `overlaps staging.network.vpcCidr ${staging.network.vpcCidr}: the environments need distinct address ranges (set production.overrides.allowOverlappingVpcCidrs with a reason to allow it)`,
        );
    }
  }
  return [...v.issues];
}

/** Every problem of the settings and the environments, each environment alone and together. */
export function configurationIssues(
  settings: ProjectSettings,
  environments: readonly EnvironmentConfig[],
  paths: SettingPaths = SETTINGS_OBJECT_PATHS,
): ConfigIssue[] {
  return [
    ...validateSettings(settings, paths),
    ...environments.flatMap((e) => validateEnvironment(e, settings)),
    ...validateAcrossEnvironments(environments),
    ...validateEnvironments(environments, settings),
  ];
}

/**
 * Rules across environments. IAM holds one OIDC provider per URL and account: the second
 * CreateOpenIDConnectProvider for token.actions.githubusercontent.com in an account fails with
 * EntityAlreadyExists. So at most one environment creates it, unless the environments are pinned
 * to different accounts.
 */
export function validateEnvironments(
  environments: readonly EnvironmentConfig[],
  settings: ProjectSettings,
): ConfigIssue[] {
  if (settings.githubRepository === '') return [];
  const creators = environments.filter((e) => e.cicd.createOidcProvider);
  if (creators.length < 2 || pinnedToSeparateAccounts(settings)) return [];
  const v = new IssueCollector(String(creators[1].name));
  v.at('cicd')
    .at('createOidcProvider')
    .report(
      true,
      `must be false while ${creators[0].name} creates the GitHub OIDC provider and the two are not pinned to different accounts (settings.allowedAccountIds): IAM holds one provider per URL per account, so the second apply would fail with EntityAlreadyExists. Pin both account ids, or let this stack reference ${creators[0].name}'s provider`,
    );
  return [...v.issues];
}

/** Validates settings and every environment together and throws once with all problems. */
export function assertValidConfiguration(
  settings: ProjectSettings,
  environments: readonly EnvironmentConfig[],
): void {
  throwIfIssues(configurationIssues(settings, environments));
}
