/**
 * The environment model: every value that differs between, or is canonical for, the platform
 * environments (docs/design.md, Canonical values). Modules never read this directly; `platform-stack.ts`
 * maps it onto module props.
 */

import type { TargetHealthCheck } from '../modules/alb';
import type { ContainerHealthCheck } from '../modules/ecs-container';
import type { AlarmThresholds } from '../modules/monitoring';
import type { SamplingRates } from '../modules/xray-sampling';
import type { GpuFleetSchedule } from '../modules/ec2-gpu-scaling';

import type { EnvironmentName } from '../lib/environments';
import type { KombuKeyLayout } from '../lib/celery-broker';

export { ENVIRONMENT_NAMES, type EnvironmentName } from '../lib/environments';

/** Project-wide settings; defaults in `settings.ts`, overridden from cdktf.json context or env. */
export interface ProjectSettings {
  /** Prefix of every resource name: `<project>-<env>-<thing>`. */
  readonly project: string;
  /** AWS region of every stack. */
  readonly region: string;
  /** S3 bucket that holds the Terraform state of the platform stacks. */
  readonly stateBucket: string;
  /** DynamoDB table used for Terraform state locking. */
  readonly lockTable: string;
  /** Account ids each environment's AWS provider may touch; empty means not pinned. */
  readonly allowedAccountIds: Readonly<Record<EnvironmentName, readonly string[]>>;
  /** Also use S3-native state locking (Terraform >= 1.10) next to the DynamoDB lock. */
  readonly useLockfile: boolean;
  /** `owner/repo` whose GitHub Actions may assume the deploy roles; empty creates no OIDC roles. */
  readonly githubRepository: string;
  /**
   * Second region of production's disaster-recovery copies (video replica, replicated RDS
   * backups), replacing the preset's us-west-2: a stack moved into that region by the recovery
   * runbook keeps its copies in a third one. Unset: the preset's.
   */
  readonly drRegion?: string;
  /**
   * The team's domain (`example.com`): production serves it, staging `staging.<domainName>`
   * (each environment's `edge.domainName`), with ACM certificates validated in `hostedZoneId`.
   * Unset: the distributions keep their `*.cloudfront.net` names. Set with `hostedZoneId`.
   */
  readonly domainName?: string;
  /** Route 53 public hosted zone that holds `domainName` (and the validation records). */
  readonly hostedZoneId?: string;
  /**
   * The zone's own name (`example.com` for a zone of that name), when known: every name the
   * environments serve must lie within it. Unset: they must lie within `domainName`, the one name
   * the zone is known to hold.
   */
  readonly hostedZoneName?: string;
}

export type NatGatewayMode = 'single' | 'one-per-az';

export interface NetworkConfig {
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  /** ALB and NAT gateways; the only tier that maps public IPs. */
  readonly publicSubnets: readonly string[];
  /** ECS API tasks. */
  readonly privateSubnets: readonly string[];
  /** GPU model and render servers. */
  readonly gpuSubnets: readonly string[];
  /** RDS and Redis; no route to the internet. */
  readonly dataSubnets: readonly string[];
  readonly natGateways: NatGatewayMode;
  readonly flowLogs: boolean;
  readonly flowLogRetentionDays: number;
  /** Interface endpoints (ecr.api, ecr.dkr, logs, secretsmanager, ssm, ssmmessages). */
  readonly interfaceEndpoints: boolean;
}

/** Ports of the security-group table of docs/design.md. */
export interface PortsConfig {
  readonly http: number;
  readonly https: number;
  readonly api: number;
  readonly modelServer: number;
  readonly renderWorker: number;
  readonly postgres: number;
  readonly redis: number;
  readonly ssh: number;
}

export interface SecurityConfig {
  readonly ports: PortsConfig;
}

export interface EcrConfig {
  readonly repositories: readonly string[];
  readonly imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  readonly untaggedExpireDays: number;
  readonly keepLastTagged: number;
  readonly forceDelete: boolean;
}

/** The API container's health check, as the ecs module takes it. */
export type ContainerHealthCheckConfig = ContainerHealthCheck;

export interface ScalingCountConfig {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

export interface ApiServiceConfig {
  /** Fargate task CPU units. */
  readonly cpu: number;
  /** Fargate task memory in MiB. */
  readonly memoryMiB: number;
  readonly containerName: string;
  readonly containerPort: number;
  readonly healthCheck: ContainerHealthCheckConfig;
  readonly logRetentionDays: number;
  readonly count: ScalingCountConfig;
  readonly cpuTargetPercent: number;
  readonly memoryTargetPercent: number;
  readonly deploymentMaximumPercent: number;
  readonly deploymentMinimumHealthyPercent: number;
  readonly healthCheckGracePeriodSeconds: number;
  /** ECS Exec (database migrations, debugging). */
  readonly enableExecuteCommand: boolean;
  /** For teams whose CI registers task definitions: Terraform then leaves the service's revision alone. */
  readonly ignoreTaskDefinitionChanges: boolean;
  /** Weight of FARGATE_SPOT next to FARGATE (base 1); 0 runs on demand only. */
  readonly fargateSpotWeight: number;
  /** Blue/green releases through CodeDeploy. */
  readonly release: ApiReleaseConfig;
}

export interface ApiReleaseConfig {
  /** Traffic on the new tasks during the canary step (CodeDeploy TimeBasedCanary); 0 moves all at once. */
  readonly canaryPercent: number;
  /** Minutes at `canaryPercent`, watched by the alarms, before the rest moves. */
  readonly canaryMinutes: number;
  /** Minutes the old tasks stay up after a successful release (instant manual rollback). */
  readonly terminationWaitMinutes: number;
}

/** The ALB target group's health check, as the ecs module takes it. */
export type TargetHealthCheckConfig = TargetHealthCheck;

export interface AlbConfig {
  readonly healthCheck: TargetHealthCheckConfig;
  readonly deletionProtection: boolean;
  readonly accessLogs: boolean;
  readonly sslPolicy: string;
  /** Answer only requests carrying CloudFront's generated origin header (public ALB only). */
  readonly requireOriginHeader: boolean;
  /**
   * Internet-facing ALB in the public subnets (direct testing). When false the ALB is internal, in
   * the private subnets, and CloudFront reaches it through a VPC origin. Production needs
   * `overrides.allowPublicAlb` to set it true.
   */
  readonly internetFacing: boolean;
  readonly idleTimeoutSeconds: number;
  /** ACM certificate (same region) for HTTPS 443; port 80 then redirects. @default none: HTTP only */
  readonly certificateArn?: string;
  /**
   * DNS name CloudFront uses for an internal ALB's origin when `certificateArn` is set: a name the
   * certificate covers, with a record you create pointing at the ALB. CloudFront checks the
   * origin's certificate against the origin domain name, and no ACM certificate can cover the
   * ALB's generated `*.elb.amazonaws.com` name. @default the ALB's DNS name (HTTP only)
   */
  readonly originDomainName?: string;
}

/** A scheduled minimum of a GPU fleet: weekly cron in the fleet's `scheduleTimeZone`. */
export type GpuScheduleConfig = GpuFleetSchedule;

export interface GpuFleetConfig {
  /** Primary instance type: first choice, and what the on-demand base launches. */
  readonly instanceType: string;
  /**
   * Instance types used when the primary one has no (Spot) capacity: x86_64 with an NVIDIA GPU
   * the Deep Learning AMI's driver supports (g4dn T4, g5 A10G, g6 L4), and enough GPU memory.
   */
  readonly fallbackInstanceTypes: readonly string[];
  readonly port: number;
  readonly count: ScalingCountConfig;
  /** Spot capacity through a mixed-instances policy, above `onDemandBaseCapacity`. */
  readonly spot: boolean;
  /** On-demand instances below the Spot capacity (0 without spot). */
  readonly onDemandBaseCapacity: number;
  /** IANA time zone of `schedules`. */
  readonly scheduleTimeZone: string;
  /** Scheduled minimums; each holds until the next one fires. Empty: `count.min` all week. */
  readonly schedules: readonly GpuScheduleConfig[];
  /** Seconds a terminating host gets to finish its jobs (termination lifecycle hook); 0: none. */
  readonly drainTimeoutSeconds: number;
  readonly rootVolumeGb: number;
  readonly detailedMonitoring: boolean;
  /** SSM public parameter of the Deep Learning AMI, resolved by the launch template. */
  readonly amiSsmParameter: string;
  /** Behind an internal load balancer. */
  readonly loadBalanced: boolean;
  readonly logRetentionDays: number;
  readonly scaling:
    | { readonly kind: 'cpu'; readonly targetPercent: number }
    | {
        /** Target tracking on the agent's GPU utilization per group; optionally CPU as a second policy. */
        readonly kind: 'gpu-utilization';
        readonly targetPercent: number;
        readonly cpuTargetPercent?: number;
      }
    | {
        readonly kind: 'queue-depth';
        readonly targetPerInstance: number;
        /** Namespace and name of the backlog metric the queue-depth publisher puts every minute. */
        readonly metricNamespace: string;
        readonly metricName: string;
        /** Celery queues the workers consume (`-Q`); Celery's default queue is `celery`. */
        readonly queues: readonly string[];
        /**
         * The workers' `broker_transport_options` that name the queues' keys in Redis, copied
         * here so the publisher finds the jobs: `priority_steps`, `sep`, `global_keyprefix` and
         * `unacked_key` (kombu's defaults: [0, 3, 6, 9], '\x06\x16', '' and 'unacked').
         */
        readonly brokerTransportOptions: KombuKeyLayout;
      };
}

export interface GpuConfig {
  readonly modelServer: GpuFleetConfig;
  readonly renderWorker: GpuFleetConfig;
}

export interface DatabaseConfig {
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;
  readonly maxAllocatedStorageGb: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  readonly finalSnapshot: boolean;
  readonly preventDestroy: boolean;
  readonly performanceInsights: boolean;
  /** Enhanced monitoring interval; 0 turns it off. */
  readonly monitoringIntervalSeconds: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  /** Must be 0: RDS makes no read replica of an instance with an RDS-managed master password. */
  readonly readReplicas: number;
  /** UTC; 18:00-19:00 UTC is 03:00-04:00 KST. */
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  /** Retention of the exported PostgreSQL logs. */
  readonly logRetentionDays: number;
  /** Days between rotations of the RDS-managed master secret (1-1000; at most 30 in production). */
  readonly masterPasswordRotationDays: number;
  /**
   * Region that receives a copy of the automated backups (snapshots and transaction logs), for
   * point-in-time restore there; '' for none. When storage.replicaRegion is also set, the same
   * region (one second-region provider per stack).
   */
  readonly backupReplicaRegion: string;
  /** Days the replicated backups are kept in backupReplicaRegion (1-35). */
  readonly backupReplicaRetentionDays: number;
}

export interface CacheConfig {
  readonly engineVersion: string;
  readonly nodeType: string;
  /** Primary plus replicas. */
  readonly nodeCount: number;
  readonly automaticFailover: boolean;
  readonly multiAz: boolean;
  readonly snapshotRetentionDays: number;
  /** Snapshot the group when it is deleted. */
  readonly finalSnapshot: boolean;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
  readonly slowLogRetentionDays: number;
}

export interface StorageConfig {
  /**
   * Origins of the video bucket's CORS rule (GET, PUT, POST, DELETE): the literal `cloudfront` (the
   * distribution's domain, resolved at wiring time), `https://` origins, and in staging only
   * developer origins `http://localhost:<port>`. Never `*`.
   */
  readonly corsAllowedOrigins: readonly string[];
  readonly tempExpireDays: number;
  /** `uploads/` (originals, never served) to Glacier Flexible Retrieval after this many days. */
  readonly uploadsToGlacierDays: number;
  /** `rendered/` (served by CloudFront) to Glacier Instant Retrieval, still readable, after this many days. */
  readonly renderedToGlacierIrDays: number;
  readonly noncurrentExpireDays: number;
  readonly abortMultipartDays: number;
  readonly logsExpireDays: number;
  readonly transferAcceleration: boolean;
  /** S3 server access logging of the data buckets. */
  readonly accessLogging: boolean;
  readonly preventDestroy: boolean;
  /** Region of the video bucket's cross-region replica; '' for no replication. */
  readonly replicaRegion: string;
  /** S3 Replication Time Control (15-minute SLA, metrics) on the replication rule. */
  readonly replicationTimeControl: boolean;
}

export interface EdgeConfig {
  /**
   * CloudFront price class: `PriceClass_100` has North American and European edges only,
   * `PriceClass_200` adds Asia (Korea, Japan) among others, `PriceClass_All` every edge.
   */
  readonly priceClass: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  readonly defaultRootObject: string;
  readonly logPrefix: string;
  readonly waf: boolean;
  readonly wafRateLimitPer5Min: number;
  /**
   * WAF country allow-list, ISO 3166 alpha-2 codes (for example `['KR', 'US', 'JP']`): requests
   * from other countries are blocked. Empty allows every country.
   */
  readonly allowedCountries: readonly string[];
  /**
   * API paths (like `/api/uploads`, covering what lies below it) whose requests carry file content:
   * the WAF's body-inspecting managed rules (size, XSS, SQLi, LFI, RFI, SSRF, Log4j, Java
   * deserialization) only count there and block everywhere else. Needs `waf`.
   */
  readonly wafUploadPaths: readonly string[];
  readonly aliases: readonly string[];
  /** ACM certificate in us-east-1 for the aliases. @default none: the CloudFront default certificate */
  readonly acmCertificateArn?: string;
  /**
   * The name this environment serves in `settings.hostedZoneId`, with certificates and records
   * the stack creates (presets: production `settings.domainName`, staging
   * `staging.<domainName>`). Needs the domain settings; excludes `aliases`.
   * @default none - the `*.cloudfront.net` name
   */
  readonly domainName?: string;
  /**
   * Path the Route 53 health check requests through `domainName` over HTTPS: a path of the API
   * (under `/api/`) that answers 2xx or 3xx without credentials. @default '/api/health'
   */
  readonly apiHealthCheckPath?: string;
}

/** Alarm thresholds: the monitoring module's own props, one set per environment. */
export type MonitoringConfig = AlarmThresholds;

/** X-Ray sampling of the environment's services (health checks are never recorded). */
export type TracingConfig = SamplingRates;

/**
 * Explicit, named exceptions to the production rules. Each carries the reason it was granted so
 * a reviewer sees why production is allowed to be less than highly available.
 */
export interface EnvironmentOverrides {
  readonly allowSingleAzDatabase?: { readonly reason: string };
  readonly allowSingleNodeCache?: { readonly reason: string };
  /** Production sized below staging somewhere (API, database, cache, GPU fleets). */
  readonly allowSmallerThanStaging?: { readonly reason: string };
  /** Production's VPC range overlaps staging's. */
  readonly allowOverlappingVpcCidrs?: { readonly reason: string };
  /** Production's ALB is internet-facing (`alb.internetFacing`) instead of a private VPC origin. */
  readonly allowPublicAlb?: { readonly reason: string };
}

/** GitHub Actions deploy roles (github-oidc module); created when settings.githubRepository is set. */
export interface CicdConfig {
  /**
   * Create the account's GitHub OIDC identity provider. IAM holds one per URL and account, so two
   * environments create it only when pinned to different accounts (settings.allowedAccountIds);
   * otherwise staging creates it and production references it. See `createsGithubOidcProvider`.
   */
  readonly createOidcProvider: boolean;
  /**
   * Provider ARN when `createOidcProvider` is false.
   * @default the provider of the stack's own account,
   * `arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`
   */
  readonly existingOidcProviderArn?: string;
  /** Branch trusted when no environment is set. */
  readonly branch: string;
  /** GitHub environment (with required reviewers) trusted instead of the branch. */
  readonly githubEnvironment?: string;
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  readonly network: NetworkConfig;
  readonly security: SecurityConfig;
  readonly ecr: EcrConfig;
  readonly api: ApiServiceConfig;
  readonly alb: AlbConfig;
  readonly gpu: GpuConfig;
  readonly database: DatabaseConfig;
  readonly cache: CacheConfig;
  readonly storage: StorageConfig;
  readonly edge: EdgeConfig;
  readonly monitoring: MonitoringConfig;
  readonly tracing: TracingConfig;
  readonly cicd: CicdConfig;
  readonly overrides: EnvironmentOverrides;
}
