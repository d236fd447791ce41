import type {
  EnvironmentConfig,
  EnvironmentName,
  GpuFleetConfig,
  PortsConfig,
  ProjectSettings,
} from './types';
import { DEFAULT_GPU_ROOT_VOLUME_GB, DLAMI_SSM_PARAMETER } from '../lib/aws/ami';

/** Canonical values (docs/design.md); staging and production differ only where it says so. */

export const PORTS: PortsConfig = {
  http: 80,
  https: 443,
  api: 8000,
  modelServer: 8080,
  renderWorker: 8090,
  postgres: 5432,
  redis: 6379,
  ssh: 22,
};

/** Network layout of docs/design.md; staging is the same layout with second octet 1. */
function network(secondOctet: number, azs: readonly string[]) {
  const net = (third: number) => `10.${secondOctet}.${third}.0/24`;
  return {
    vpcCidr: `10.${secondOctet}.0.0/16`,
    availabilityZones: azs,
    publicSubnets: [net(1), net(2)],
    privateSubnets: [net(10), net(20)],
    gpuSubnets: [net(3), net(30)],
    dataSubnets: [net(100), net(200)],
  };
}

function modelServer(count: GpuFleetConfig['count'], spot: boolean, prod: boolean): GpuFleetConfig {
  return {
    logRetentionDays: prod ? 30 : 7,
    instanceType: 'g4dn.xlarge',
    // Spot capacity comes from any of these pools; each has one NVIDIA GPU with 16-24 GB.
    fallbackInstanceTypes: spot ? ['g5.xlarge', 'g6.xlarge'] : [],
    port: PORTS.modelServer,
    count,
    spot,
    onDemandBaseCapacity: 0,
    scheduleTimeZone: 'Asia/Seoul',
    schedules: [],
    // Behind the load balancer: its deregistration delay lets requests finish.
    drainTimeoutSeconds: 0,
    rootVolumeGb: DEFAULT_GPU_ROOT_VOLUME_GB,
    detailedMonitoring: prod,
    amiSsmParameter: DLAMI_SSM_PARAMETER,
    loadBalanced: true,
    // docs/design.md: GPU utilization 70 %; CPU 80 % as a second policy for CPU-bound loads.
    scaling: { kind: 'gpu-utilization', targetPercent: 70, cpuTargetPercent: 80 },
  };
}

/** Production render schedule (Asia/Seoul): weekdays 09:00-18:00 at least 4, off-peak 2, weekends 1. */
export const PRODUCTION_RENDER_SCHEDULES: GpuFleetConfig['schedules'] = [
  { name: 'weekday-peak', recurrence: '0 9 * * MON-FRI', minSize: 4 },
  { name: 'weekday-off-peak', recurrence: '0 18 * * MON-FRI', minSize: 2 },
  { name: 'weekend', recurrence: '0 0 * * SAT', minSize: 1 },
  { name: 'week-start', recurrence: '0 0 * * MON', minSize: 2 },
];

function renderWorker(count: GpuFleetConfig['count'], prod: boolean): GpuFleetConfig {
  return {
    logRetentionDays: prod ? 30 : 7,
    instanceType: 'g4dn.2xlarge',
    // Same shape (8 vCPU, 32 GiB, one NVIDIA GPU with 16-24 GB), x86_64, all in ap-northeast-2.
    fallbackInstanceTypes: ['g5.2xlarge', 'g6.2xlarge'],
    port: PORTS.renderWorker,
    count,
    // Spot above an on-demand base: production keeps its off-peak minimum on demand.
    spot: true,
    onDemandBaseCapacity: prod ? 2 : 0,
    scheduleTimeZone: 'Asia/Seoul',
    schedules: prod ? PRODUCTION_RENDER_SCHEDULES : [],
    // A render job gets 15 minutes to finish when its host is scaled in or refreshed (Spot: 2).
    drainTimeoutSeconds: 900,
    rootVolumeGb: DEFAULT_GPU_ROOT_VOLUME_GB,
    detailedMonitoring: prod,
    amiSsmParameter: DLAMI_SSM_PARAMETER,
    loadBalanced: false,
    scaling: {
      kind: 'queue-depth',
      targetPerInstance: 10,
      metricNamespace: 'ECG/RenderWorker',
      metricName: 'QueueDepth',
      queues: ['celery'],
      // kombu's defaults. Copy here what the workers set in broker_transport_options, e.g. the
      // priority recipe of Celery's docs: prioritySteps [0, 1, ..., 9] and sep ':'.
      brokerTransportOptions: {
        prioritySteps: [0, 3, 6, 9],
        sep: '\x06\x16',
        globalKeyprefix: '',
        unackedKey: 'unacked',
      },
    },
  };
}

const API_HEALTH_CHECK = {
  command: ['CMD-SHELL', 'curl -f http://localhost:8000/health || exit 1'],
  intervalSeconds: 30,
  timeoutSeconds: 5,
  retries: 3,
  startPeriodSeconds: 60,
};

const ALB_HEALTH_CHECK = {
  path: '/health',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  matcher: '200',
};

/** What the presets read from the project settings. */
export type PresetSettings = Pick<ProjectSettings, 'region'> &
  Partial<Pick<ProjectSettings, 'allowedAccountIds' | 'drRegion' | 'domainName'>>;

/** Production's second region unless the `drRegion` setting names another. */
export const DEFAULT_DR_REGION = 'us-west-2';

/**
 * True when both environments are pinned to accounts and share none: only then are they known to
 * be in different AWS accounts (the settings validation also refuses an id in both lists).
 */
export function pinnedToSeparateAccounts(settings: PresetSettings): boolean {
  const ids = settings.allowedAccountIds;
  if (!ids || ids.staging.length === 0 || ids.production.length === 0) return false;
  return !ids.staging.some((id) => ids.production.includes(id));
}

/**
 * Whether `env` creates the account's GitHub OIDC provider. IAM holds one provider per URL and
 * account (CreateOpenIDConnectProvider: the same provider cannot be registered twice in one
 * account; EntityAlreadyExists). Environments pinned to separate accounts each create their own;
 * otherwise they may share an account, so staging creates it (it is deployed first) and production
 * references it by ARN.
 */
export function createsGithubOidcProvider(env: EnvironmentName, settings: PresetSettings): boolean {
  return env === 'staging' || pinnedToSeparateAccounts(settings);
}

/** Default AZs of a region: its `a` and `c` zones (ap-northeast-2a and 2c in docs/design.md). */
export function defaultAvailabilityZones(region: string): string[] {
  return [`${region}a`, `${region}c`];
}

export function stagingConfig(settings: PresetSettings): EnvironmentConfig {
  return {
    name: 'staging',
    network: {
      ...network(1, defaultAvailabilityZones(settings.region)),
      natGateways: 'single',
      flowLogs: false,
      flowLogRetentionDays: 7,
      interfaceEndpoints: false,
    },
    security: { ports: PORTS },
    ecr: {
      repositories: ['api', 'model-server', 'render-worker'],
      imageTagMutability: 'MUTABLE',
      untaggedExpireDays: 7,
      keepLastTagged: 30,
      forceDelete: true,
    },
    api: {
      cpu: 512,
      memoryMiB: 1024,
      containerName: 'api',
      containerPort: PORTS.api,
      healthCheck: API_HEALTH_CHECK,
      logRetentionDays: 7,
      count: { min: 1, desired: 1, max: 2 },
      cpuTargetPercent: 70,
      memoryTargetPercent: 80,
      deploymentMaximumPercent: 200,
      deploymentMinimumHealthyPercent: 50,
      healthCheckGracePeriodSeconds: 60,
      enableExecuteCommand: true,
      ignoreTaskDefinitionChanges: false,
      fargateSpotWeight: 0,
      release: { canaryPercent: 0, canaryMinutes: 0, terminationWaitMinutes: 5 },
    },
    alb: {
      healthCheck: ALB_HEALTH_CHECK,
      deletionProtection: false,
      accessLogs: false,
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      requireOriginHeader: false,
      // Staging keeps a public ALB so the API can be tested directly, without CloudFront.
      internetFacing: true,
      idleTimeoutSeconds: 60,
    },
    gpu: {
      modelServer: modelServer({ min: 1, desired: 1, max: 1 }, true, false),
      renderWorker: renderWorker({ min: 0, desired: 0, max: 1 }, false),
    },
    database: {
      engineVersion: '15',
      instanceClass: 'db.t4g.micro',
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      multiAz: false,
      backupRetentionDays: 1,
      deletionProtection: false,
      finalSnapshot: false,
      preventDestroy: false,
      performanceInsights: true,
      monitoringIntervalSeconds: 0,
      databaseName: 'ecg',
      masterUsername: 'ecg_admin',
      readReplicas: 0,
      backupWindow: '18:00-19:00',
      maintenanceWindow: 'sun:19:00-sun:20:00',
      logRetentionDays: 7,
      masterPasswordRotationDays: 30,
      backupReplicaRegion: '',
      backupReplicaRetentionDays: 7,
    },
    cache: {
      engineVersion: '7.1',
      nodeType: 'cache.t4g.micro',
      nodeCount: 1,
      automaticFailover: false,
      multiAz: false,
      snapshotRetentionDays: 0,
      finalSnapshot: false,
      snapshotWindow: '17:00-18:00',
      maintenanceWindow: 'sun:20:00-sun:21:00',
      slowLogRetentionDays: 7,
    },
    storage: {
      // The staging distribution and a developer's local frontend (`next dev` on port 3000).
      corsAllowedOrigins: ['cloudfront', 'http://localhost:3000'],
      tempExpireDays: 1,
      uploadsToGlacierDays: 30,
      renderedToGlacierIrDays: 90,
      noncurrentExpireDays: 30,
      abortMultipartDays: 7,
      logsExpireDays: 90,
      transferAcceleration: false,
      accessLogging: false,
      preventDestroy: false,
      replicaRegion: '',
      replicationTimeControl: false,
    },
    edge: {
      priceClass: 'PriceClass_100',
      defaultRootObject: 'index.html',
      logPrefix: 'cloudfront-logs/',
      waf: false,
      wafRateLimitPer5Min: 1000,
      allowedCountries: [],
      wafUploadPaths: [],
      aliases: [],
      // The team's domain, when set: staging answers on its own subdomain.
      ...(settings.domainName ? { domainName: `staging.${settings.domainName}` } : {}),
    },
    monitoring: {
      albTarget5xxPercent: 5,
      targetResponseP95Seconds: 2,
      ecsCpuPercent: 80,
      ecsMemoryPercent: 85,
      rdsCpuPercent: 80,
      rdsFreeStorageGb: 2,
      rdsConnections: 60,
      redisCpuPercent: 85,
      redisMemoryPercent: 85,
      renderQueueDepth: 100,
      gpuMemoryPercent: 90,
      gpuUtilizationPercent: 90,
      gpuDiskUsedPercent: 80,
    },
    // Staging records most of its little traffic: 1 trace a second, then 20 %.
    tracing: { reservoirPerSecond: 1, fixedRate: 0.2 },
    // Staging deploys and releases run in the GitHub environment `staging` (required reviewers);
    // trusting the bare branch as well would let a job without the environment skip them.
    cicd: {
      createOidcProvider: createsGithubOidcProvider('staging', settings),
      branch: 'main',
      githubEnvironment: 'staging',
    },
    overrides: {},
  };
}

export function productionConfig(settings: PresetSettings): EnvironmentConfig {
  const staging = stagingConfig(settings);
  return {
    ...staging,
    name: 'production',
    network: {
      ...network(0, defaultAvailabilityZones(settings.region)),
      natGateways: 'one-per-az',
      flowLogs: true,
      flowLogRetentionDays: 30,
      // Image pulls, logs, metrics, secrets, STS and Session Manager stay inside the VPC; staging
      // leaves them off (nine endpoints in two AZs cost more than its NAT traffic).
      interfaceEndpoints: true,
    },
    ecr: { ...staging.ecr, imageTagMutability: 'IMMUTABLE', forceDelete: false },
    api: {
      ...staging.api,
      cpu: 2048,
      memoryMiB: 4096,
      logRetentionDays: 30,
      count: { min: 2, desired: 2, max: 10 },
      // CodeDeploy's canary has two steps: 10 % for 10 minutes (two 5-minute alarm periods), then 100 %.
      release: { canaryPercent: 10, canaryMinutes: 10, terminationWaitMinutes: 15 },
    },
    // Internal ALB behind a CloudFront VPC origin: no public address, so no secret header either.
    alb: {
      ...staging.alb,
      deletionProtection: true,
      accessLogs: true,
      requireOriginHeader: false,
      internetFacing: false,
    },
    gpu: {
      modelServer: modelServer({ min: 1, desired: 1, max: 4 }, false, true),
      renderWorker: renderWorker({ min: 2, desired: 2, max: 8 }, true),
    },
    database: {
      ...staging.database,
      instanceClass: 'db.t4g.medium',
      allocatedStorageGb: 100,
      maxAllocatedStorageGb: 500,
      multiAz: true,
      backupRetentionDays: 7,
      deletionProtection: true,
      finalSnapshot: true,
      preventDestroy: true,
      monitoringIntervalSeconds: 60,
      logRetentionDays: 30,
      // Disaster recovery (RPO 5 minutes): transaction logs and snapshots copied to the second region.
      backupReplicaRegion: settings.drRegion ?? DEFAULT_DR_REGION,
      backupReplicaRetentionDays: 7,
    },
    cache: {
      ...staging.cache,
      nodeType: 'cache.t4g.small',
      nodeCount: 2,
      automaticFailover: true,
      multiAz: true,
      snapshotRetentionDays: 7,
      finalSnapshot: true,
      slowLogRetentionDays: 30,
    },
    storage: {
      ...staging.storage,
      corsAllowedOrigins: ['cloudfront'],
      // Uploads from far away go through the nearest edge (the team's design document).
      transferAcceleration: true,
      accessLogging: true,
      preventDestroy: true,
      // Disaster recovery: every video object copied to the second region within the 15-minute RTC SLA.
      replicaRegion: settings.drRegion ?? DEFAULT_DR_REGION,
      replicationTimeControl: true,
    },
    // The users are in Korea: PriceClass_200 adds the Korean and Japanese edges, which
    // PriceClass_100 (North America, Europe) lacks. Staging's own testing keeps the cheaper class.
    // The WAF allows the countries of the users and the team (KR, US, JP), and large bodies only on
    // the API's upload endpoints.
    edge: {
      ...staging.edge,
      waf: true,
      priceClass: 'PriceClass_200',
      allowedCountries: ['KR', 'US', 'JP'],
      wafUploadPaths: ['/api/uploads'],
      // Production serves the domain itself.
      ...(settings.domainName ? { domainName: settings.domainName } : {}),
    },
    // Production deploys only from the reviewed GitHub environment, never from a bare branch.
    cicd: {
      createOidcProvider: createsGithubOidcProvider('production', settings),
      branch: 'main',
      githubEnvironment: 'production',
    },
    monitoring: { ...staging.monitoring, albTarget5xxPercent: 1, rdsFreeStorageGb: 10, rdsConnections: 150 },
    // Production records 1 trace a second, then 5 % of the rest: at the assumed 5 M traced
    // requests a month (1.9 a second) about 2.7 M traces, $14 (docs/cost.md).
    tracing: { reservoirPerSecond: 1, fixedRate: 0.05 },
  };
}

export function environmentConfig(name: EnvironmentName, settings: PresetSettings): EnvironmentConfig {
  return name === 'production' ? productionConfig(settings) : stagingConfig(settings);
}
