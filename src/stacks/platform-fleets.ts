/**
 * The GPU fleets of one environment (split from platform-stack.ts): their props from the config,
 * and what monitoring watches of them. The fleets are created in the stack's own scope, so their
 * addresses (`model-server`, `render-worker`) never change.
 */
import type { Construct } from 'constructs';
import type { EnvironmentConfig, GpuFleetConfig } from '../config';
import { GpuFleet, type GpuFleetProps } from '../modules/ec2-gpu';
import { lowestMinimum } from '../modules/ec2-gpu-scaling';
import type { EcrRepositories } from '../modules/ecr';
import type { ElasticacheRedis } from '../modules/elasticache';
import type { MonitoredGpuFleet, MonitoringProps } from '../modules/monitoring';
import type { Storage } from '../modules/storage';
import type { Vpc } from '../modules/vpc';
import { DOCKER_HOST_ALIAS } from '../modules/ec2-gpu-user-data';
import { otelEnvironment } from '../lib/tracing';
import { sizeOnceTagged, type PlatformVariables } from './variables';

/** Key prefix of the internal model-server load balancer's access logs in the logs bucket. */
export const MODEL_LB_LOG_PREFIX = 'model-lb';

/** What the fleets run in, pull and reach. */
export interface GpuFleetWiring {
  readonly namePrefix: string;
  readonly region: string;
  readonly config: EnvironmentConfig;
  readonly variables: PlatformVariables;
  /** Tags of the instances and volumes, which the provider's default tags do not reach. */
  readonly tags: Readonly<Record<string, string>>;
  readonly network: Vpc;
  readonly storage: Storage;
  readonly ecr: EcrRepositories;
  readonly cache: ElasticacheRedis;
}

export interface GpuFleets {
  readonly modelServer: GpuFleet;
  readonly renderWorker: GpuFleet;
}

/** The backlog metric carries the render group's name, so environments sharing an account never mix. */
export function renderQueueDimensions(namePrefix: string): Record<string, string> {
  return { AutoScalingGroupName: `${namePrefix}-render-worker` };
}

/** The model servers behind their internal load balancer, and the render workers. */
export function addGpuFleets(scope: Construct, w: GpuFleetWiring): GpuFleets {
  const { config, variables: vars, storage } = w;
  const modelServer = new GpuFleet(scope, 'model-server', {
    ...fleetProps(w, 'model-server', config.gpu.modelServer, vars.modelServerImageTag),
    loadBalancer: {
      healthCheckPath: config.alb.healthCheck.path,
      deletionProtection: config.alb.deletionProtection,
      accessLogs: config.alb.accessLogs
        ? { bucket: storage.logsBucket.policy.bucket, prefix: MODEL_LB_LOG_PREFIX }
        : undefined,
    },
    sshAllowedCidrs: vars.sshAllowedCidrs,
  });
  const renderProps = fleetProps(w, 'render-worker', config.gpu.renderWorker, vars.renderWorkerImageTag);
  const renderWorker = new GpuFleet(scope, 'render-worker', {
    ...renderProps,
    environment: { ...renderProps.environment, S3_BUCKET_NAME: storage.videoBucketName },
    secrets: { REDIS_URL: { secretArn: w.cache.redisUrlSecretArn } },
  });
  return { modelServer, renderWorker };
}

function fleetProps(w: GpuFleetWiring, name: string, cfg: GpuFleetConfig, imageTag: string): GpuFleetProps {
  return {
    namePrefix: w.namePrefix,
    name,
    vpcId: w.network.vpcId,
    subnetIds: w.network.gpuSubnetIds,
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
    imageUri: `${w.ecr.repository(name).repositoryUrl}:${imageTag}`,
    region: w.region,
    videoBucketArn: w.storage.videoBucketArn,
    logRetentionDays: cfg.logRetentionDays,
    // Traces go to the host's CloudWatch agent, which the container reaches by the host alias.
    environment: otelEnvironment({
      serviceName: `${w.namePrefix}-${name}`,
      deploymentEnvironment: w.config.name,
      collectorHost: DOCKER_HOST_ALIAS,
    }),
    instanceTags: w.tags,
    scaling: scalingOf(cfg, w.namePrefix),
  };
}

function scalingOf(cfg: GpuFleetConfig, namePrefix: string): GpuFleetProps['scaling'] {
  const s = cfg.scaling;
  if (s.kind !== 'queue-depth') return s;
  return {
    kind: 'queue-depth',
    targetPerInstance: s.targetPerInstance,
    metricNamespace: s.metricNamespace,
    metricName: s.metricName,
    metricDimensions: renderQueueDimensions(namePrefix),
  };
}

/** The fleets as monitoring watches them, and the render backlog when the render fleet scales on it. */
export function fleetMonitoring(
  fleets: GpuFleets,
  w: Pick<GpuFleetWiring, 'namePrefix' | 'config' | 'variables'>,
): Pick<MonitoringProps, 'gpuFleets' | 'renderQueueMetric'> {
  const { config, variables: vars } = w;
  const renderScaling = config.gpu.renderWorker.scaling;
  // The lowest minimum the fleet is planned to run at (the weekend's 1 for scheduled render workers).
  const gpuFleets: MonitoredGpuFleet[] = [
    {
      name: 'model-server',
      autoScalingGroupName: fleets.modelServer.autoScalingGroupName,
      minInService: sizeOnceTagged(vars.modelServerImageTag, lowestPlanned(config.gpu.modelServer)),
    },
    {
      name: 'render-worker',
      autoScalingGroupName: fleets.renderWorker.autoScalingGroupName,
      minInService: sizeOnceTagged(vars.renderWorkerImageTag, lowestPlanned(config.gpu.renderWorker)),
    },
  ];
  return {
    gpuFleets,
    renderQueueMetric:
      renderScaling.kind === 'queue-depth'
        ? {
            namespace: renderScaling.metricNamespace,
            metricName: renderScaling.metricName,
            dimensions: renderQueueDimensions(w.namePrefix),
          }
        : undefined,
  };
}

/** The lowest minimum a fleet runs at once its image exists: its schedules' lowest, else count.min. */
function lowestPlanned(cfg: GpuFleetConfig): number {
  return lowestMinimum(cfg.count.min, cfg.schedules);
}
