import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Id as RandomId } from '@cdktf/provider-random/lib/id';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Fn, S3Backend } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig, ProjectSettings } from '../config';
import { elbAccessLogsStatement } from '../lib/elb-access-logs';
import { defaultTags } from '../lib/naming';
import { Peer } from '../lib/security-group';
import type { BucketReplication } from '../modules/bucket-replication';
import type { Cloudfront } from '../modules/cloudfront';
import type { GpuFleet } from '../modules/ec2-gpu';
import { GithubOidc, githubOidcProviderArn } from '../modules/github-oidc';
import { EcrRepositories } from '../modules/ecr';
import { EcsApiService } from '../modules/ecs';
import { ElasticacheRedis } from '../modules/elasticache';
import { Monitoring } from '../modules/monitoring';
import { QueueDepthPublisher } from '../modules/queue-depth-publisher';
import { RdsPostgres } from '../modules/rds';
import type { RdsBackupReplication } from '../modules/rds-backup-replication';
import type { RedeployOnSecretChange } from '../modules/redeploy-on-secret-change';
import type { ApiRelease } from '../modules/api-release';
import { Storage } from '../modules/storage';
import { Vpc } from '../modules/vpc';
import { XraySampling } from '../modules/xray-sampling';
import { applyPolicyPack } from '../policies';
import { accountIdOf } from './arn';
import { applyStackBaseline } from './baseline';
import { StandaloneStack } from './standalone-stack';
import { addDisasterRecovery } from './platform-dr';
import { addEdge } from './platform-edge';
import { addApiRelease } from './platform-release';
import { addGpuFleets, fleetMonitoring, MODEL_LB_LOG_PREFIX, renderQueueDimensions } from './platform-fleets';
import { declareOutputs } from './platform-outputs';
import { wireSecurityGroups } from './platform-security-groups';
import { declarePlatformVariables, type PlatformVariables } from './variables';
import { domainCertificates, domainDns } from './domain';
import type { DomainDns } from '../modules/domain-dns';

export { MODULE_CONFIG_SOURCES, type ModuleConfigSource } from './platform-config-sources';

export interface PlatformStackProps {
  readonly settings: ProjectSettings;
  readonly config: EnvironmentConfig;
}

/** Key of a platform stack's state object in the state bucket. */
export function stateKey(project: string, stackId: string): string {
  return `${project}/${stackId}/terraform.tfstate`;
}

/**
 * One environment of the platform. It only composes: resource detail lives in `src/modules/`,
 * values come from the environment's config. Construct ids below become Terraform addresses:
 * never rename one (a renamed `database` is a destroyed database).
 */
export class PlatformStack extends StandaloneStack {
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
  /** Blue/green releases of the API (CodeDeploy). */
  public readonly apiRelease: ApiRelease;
  /** A CodeDeploy release of the running revision when a secret the API reads at start changes. */
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

    const dr = addDisasterRecovery(this, {
      namePrefix,
      config,
      drProvider: this.drProvider,
      suffix: this.suffix,
      storage: this.storage,
      database: this.database,
    });
    this.videoReplication = dr.videoReplication;
    this.databaseBackupReplication = dr.databaseBackupReplication;

    this.cache = new ElasticacheRedis(this, 'cache', {
      namePrefix,
      vpcId: this.network.vpcId,
      cacheSubnetGroupName: this.network.cacheSubnetGroupName,
      ...config.cache,
      port: ports.redis,
    });

    const fleets = addGpuFleets(this, {
      namePrefix,
      region,
      config,
      variables: vars,
      tags,
      network: this.network,
      storage: this.storage,
      ecr: this.ecr,
      cache: this.cache,
    });
    this.modelServer = fleets.modelServer;
    this.renderWorker = fleets.renderWorker;
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
      tracing: { serviceName: `${namePrefix}-api`, deploymentEnvironment: config.name },
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

    this.cdn = addEdge(this, {
      namePrefix,
      config,
      network: this.network,
      storage: this.storage,
      api: this.api,
      usEast1,
      certificates,
      albCertificateArn,
      videoReplicaBucket: this.videoReplication?.replica,
    });

    wireSecurityGroups(this, ports);

    new XraySampling(this, 'xray-sampling', {
      namePrefix,
      ...config.tracing,
      healthCheckPath: config.alb.healthCheck.path,
    });

    this.monitoring = new Monitoring(this, 'monitoring', {
      namePrefix,
      region,
      accountId: accountIdOf(this.api.clusterArn),
      thresholds: config.monitoring,
      alarmEmail: vars.alarmEmail,
      albArnSuffix: this.api.albArnSuffix,
      targetGroupArnSuffix: this.api.targetGroupArnSuffix,
      greenTargetGroupArnSuffix: this.api.greenTargetGroup.arnSuffix,
      ecsClusterName: this.api.clusterName,
      ecsServiceName: this.api.serviceName,
      rdsInstanceId: this.database.instance.identifier,
      redisClusterIds: Array.from(
        { length: config.cache.nodeCount },
        (_, i) => `${this.cache.replicationGroup.id}-${String(i + 1).padStart(3, '0')}`,
      ),
      ...fleetMonitoring(fleets, { namePrefix, config, variables: vars }),
    });

    const release = addApiRelease(this, {
      namePrefix,
      region,
      config,
      network: this.network,
      api: this.api,
      monitoring: this.monitoring,
      database: this.database,
      cache: this.cache,
    });
    this.apiRelease = release.release;
    this.apiRedeploy = release.redeploy;

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
        metricDimensions: renderQueueDimensions(namePrefix),
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
        // The service's deployment controller is CODE_DEPLOY: releases go through CodeDeploy.
        codeDeployApplicationArn: this.apiRelease.applicationArn,
        codeDeployDeploymentGroupArn: this.apiRelease.deploymentGroupArn,
        codeDeployDeploymentConfigArn: this.apiRelease.deploymentConfigArn,
        frontendBucketArn: this.storage.frontendBucketArn,
        distributionArn: this.cdn.distributionArn,
        accountId,
        region,
        stateBucket: settings.stateBucket,
        stateKeyPrefix: `${settings.project}/${id}/`,
        lockTable: settings.lockTable,
      });
    }

    declareOutputs(this, this);
    applyPolicyPack(this, { environment: config.name });
  }
}
