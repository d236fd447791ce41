/**
 * The one runtime schema of the environment configuration (the shape of `types.ts`): types,
 * required keys, unknown keys, enums and ranges. The AWS and cross-field rules stay in the
 * validate-*.ts files and run on top of it. docs/configuration.md is generated from this schema
 * (scripts/config-docs.ts).
 */
import * as v from 'valibot';
import { int, oneOf, positive, visibleString } from '../lib/schema';
import { RDS_MAX_STORAGE_GB } from '../lib/aws/rds';

const str = () => v.string();
const bool = () => v.boolean();
const list = <T extends v.GenericSchema>(item: T) => v.array(item);
const reason = v.strictObject({ reason: str() });
const count = v.strictObject({ min: v.number(), desired: v.number(), max: v.number() });

const network = v.strictObject({
  vpcCidr: str(),
  availabilityZones: list(visibleString()),
  publicSubnets: list(str()),
  privateSubnets: list(str()),
  gpuSubnets: list(str()),
  dataSubnets: list(str()),
  natGateways: oneOf(['single', 'one-per-az']),
  flowLogs: bool(),
  flowLogRetentionDays: v.number(),
  interfaceEndpoints: bool(),
});

const port = int(1, 65535);
const security = v.strictObject({
  ports: v.strictObject({
    http: port,
    https: port,
    api: port,
    modelServer: port,
    renderWorker: port,
    postgres: port,
    redis: port,
    ssh: port,
  }),
});

const ecr = v.strictObject({
  repositories: list(str()),
  imageTagMutability: oneOf(['MUTABLE', 'IMMUTABLE']),
  untaggedExpireDays: int(1, 3650),
  keepLastTagged: int(1, 10000),
  forceDelete: bool(),
});

const api = v.strictObject({
  cpu: v.number(),
  memoryMiB: v.number(),
  containerName: str(),
  containerPort: port,
  healthCheck: v.strictObject({
    command: list(str()),
    intervalSeconds: int(5, 300),
    timeoutSeconds: int(2, 60),
    retries: int(1, 10),
    startPeriodSeconds: int(0, 300),
  }),
  logRetentionDays: v.number(),
  count,
  cpuTargetPercent: int(1, 100),
  memoryTargetPercent: int(1, 100),
  deploymentMaximumPercent: int(100, 200),
  deploymentMinimumHealthyPercent: int(0, 100),
  healthCheckGracePeriodSeconds: int(0, 2147483647),
  enableExecuteCommand: bool(),
  ignoreTaskDefinitionChanges: bool(),
  fargateSpotWeight: int(0, 1000),
  release: v.strictObject({
    canaryPercent: int(0, 99),
    canaryMinutes: int(0, 2880),
    // CodeDeploy API reference, BlueInstanceTerminationOption: at most 2880 minutes.
    terminationWaitMinutes: int(0, 2880),
  }),
});

const alb = v.strictObject({
  healthCheck: v.strictObject({
    path: str(),
    intervalSeconds: int(5, 300),
    timeoutSeconds: int(2, 120),
    healthyThreshold: int(2, 10),
    unhealthyThreshold: int(2, 10),
    matcher: str(),
  }),
  deletionProtection: bool(),
  accessLogs: bool(),
  sslPolicy: str(),
  requireOriginHeader: bool(),
  internetFacing: bool(),
  idleTimeoutSeconds: int(1, 4000),
  certificateArn: v.optional(str()),
  originDomainName: v.optional(str()),
});

const fleet = v.strictObject({
  instanceType: str(),
  fallbackInstanceTypes: list(str()),
  port,
  count,
  spot: bool(),
  onDemandBaseCapacity: v.number(),
  scheduleTimeZone: str(),
  schedules: list(v.strictObject({ name: str(), recurrence: str(), minSize: v.number() })),
  drainTimeoutSeconds: v.number(),
  rootVolumeGb: v.number(),
  detailedMonitoring: bool(),
  amiSsmParameter: str(),
  loadBalanced: bool(),
  logRetentionDays: v.number(),
  scaling: v.variant('kind', [
    v.strictObject({ kind: v.literal('cpu'), targetPercent: int(1, 100) }),
    v.strictObject({
      kind: v.literal('gpu-utilization'),
      targetPercent: int(1, 100),
      cpuTargetPercent: v.optional(int(1, 100)),
    }),
    v.strictObject({
      kind: v.literal('queue-depth'),
      targetPerInstance: int(1, 100000),
      metricNamespace: str(),
      metricName: str(),
      queues: list(str()),
      brokerTransportOptions: v.strictObject({
        prioritySteps: list(v.number()),
        sep: str(),
        globalKeyprefix: str(),
        unackedKey: str(),
      }),
    }),
  ]),
});

const database = v.strictObject({
  engineVersion: str(),
  instanceClass: str(),
  allocatedStorageGb: int(20, RDS_MAX_STORAGE_GB),
  maxAllocatedStorageGb: v.number(),
  multiAz: bool(),
  backupRetentionDays: int(0, 35),
  deletionProtection: bool(),
  finalSnapshot: bool(),
  preventDestroy: bool(),
  performanceInsights: bool(),
  monitoringIntervalSeconds: v.pipe(
    v.number(),
    v.check((n) => [0, 1, 5, 10, 15, 30, 60].includes(n), 'must be one of 0, 1, 5, 10, 15, 30, 60'),
    v.description('one of 0, 1, 5, 10, 15, 30, 60'),
  ),
  databaseName: str(),
  masterUsername: str(),
  readReplicas: v.number(),
  backupWindow: str(),
  maintenanceWindow: str(),
  logRetentionDays: v.number(),
  // Secrets Manager RotationRulesType: AutomaticallyAfterDays from 1 to 1000.
  masterPasswordRotationDays: int(1, 1000),
  backupReplicaRegion: visibleString(),
  // RDS keeps replicated automated backups from 1 to 35 days, like the source's retention.
  backupReplicaRetentionDays: int(1, 35),
});

const cache = v.strictObject({
  engineVersion: str(),
  nodeType: str(),
  nodeCount: int(1, 6),
  automaticFailover: bool(),
  multiAz: bool(),
  snapshotRetentionDays: int(0, 35),
  finalSnapshot: bool(),
  snapshotWindow: str(),
  maintenanceWindow: str(),
  slowLogRetentionDays: v.number(),
});

const storage = v.strictObject({
  corsAllowedOrigins: list(str()),
  tempExpireDays: int(1, 3650),
  uploadsToGlacierDays: int(1, 3650),
  renderedToGlacierIrDays: int(1, 3650),
  noncurrentExpireDays: int(1, 3650),
  abortMultipartDays: int(1, 365),
  logsExpireDays: int(1, 3650),
  transferAcceleration: bool(),
  accessLogging: bool(),
  preventDestroy: bool(),
  replicaRegion: visibleString(),
  replicationTimeControl: bool(),
});

const edge = v.strictObject({
  priceClass: oneOf(['PriceClass_100', 'PriceClass_200', 'PriceClass_All']),
  defaultRootObject: str(),
  logPrefix: str(),
  waf: bool(),
  wafRateLimitPer5Min: int(10, 2000000000),
  allowedCountries: list(str()),
  wafUploadPaths: list(str()),
  aliases: list(str()),
  acmCertificateArn: v.optional(str()),
  domainName: v.optional(str()),
  apiHealthCheckPath: v.optional(str()),
});

const monitoring = v.strictObject({
  albTarget5xxPercent: positive(true),
  targetResponseP95Seconds: positive(),
  ecsCpuPercent: positive(true),
  ecsMemoryPercent: positive(true),
  rdsCpuPercent: positive(true),
  rdsFreeStorageGb: positive(),
  rdsConnections: positive(),
  redisCpuPercent: positive(true),
  redisMemoryPercent: positive(true),
  renderQueueDepth: positive(),
  gpuMemoryPercent: positive(true),
  gpuUtilizationPercent: positive(true),
  gpuDiskUsedPercent: positive(true),
});

// X-Ray SamplingRule: ReservoirSize is a whole number of traces a second, FixedRate a share.
const tracing = v.strictObject({
  reservoirPerSecond: int(0, 1000),
  fixedRate: v.pipe(
    v.number(),
    v.check((n) => n >= 0 && n <= 1, 'must be a share from 0 to 1 (X-Ray SamplingRule FixedRate)'),
    v.description('share from 0 to 1'),
  ),
});

const cicd = v.strictObject({
  createOidcProvider: bool(),
  existingOidcProviderArn: v.optional(str()),
  branch: str(),
  githubEnvironment: v.optional(str()),
});

const overrides = v.strictObject({
  allowSingleAzDatabase: v.optional(reason),
  allowSingleNodeCache: v.optional(reason),
  allowSmallerThanStaging: v.optional(reason),
  allowOverlappingVpcCidrs: v.optional(reason),
  allowPublicAlb: v.optional(reason),
});

/** One environment (src/config/environments.ts). */
export const ENVIRONMENT_SCHEMA = v.strictObject({
  name: oneOf(['staging', 'production']),
  network,
  security,
  ecr,
  api,
  alb,
  gpu: v.strictObject({ modelServer: fleet, renderWorker: fleet }),
  database,
  cache,
  storage,
  edge,
  monitoring,
  tracing,
  cicd,
  overrides,
});

/** Keys taken out of the configuration, with what replaces them. */
export const REMOVED_ENVIRONMENT_KEYS: Readonly<Record<string, string>> = {
  'security.sshAllowedCidrs':
    'was removed: it never reached the model servers. SSH sources are the tfvars variable ssh_allowed_cidrs (terraform.tfvars or tfvars/<env>.tfvars); prefer Session Manager. Delete this key',
};

const text = v.pipe(v.string(), v.description('string'));
const accountIds = v.pipe(
  v.custom<unknown>(
    (x) => typeof x === 'string' || Array.isArray(x),
    'must be a list of account ids (or a comma-separated string)',
  ),
  v.description('list of 12-digit account ids, or a comma-separated string'),
);

/**
 * The raw value of each setting as given (environment variable or cdktf.json context), before
 * `resolveSettings` interprets it: the types a setting takes. Its AWS rules are in validate.ts.
 */
export const SETTING_INPUTS_SCHEMA = v.strictObject({
  project: v.optional(text),
  region: v.optional(text),
  stateBucket: v.optional(text),
  lockTable: v.optional(text),
  stagingAccountIds: v.optional(accountIds),
  productionAccountIds: v.optional(accountIds),
  useLockfile: v.optional(
    v.pipe(
      v.custom<unknown>(
        (x) => typeof x === 'boolean' || x === 'true' || x === 'false',
        'must be true or false',
      ),
      v.description('true or false'),
    ),
  ),
  githubRepository: v.optional(text),
  drRegion: v.optional(text),
  domainName: v.optional(text),
  hostedZoneId: v.optional(text),
  hostedZoneName: v.optional(text),
});
