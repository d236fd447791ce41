import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Id as RandomId } from '@cdktf/provider-random/lib/id';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Fn, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig, GpuFleetConfig, ProjectSettings } from '../config';
import { elbAccessLogsStatement } from '../lib/elb-access-logs';
import { defaultTags } from '../lib/naming';
import { Peer } from '../lib/security-group';
import { Cloudfront } from '../modules/cloudfront';
import { GpuFleet, type GpuFleetProps } from '../modules/ec2-gpu';
import { lowestMinimum } from '../modules/ec2-gpu-scaling';
import { GithubOidc, githubOidcProviderArn } from '../modules/github-oidc';
import { EcrRepositories } from '../modules/ecr';
import { EcsApiService } from '../modules/ecs';
import { ElasticacheRedis } from '../modules/elasticache';
import { Monitoring } from '../modules/monitoring';
import { QueueDepthPublisher } from '../modules/queue-depth-publisher';
import { RdsPostgres } from '../modules/rds';
import { Storage } from '../modules/storage';
import { Vpc } from '../modules/vpc';
import { BucketReplication } from '../modules/bucket-replication';
import { RdsBackupReplication } from '../modules/rds-backup-replication';
import { RedeployOnSecretChange } from '../modules/redeploy-on-secret-change';
import { applyPolicyPack } from '../policies';
import { applyStackBaseline } from './baseline';
import { declarePlatformVariables, sizeOnceTagged, type PlatformVariables } from './variables';
import { domainCertificates, domainDns } from './domain';
import type { DomainDns } from '../modules/domain-dns';

export interface PlatformStackProps {
  readonly settings: ProjectSettings;
  readonly config: EnvironmentConfig;
}

/** Where a module's props come from in the environment config. */
export interface ModuleConfigSource {
  /** The config section most props mirror by name. */
  readonly config: string;
  /** Props whose config field has another name or section (paths from the environment's root). */
  readonly props?: Readonly<Record<string, string>>;
}

const fleetCounts = (fleet: string) => ({
  minSize: `gpu.${fleet}.count.min`,
  desiredCapacity: `gpu.${fleet}.count.desired`,
  maxSize: `gpu.${fleet}.count.max`,
});

/**
 * The config fields behind each module (by construct id), so a module's own validation names the
 * field a user edits (`staging.gpu.renderWorker.count.max`, not `staging/render-worker.maxSize`).
 */
export const MODULE_CONFIG_SOURCES: Readonly<Record<string, ModuleConfigSource>> = {
  network: { config: 'network' },
  storage: { config: 'storage' },
  ecr: { config: 'ecr' },
  database: { config: 'database', props: { port: 'security.ports.postgres' } },
  cache: { config: 'cache', props: { port: 'security.ports.redis' } },
  'model-server': { config: 'gpu.modelServer', props: fleetCounts('modelServer') },
  'render-worker': { config: 'gpu.renderWorker', props: fleetCounts('renderWorker') },
  api: {
    config: 'api',
    props: {
      desiredCount: 'api.count.desired',
      minCapacity: 'api.count.min',
      maxCapacity: 'api.count.max',
      certificateArn: 'alb.certificateArn',
      sslPolicy: 'alb.sslPolicy',
      targetHealthCheck: 'alb.healthCheck',
      deletionProtection: 'alb.deletionProtection',
      idleTimeoutSeconds: 'alb.idleTimeoutSeconds',
      internalAlb: 'alb.internetFacing',
    },
  },
  cdn: {
    config: 'edge',
    props: {
      originSecretHeader: 'alb.requireOriginHeader',
      vpcOriginAlbArn: 'alb.internetFacing',
      albDnsName: 'alb.originDomainName',
      albOriginHttps: 'alb.certificateArn',
    },
  },
  monitoring: { config: 'monitoring', props: { thresholds: 'monitoring' } },
  'github-oidc': { config: 'cicd' },
  'video-replication': { config: 'storage', props: { preventDestroy: 'storage.preventDestroy' } },
  'database-backup-replication': {
    config: 'database',
    props: {
      destinationRegion: 'database.backupReplicaRegion',
      retentionDays: 'database.backupReplicaRetentionDays',
    },
  },
  'api-redeploy': { config: 'api' },
  'queue-depth-publisher': {
    config: 'gpu.renderWorker.scaling',
    props: {
      prioritySteps: 'gpu.renderWorker.scaling.brokerTransportOptions.prioritySteps',
      sep: 'gpu.renderWorker.scaling.brokerTransportOptions.sep',
      globalKeyprefix: 'gpu.renderWorker.scaling.brokerTransportOptions.globalKeyprefix',
      unackedKey: 'gpu.renderWorker.scaling.brokerTransportOptions.unackedKey',
    },
  },
};

/** Key prefix of the internal model-server load balancer's access logs in the logs bucket. */
const MODEL_LB_LOG_PREFIX = 'model-lb';

/** Key of a platform stack's state object in the state bucket. */
export function stateKey(project: string, stackId: string): string {
  return `${project}/${stackId}/terraform.tfstate`;
}

/** The account id inside any ARN (its fifth field), so no API lookup is needed at plan time. */
function accountIdOf(arn: string): string {
  return Fn.element(Fn.split(':', arn), 4);
}

/**
 * One environment of the platform. It only composes: resource detail lives in `src/modules/`,
 * values come from the environment's config. Construct ids below become Terraform addresses:
 * never rename one (a renamed `database` is a destroyed database).
 */
export class PlatformStack extends TerraformStack {
  public readonly config: EnvironmentConfig;
  public readonly settings: ProjectSettings;
  /** 8 hex characters, stable per stack, appended to globally unique names (buckets). */
  public readonly suffix: string;
  public readonly variables: PlatformVariables;
  public readonly network: Vpc;
  public readonly storage: Storage;
  public readonly ecr: EcrRepositories;
  public readonly database: RdsPostgres;
  public readonly cache: ElasticacheRedis;
  public readonly modelServer: GpuFleet;
  public readonly renderWorker: GpuFleet;
  public readonly api: EcsApiService;
  public readonly cdn: Cloudfront;
  public readonly monitoring: Monitoring;
  /** Puts the render backlog to CloudWatch every minute; when the render fleet scales on it. */
  public readonly queueDepthPublisher?: QueueDepthPublisher;
  /** GitHub Actions deploy roles; only when settings.githubRepository is set. */
  public readonly githubOidc?: GithubOidc;
  /** Provider of the disaster-recovery region; when storage.replicaRegion or database.backupReplicaRegion is set. */
  public readonly drProvider?: AwsProvider;
  /** Cross-region copy of the video bucket; when storage.replicaRegion is set. */
  public readonly videoReplication?: BucketReplication;
  /** Automated backups copied to the second region; when database.backupReplicaRegion is set. */
  public readonly databaseBackupReplication?: RdsBackupReplication;
  /** Rolling restart of the API when a secret it reads at start changes. */
  public readonly apiRedeploy: RedeployOnSecretChange;
  /** Records and health check of `edge.domainName`; only with the domain settings. */
  public readonly domain?: DomainDns;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const { settings, config } = props;
    this.config = config;
    this.settings = settings;
    applyStackBaseline(this);
    const namePrefix = `${settings.project}-${config.name}`;
    const region = settings.region;
    const ports = config.security.ports;

    const backend = new S3Backend(this, {
      bucket: settings.stateBucket,
      key: stateKey(settings.project, id),
      region,
      dynamodbTable: settings.lockTable,
      encrypt: true,
    });
    if (settings.useLockfile) backend.addOverride('use_lockfile', true);

    const tags = defaultTags(settings.project, config.name);
    const accountIds = settings.allowedAccountIds[config.name];
    const allowedAccountIds = accountIds.length > 0 ? [...accountIds] : undefined;
    new AwsProvider(this, 'aws', { region, defaultTags: [{ tags }], allowedAccountIds });
    // CloudFront-scoped resources (the WAF web ACL) live in us-east-1.
    const usEast1 = new AwsProvider(this, 'aws-us-east-1', {
      alias: 'us_east_1',
      region: 'us-east-1',
      defaultTags: [{ tags }],
      allowedAccountIds,
    });
    // Disaster recovery copies (video replica, RDS backups) live in a second region.
    const drRegion = config.storage.replicaRegion || config.database.backupReplicaRegion;
    if (drRegion !== '') {
      this.drProvider = new AwsProvider(this, 'aws-dr', {
        alias: 'dr',
        region: drRegion,
        defaultTags: [{ tags }],
        allowedAccountIds,
      });
    }
    new RandomProvider(this, 'random');
    this.suffix = new RandomId(this, 'suffix', { byteLength: 4 }).hex;
    this.variables = declarePlatformVariables(this, {
      immutableTags: config.ecr.imageTagMutability === 'IMMUTABLE',
    });
    const vars = this.variables;

    this.network = new Vpc(this, 'network', { namePrefix, region, ...config.network });

    const cloudfrontCors = config.storage.corsAllowedOrigins.includes('cloudfront');
    this.storage = new Storage(this, 'storage', {
      namePrefix,
      suffix: this.suffix,
      ...config.storage,
      corsAllowedOrigins: config.storage.corsAllowedOrigins.filter((o) => o !== 'cloudfront'),
    });
    const videoBucketArn = this.storage.videoBucketArn;

    this.ecr = new EcrRepositories(this, 'ecr', { namePrefix, ...config.ecr });

    this.database = new RdsPostgres(this, 'database', {
      namePrefix,
      vpcId: this.network.vpcId,
      dbSubnetGroupName: this.network.dbSubnetGroupName,
      ...config.database,
      port: ports.postgres,
    });

    const dr = this.disasterRecovery(namePrefix, config);
    this.videoReplication = dr.videoReplication;
    this.databaseBackupReplication = dr.databaseBackupReplication;

    this.cache = new ElasticacheRedis(this, 'cache', {
      namePrefix,
      vpcId: this.network.vpcId,
      cacheSubnetGroupName: this.network.cacheSubnetGroupName,
      ...config.cache,
      port: ports.redis,
    });

    // The backlog metric carries the render group's name, so environments sharing an account never mix.
    const renderQueueDimensions = { AutoScalingGroupName: `${namePrefix}-render-worker` };
    const scalingOf = (cfg: GpuFleetConfig): GpuFleetProps['scaling'] => {
      const s = cfg.scaling;
      if (s.kind !== 'queue-depth') return s;
      return {
        kind: 'queue-depth',
        targetPerInstance: s.targetPerInstance,
        metricNamespace: s.metricNamespace,
        metricName: s.metricName,
        metricDimensions: renderQueueDimensions,
      };
    };
    const fleet = (name: string, cfg: GpuFleetConfig, imageTag: string): GpuFleetProps => ({
      namePrefix,
      name,
      vpcId: this.network.vpcId,
      subnetIds: this.network.gpuSubnetIds,
      instanceType: cfg.instanceType,
      port: cfg.port,
      // Held at zero instances while the tag is empty (no image pushed yet): nothing to pull.
      minSize: sizeOnceTagged(imageTag, cfg.count.min),
      plannedMinSize: cfg.count.min,
      desiredCapacity: sizeOnceTagged(imageTag, cfg.count.desired),
      maxSize: sizeOnceTagged(imageTag, cfg.count.max),
      spot: cfg.spot,
      fallbackInstanceTypes: cfg.fallbackInstanceTypes,
      onDemandBaseCapacity: cfg.onDemandBaseCapacity,
      schedules: cfg.schedules,
      scheduleTimeZone: cfg.scheduleTimeZone,
      drainTimeoutSeconds: cfg.drainTimeoutSeconds,
      rootVolumeGb: cfg.rootVolumeGb,
      detailedMonitoring: cfg.detailedMonitoring,
      amiSsmParameter: cfg.amiSsmParameter,
      imageUri: `${this.ecr.repository(name).repositoryUrl}:${imageTag}`,
      region,
      videoBucketArn,
      logRetentionDays: cfg.logRetentionDays,
      instanceTags: tags,
      scaling: scalingOf(cfg),
    });
    this.modelServer = new GpuFleet(this, 'model-server', {
      ...fleet('model-server', config.gpu.modelServer, vars.modelServerImageTag),
      loadBalancer: {
        healthCheckPath: config.alb.healthCheck.path,
        deletionProtection: config.alb.deletionProtection,
        accessLogs: config.alb.accessLogs
          ? { bucket: this.storage.logsBucket.policy.bucket, prefix: MODEL_LB_LOG_PREFIX }
          : undefined,
      },
      sshAllowedCidrs: vars.sshAllowedCidrs,
    });
    this.renderWorker = new GpuFleet(this, 'render-worker', {
      ...fleet('render-worker', config.gpu.renderWorker, vars.renderWorkerImageTag),
      environment: { S3_BUCKET_NAME: this.storage.videoBucketName },
      secrets: { REDIS_URL: { secretArn: this.cache.redisUrlSecretArn } },
    });
    const modelServerUrl = this.modelServer.url as string;

    const certificates = domainCertificates(this, { settings, config, namePrefix, usEast1 });
    const albCertificateArn = config.alb.certificateArn ?? certificates?.origin?.certificateArn;
    const apiRepository = this.ecr.repository('api').repositoryUrl;
    this.api = new EcsApiService(this, 'api', {
      namePrefix,
      region,
      vpcId: this.network.vpcId,
      privateSubnetIds: this.network.privateSubnetIds,
      publicSubnetIds: this.network.publicSubnetIds,
      internalAlb: !config.alb.internetFacing,
      image: Fn.coalesce([vars.apiImage, `${apiRepository}:${vars.apiImageTag}`]),
      cpu: config.api.cpu,
      memoryMiB: config.api.memoryMiB,
      containerName: config.api.containerName,
      containerPort: config.api.containerPort,
      healthCheck: config.api.healthCheck,
      logRetentionDays: config.api.logRetentionDays,
      videoBucketArn,
      environment: {
        AWS_DEFAULT_REGION: region,
        S3_BUCKET_NAME: this.storage.videoBucketName,
        MODEL_SERVER_URL: modelServerUrl,
        DATABASE_HOST: this.database.address,
        DATABASE_PORT: String(ports.postgres),
        DATABASE_NAME: this.database.databaseName,
        DATABASE_USER: this.database.masterUsername,
      },
      secrets: [
        { name: 'DATABASE_PASSWORD', secretArn: this.database.masterUserSecretArn, jsonKey: 'password' },
        { name: 'REDIS_URL', secretArn: this.cache.redisUrlSecretArn },
      ],
      desiredCount: config.api.count.desired,
      minCapacity: config.api.count.min,
      maxCapacity: config.api.count.max,
      cpuTargetPercent: config.api.cpuTargetPercent,
      memoryTargetPercent: config.api.memoryTargetPercent,
      deploymentMaximumPercent: config.api.deploymentMaximumPercent,
      deploymentMinimumHealthyPercent: config.api.deploymentMinimumHealthyPercent,
      healthCheckGracePeriodSeconds: config.api.healthCheckGracePeriodSeconds,
      enableExecuteCommand: config.api.enableExecuteCommand,
      ignoreTaskDefinitionChanges: config.api.ignoreTaskDefinitionChanges,
      fargateSpotWeight: config.api.fargateSpotWeight,
      certificateArn: albCertificateArn,
      sslPolicy: config.alb.sslPolicy,
      targetHealthCheck: config.alb.healthCheck,
      deletionProtection: config.alb.deletionProtection,
      idleTimeoutSeconds: config.alb.idleTimeoutSeconds,
      // The bucket's policy must exist before the ALB checks it can write there.
      accessLogsBucket: config.alb.accessLogs ? this.storage.logsBucket.policy.bucket : undefined,
    });
    if (config.alb.accessLogs) {
      const logs = this.storage.logsBucket;
      logs.addToResourcePolicy(this.api.accessLogsBucketStatement(this.storage.logsBucketArn));
      logs.addToResourcePolicy(
        elbAccessLogsStatement('ModelLbAccessLogs', region, this.storage.logsBucketArn, MODEL_LB_LOG_PREFIX),
      );
    }

    this.cdn = new Cloudfront(this, 'cdn', {
      namePrefix,
      frontendBucket: this.storage.frontendBucket,
      videoBucket: this.storage.videoBucket,
      logsBucket: this.storage.logsBucket,
      logPrefix: config.edge.logPrefix,
      // With HTTPS, CloudFront checks the ALB's certificate against this name.
      albDnsName: config.alb.originDomainName ?? this.api.albDnsName,
      vpcOriginAlbArn: config.alb.internetFacing ? undefined : this.api.albArn,
      albOriginHttps: !config.alb.internetFacing && albCertificateArn !== undefined,
      videoReplicaBucket: this.videoReplication?.replica,
      priceClass: config.edge.priceClass,
      defaultRootObject: config.edge.defaultRootObject,
      originSecretHeader: config.alb.requireOriginHeader,
      waf: config.edge.waf,
      wafRateLimitPer5Min: config.edge.wafRateLimitPer5Min,
      allowedCountries: config.edge.allowedCountries,
      wafUploadPaths: config.edge.wafUploadPaths,
      usEast1Provider: usEast1,
      aliases: certificates ? [certificates.name] : config.edge.aliases,
      acmCertificateArn: certificates?.viewer.certificateArn ?? config.edge.acmCertificateArn,
    });
    if (config.alb.requireOriginHeader && this.cdn.originSecretHeaderValue) {
      this.api.requireHeader(this.cdn.originSecretHeaderName, this.cdn.originSecretHeaderValue);
    }
    if (!config.alb.internetFacing) {
      // The VPC origin's network interfaces carry CloudFront's service-managed security group
      // (CloudFront-VPCOrigins-Service-SG), which CloudFront creates with the first VPC origin and
      // no resource attribute exposes; the origin-facing prefix list's id differs per region. Both
      // would need a data source at plan time, so the ALB admits the VPC's own range, on the one
      // port CloudFront uses. Nothing outside the VPC can reach an internal ALB at all.
      const originPort = albCertificateArn !== undefined ? ports.https : ports.http;
      this.api.allowToAlb(
        Peer.ipv4(this.network.vpcCidr, 'vpc'),
        originPort,
        'CloudFront VPC origin (its interfaces are in the VPC)',
      );
    }
    if (cloudfrontCors) this.storage.addCorsAllowedOrigin(this.cdn.url);

    this.wireSecurityGroups(config);

    this.apiRedeploy = new RedeployOnSecretChange(this, 'api-redeploy', {
      namePrefix,
      cluster: this.api.clusterArn,
      serviceName: this.api.serviceName,
      serviceArn: this.api.service.id,
      rotatedSecretArns: [this.database.masterUserSecretArn],
      updatedSecretArns: [this.cache.redisUrlSecretArn, this.api.secretKeySecretArn],
      logRetentionDays: config.api.logRetentionDays,
    });

    this.monitoring = new Monitoring(this, 'monitoring', {
      namePrefix,
      region,
      accountId: accountIdOf(this.api.clusterArn),
      thresholds: config.monitoring,
      alarmEmail: vars.alarmEmail,
      albArnSuffix: this.api.albArnSuffix,
      targetGroupArnSuffix: this.api.targetGroupArnSuffix,
      ecsClusterName: this.api.clusterName,
      ecsServiceName: this.api.serviceName,
      rdsInstanceId: this.database.instance.identifier,
      redisClusterIds: Array.from(
        { length: config.cache.nodeCount },
        (_, i) => `${this.cache.replicationGroup.id}-${String(i + 1).padStart(3, '0')}`,
      ),
      // The lowest minimum the fleet is planned to run at (the weekend's 1 for scheduled render workers).
      gpuFleets: [
        {
          name: 'model-server',
          autoScalingGroupName: this.modelServer.autoScalingGroupName,
          minInService: sizeOnceTagged(vars.modelServerImageTag, lowestPlanned(config.gpu.modelServer)),
        },
        {
          name: 'render-worker',
          autoScalingGroupName: this.renderWorker.autoScalingGroupName,
          minInService: sizeOnceTagged(vars.renderWorkerImageTag, lowestPlanned(config.gpu.renderWorker)),
        },
      ],
      renderQueueMetric:
        config.gpu.renderWorker.scaling.kind === 'queue-depth'
          ? {
              namespace: config.gpu.renderWorker.scaling.metricNamespace,
              metricName: config.gpu.renderWorker.scaling.metricName,
              dimensions: renderQueueDimensions,
            }
          : undefined,
    });

    if (certificates) {
      this.domain = domainDns(this, certificates, {
        config,
        namePrefix,
        distributionDomainName: this.cdn.domainName,
        usEast1,
        accountId: accountIdOf(this.api.clusterArn),
        alarmEmail: vars.alarmEmail,
      });
    }

    const renderScaling = config.gpu.renderWorker.scaling;
    if (renderScaling.kind === 'queue-depth') {
      this.queueDepthPublisher = new QueueDepthPublisher(this, 'queue-depth-publisher', {
        namePrefix,
        region,
        accountId: accountIdOf(this.api.clusterArn),
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnetIds,
        redisHost: this.cache.primaryEndpoint,
        redisPort: ports.redis,
        authTokenSecretArn: this.cache.authTokenSecretArn,
        queues: renderScaling.queues,
        ...renderScaling.brokerTransportOptions,
        metricNamespace: renderScaling.metricNamespace,
        metricName: renderScaling.metricName,
        metricDimensions: renderQueueDimensions,
        logRetentionDays: config.gpu.renderWorker.logRetentionDays,
        alarmTopicArn: this.monitoring.topicArn,
      });
      const publisher = Peer.securityGroup(this.queueDepthPublisher.securityGroupId, 'queue-depth');
      this.queueDepthPublisher.allowTo(
        Peer.securityGroup(this.cache.securityGroupId, 'cache'),
        ports.redis,
        'Redis',
      );
      this.cache.allowFrom(publisher, ports.redis, 'Redis (Celery backlog) from the queue-depth publisher');
    }

    if (settings.githubRepository !== '') {
      // IAM holds one GitHub provider per account: a stack that does not create it trusts the one
      // in its own account by ARN (no lookup, no dependency on the other stack's state).
      const accountId = accountIdOf(this.api.clusterArn);
      this.githubOidc = new GithubOidc(this, 'github-oidc', {
        namePrefix,
        repository: settings.githubRepository,
        createProvider: config.cicd.createOidcProvider,
        existingProviderArn: config.cicd.createOidcProvider
          ? undefined
          : (config.cicd.existingOidcProviderArn ?? githubOidcProviderArn(accountId, region)),
        branch: config.cicd.githubEnvironment ? undefined : config.cicd.branch,
        environment: config.cicd.githubEnvironment,
        ecrRepositoryArns: this.ecr.repositoryArns,
        ecsServiceArn: this.api.service.id,
        taskRoleArn: this.api.taskRoleArn,
        executionRoleArn: this.api.executionRoleArn,
        frontendBucketArn: this.storage.frontendBucketArn,
        distributionArn: this.cdn.distributionArn,
        accountId,
        region,
        stateBucket: settings.stateBucket,
        stateKeyPrefix: `${settings.project}/${id}/`,
        lockTable: settings.lockTable,
      });
    }

    this.outputs();
    applyPolicyPack(this, { environment: config.name });
  }

  /** The second-region copies of the disaster-recovery runbook (README, Disaster recovery). */
  private disasterRecovery(
    namePrefix: string,
    config: EnvironmentConfig,
  ): { videoReplication?: BucketReplication; databaseBackupReplication?: RdsBackupReplication } {
    const dr = this.drProvider;
    if (!dr) return {};
    const s = config.storage;
    const d = config.database;
    return {
      videoReplication: s.replicaRegion === '' ? undefined : this.videoReplica(namePrefix, s, dr),
      databaseBackupReplication:
        d.backupReplicaRegion === ''
          ? undefined
          : new RdsBackupReplication(this, 'database-backup-replication', {
              namePrefix,
              sourceDbInstanceArn: this.database.instance.arn,
              accountId: accountIdOf(this.database.instance.arn),
              destinationProvider: dr,
              destinationRegion: d.backupReplicaRegion,
              retentionDays: d.backupReplicaRetentionDays,
            }),
    };
  }

  private videoReplica(
    namePrefix: string,
    s: EnvironmentConfig['storage'],
    dr: AwsProvider,
  ): BucketReplication {
    return new BucketReplication(this, 'video-replication', {
      namePrefix,
      suffix: this.suffix,
      source: this.storage.videoBucket,
      replicaProvider: dr,
      replicaRegion: s.replicaRegion,
      replicationTimeControl: s.replicationTimeControl,
      preventDestroy: s.preventDestroy,
      accessLogsExpireDays: s.accessLogging ? s.logsExpireDays : undefined,
      // The source's archive tiers, so the copy costs no more than the original.
      lifecycleRules: [
        { id: 'expire-delete-markers', expiredObjectDeleteMarker: true },
        {
          id: 'archive-uploads',
          prefix: 'uploads/',
          transitionStorageClass: 'GLACIER',
          transitionDays: s.uploadsToGlacierDays,
        },
        {
          id: 'archive-rendered',
          prefix: 'rendered/',
          transitionStorageClass: 'GLACIER_IR',
          transitionDays: s.renderedToGlacierIrDays,
        },
        { id: 'expire-noncurrent-versions', noncurrentExpireDays: s.noncurrentExpireDays },
        { id: 'abort-incomplete-multipart-uploads', abortMultipartDays: s.abortMultipartDays },
      ],
    });
  }

  /** The security-group table of docs/design.md, expressed through the owners' allowFrom / allowTo. */
  private wireSecurityGroups(config: EnvironmentConfig): void {
    const ports = config.security.ports;
    const api = Peer.securityGroup(this.api.apiSecurityGroupId, 'api');
    const model = Peer.securityGroup(this.modelServer.securityGroupId, 'model');
    const render = Peer.securityGroup(this.renderWorker.securityGroupId, 'render');
    const db = Peer.securityGroup(this.database.securityGroupId, 'db');
    const cache = Peer.securityGroup(this.cache.securityGroupId, 'cache');
    const modelLb = Peer.securityGroup(this.modelServer.endpointSecurityGroupId, 'model-lb');

    this.api.allowFrom(model, ports.api, 'Callbacks from the model servers');
    this.api.allowTo(Peer.anyIpv4(), ports.https, 'HTTPS to AWS APIs, ECR and external services');
    this.api.allowTo(db, ports.postgres, 'PostgreSQL');
    this.api.allowTo(cache, ports.redis, 'Redis');
    this.api.allowTo(modelLb, ports.modelServer, 'Model server load balancer');
    this.api.allowTo(render, ports.renderWorker, 'Render workers');

    this.modelServer.allowClientsFrom(api, 'Inference requests from the API');
    this.renderWorker.allowFrom(api, ports.renderWorker, 'Render requests from the API');
    this.database.allowFrom(api, ports.postgres, 'PostgreSQL from the API');
    this.cache.allowFrom(api, ports.redis, 'Redis from the API');
    this.cache.allowFrom(render, ports.redis, 'Redis (Celery broker) from the render workers');
  }

  /** The outputs users script against (docs/design.md, Outputs). */
  private outputs(): void {
    const out = (name: string, value: string, description: string) =>
      new TerraformOutput(this, name, { value, description });
    out(
      'cloudfront_url',
      this.cdn.url,
      'HTTPS URL of the CloudFront distribution (frontend, /api/*, /videos/*)',
    );
    out(
      'cloudfront_distribution_id',
      this.cdn.distributionId,
      'CloudFront distribution id, for cache invalidations',
    );
    if (this.api.albInternal) {
      out(
        'alb_dns_name',
        this.api.albDnsName,
        'DNS name of the internal API load balancer (private addresses: reachable inside the VPC only)',
      );
      // With a domain, the API answers on it only: its certificate covers the name viewers send.
      const site = this.config.edge.domainName ? `https://${this.config.edge.domainName}` : this.cdn.url;
      out('api_url', `${site}/api`, 'URL of the API, through CloudFront (the load balancer is internal)');
    } else {
      out('alb_dns_name', this.api.albDnsName, 'DNS name of the API load balancer');
      out(
        'api_url',
        `http://${this.api.albDnsName}`,
        'Direct URL of the API load balancer (production answers only CloudFront)',
      );
    }
    out('s3_video_storage_bucket', this.storage.videoBucketName, 'Video storage bucket');
    out(
      's3_frontend_bucket_name',
      this.storage.frontendBucketName,
      'Frontend (Next.js static export) bucket',
    );
    out('s3_cloudfront_logs_bucket', this.storage.logsBucketName, 'CloudFront and access-log bucket');
    for (const [name, repository] of Object.entries(this.ecr.repositories)) {
      out(
        `ecr_${name.replace(/-/g, '_')}_repository_url`,
        repository.repositoryUrl,
        `ECR repository URL of ${name}`,
      );
    }
    out('ecs_cluster_name', this.api.clusterName, 'ECS cluster name');
    out('ecs_service_name', this.api.serviceName, 'ECS service name of the API');
    out(
      'model_server_url',
      this.modelServer.url as string,
      "Internal URL of the model servers (the API's MODEL_SERVER_URL)",
    );
    out('rds_endpoint', this.database.endpoint, 'PostgreSQL endpoint (host:port)');
    out(
      'rds_master_secret_arn',
      this.database.masterUserSecretArn,
      'Secrets Manager secret holding the RDS-managed master password',
    );
    out('redis_endpoint', this.cache.primaryEndpoint, 'Redis primary endpoint');
    out(
      'api_redeploy_state_machine_arn',
      this.apiRedeploy.stateMachineArn,
      'State machine that restarts the API tasks after a secret change (start it by hand after a manual change)',
    );
    if (this.videoReplication) {
      out(
        's3_video_replica_bucket',
        this.videoReplication.replicaBucketName,
        'Cross-region replica of the video bucket',
      );
    }
    if (this.databaseBackupReplication) {
      out(
        'rds_backup_replica_kms_key_arn',
        this.databaseBackupReplication.keyArn,
        'KMS key of the RDS automated backups replicated to the second region',
      );
    }
    out('vpc_id', this.network.vpcId, 'VPC id');
    out('alarm_topic_arn', this.monitoring.topicArn, 'SNS topic of the alarms');
    if (this.githubOidc) {
      out(
        'github_app_deploy_role_arn',
        this.githubOidc.appDeployRoleArn,
        'Role GitHub Actions assumes to push images and roll the service',
      );
      out(
        'github_infra_deploy_role_arn',
        this.githubOidc.infraDeployRoleArn,
        'Role GitHub Actions assumes to deploy this stack',
      );
    }
  }
}

/** The lowest minimum a fleet runs at once its image exists: its schedules' lowest, else count.min. */
function lowestPlanned(cfg: GpuFleetConfig): number {
  return lowestMinimum(cfg.count.min, cfg.schedules);
}
