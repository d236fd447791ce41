import { Address4 } from 'ip-address';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentConfig,
  type GpuFleetConfig,
  type ProjectSettings,
  type ScalingCountConfig,
} from './types';
import { type ConfigIssue, IssueCollector, throwIfIssues } from '../lib/validation';
import { FARGATE_MEMORY, LOG_RETENTION_DAYS } from '../lib/aws/limits';
import { ACCOUNT_ID_PATTERN, acmCertificateArnPattern } from '../lib/aws/arns';
import { REGION_PATTERN } from '../lib/aws/regions';
import { validateScalingExtras } from '../modules/ec2-gpu-scaling';

const PROJECT_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TABLE_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
const EC2_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const RDS_CLASS_PATTERN = /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const CACHE_NODE_PATTERN = /^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const WINDOW_PATTERN = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const WEEKLY_WINDOW_PATTERN =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;

export function validateSettings(settings: ProjectSettings): ConfigIssue[] {
  const v = new IssueCollector('settings');
  v.at('project').matches(
    settings.project,
    PROJECT_PATTERN,
    'must be 3-32 lowercase letters, digits or hyphens, starting with a letter',
  );
  v.at('region').matches(settings.region, REGION_PATTERN, 'must be an AWS region like ap-northeast-2');
  v.at('stateBucket').matches(
    settings.stateBucket,
    BUCKET_PATTERN,
    'must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)',
  );
  v.at('lockTable').matches(
    settings.lockTable,
    TABLE_PATTERN,
    'must be a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)',
  );
  for (const env of ENVIRONMENT_NAMES) {
    settings.allowedAccountIds[env].forEach((id, i) =>
      v
        .at('allowedAccountIds')
        .at(env)
        .at(i)
        .matches(id, ACCOUNT_ID_PATTERN, 'must be a 12-digit AWS account id'),
    );
  }
  if (settings.githubRepository !== '') {
    v.at('githubRepository').matches(
      settings.githubRepository,
      /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/,
      'must be a GitHub owner/repo (no wildcards)',
    );
  }
  const staging = new Set(settings.allowedAccountIds.staging);
  settings.allowedAccountIds.production.forEach((id, i) =>
    v
      .at('allowedAccountIds')
      .at('production')
      .at(i)
      .check(!staging.has(id), id, 'must not also be a staging account (environments are isolated)'),
  );
  return [...v.issues];
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
  v.at('max').intRange(count.max, 0, maxAllowed);
  v.at('desired').check(
    Number.isInteger(count.desired) && count.min <= count.desired && count.desired <= count.max,
    count.desired,
    `must satisfy min <= desired <= max (min ${count.min}, max ${count.max})`,
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
  v.at('instanceType').matches(
    fleet.instanceType,
    EC2_TYPE_PATTERN,
    'must be an EC2 instance type like g4dn.xlarge',
  );
  v.at('instanceType').matches(fleet.instanceType, /^(g|p)\d/, 'must be a GPU instance family (g* or p*)');
  checkPort(v.at('port'), fleet.port);
  checkCount(v.at('count'), fleet.count, 100);
  checkRetention(v.at('logRetentionDays'), fleet.logRetentionDays);
  v.at('rootVolumeGb').intRange(fleet.rootVolumeGb, 30, 16384);
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
    v.at('scaling').at('targetPerInstance').intRange(fleet.scaling.targetPerInstance, 1, 100000);
    v.at('scaling')
      .at('metricName')
      .matches(fleet.scaling.metricName, /^\S{1,255}$/, 'must be a CloudWatch metric name');
    v.at('scaling')
      .at('metricNamespace')
      .matches(
        fleet.scaling.metricNamespace,
        /^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/,
        'must be a custom CloudWatch namespace (not AWS/...)',
      );
  }
}

/** Every problem of one environment's configuration. */
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
  const memOk = FARGATE_MEMORY[cfg.api.cpu];
  api
    .at('cpu')
    .check(
      memOk !== undefined,
      cfg.api.cpu,
      `must be a Fargate CPU value: ${Object.keys(FARGATE_MEMORY).join(', ')}`,
    );
  if (memOk) {
    api
      .at('memoryMiB')
      .check(
        memOk(cfg.api.memoryMiB),
        cfg.api.memoryMiB,
        `is not a Fargate memory size allowed with cpu ${cfg.api.cpu}`,
      );
  }
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
    alb
      .at('requireOriginHeader')
      .check(
        cfg.alb.requireOriginHeader,
        cfg.alb.requireOriginHeader,
        'must be true when certificateArn is set: CloudFront reaches the ALB on port 80, which otherwise redirects to HTTPS',
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
  db.at('engineVersion').matches(d.engineVersion, /^15(\.\d+)?$/, 'must be PostgreSQL 15 (15 or 15.x)');
  db.at('instanceClass').matches(
    d.instanceClass,
    RDS_CLASS_PATTERN,
    'must be an RDS instance class like db.t4g.micro',
  );
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
  db.at('readReplicas').intRange(d.readReplicas, 0, 5);
  checkRetention(db.at('logRetentionDays'), d.logRetentionDays);
  db.at('backupWindow').matches(d.backupWindow, WINDOW_PATTERN, 'must be hh24:mi-hh24:mi (UTC)');
  db.at('maintenanceWindow').matches(
    d.maintenanceWindow,
    WEEKLY_WINDOW_PATTERN,
    'must be ddd:hh24:mi-ddd:hh24:mi (UTC)',
  );
  if (d.readReplicas > 0) {
    db.at('backupRetentionDays').check(
      d.backupRetentionDays >= 1,
      d.backupRetentionDays,
      'must be at least 1 when readReplicas > 0',
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
  cache.at('engineVersion').matches(c.engineVersion, /^7\.\d+$/, 'must be Redis 7 as major.minor, like 7.1');
  checkRetention(cache.at('slowLogRetentionDays'), c.slowLogRetentionDays);
  cache
    .at('nodeType')
    .matches(c.nodeType, CACHE_NODE_PATTERN, 'must be an ElastiCache node type like cache.t4g.micro');
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
  st.at('renderedToGlacierDays').intRange(s.renderedToGlacierDays, 1, 3650);
  st.at('noncurrentExpireDays').intRange(s.noncurrentExpireDays, 1, 3650);
  st.at('abortMultipartDays').intRange(s.abortMultipartDays, 1, 365);
  st.at('logsExpireDays').intRange(s.logsExpireDays, 1, 3650);
  st.at('corsAllowedOrigins').check(
    s.corsAllowedOrigins.length > 0,
    s.corsAllowedOrigins,
    'must list at least one origin',
  );
  s.corsAllowedOrigins.forEach((o, i) =>
    st
      .at('corsAllowedOrigins')
      .at(i)
      .matches(
        o,
        /^(\*|cloudfront|https:\/\/[a-z0-9.-]+(:\d+)?)$/,
        'must be *, cloudfront or an https:// origin',
      ),
  );
  if (prod) {
    st.at('corsAllowedOrigins').check(
      !s.corsAllowedOrigins.includes('*'),
      s.corsAllowedOrigins,
      'must not allow * in production',
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
      .matches(cc, /^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code like KR'),
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
    mon.at(key).check(typeof value === 'number' && value > 0, value, 'must be a positive number');
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

/** Validates settings and every environment together and throws once with all problems. */
export function assertValidConfiguration(
  settings: ProjectSettings,
  environments: readonly EnvironmentConfig[],
): void {
  throwIfIssues([
    ...validateSettings(settings),
    ...environments.flatMap((e) => validateEnvironment(e, settings)),
  ]);
}
