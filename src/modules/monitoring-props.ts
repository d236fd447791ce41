/**
 * What the monitoring of one environment watches, and its alarm thresholds (split from
 * monitoring.ts, which re-exports them): the alarms and the dashboard both read these props.
 */

/** Thresholds of the alarms; the environment config holds one set per environment. */
export interface AlarmThresholds {
  /** ALB target 5xx responses as a percentage of requests. */
  readonly albTarget5xxPercent: number;
  /** p95 of the target response time, seconds. */
  readonly targetResponseP95Seconds: number;
  readonly ecsCpuPercent: number;
  readonly ecsMemoryPercent: number;
  readonly rdsCpuPercent: number;
  /** Alarm when free storage falls below this many GB. */
  readonly rdsFreeStorageGb: number;
  readonly rdsConnections: number;
  readonly redisCpuPercent: number;
  readonly redisMemoryPercent: number;
  /** Render jobs waiting in the queue. */
  readonly renderQueueDepth: number;
  readonly gpuMemoryPercent: number;
  /** Average GPU utilization of a fleet for 15 minutes: scaling is at its maximum or lagging. */
  readonly gpuUtilizationPercent: number;
  /** Root-disk use of the fullest GPU host of a fleet (image layers, scratch video). */
  readonly gpuDiskUsedPercent: number;
}

/**
 * A GPU Auto Scaling group watched for in-service count, capacity it cannot reach, failed launches
 * and GPU memory. The group must collect GroupDesiredCapacity and GroupInServiceInstances.
 */
export interface MonitoredGpuFleet {
  /** Short, stable name used in construct ids and alarm names (`model-server`). */
  readonly name: string;
  readonly autoScalingGroupName: string;
  /**
   * Alarm when fewer instances than this are in service; a literal 0 skips the alarm. A Terraform
   * number expression (0 while the fleet waits for its image) becomes the alarm's threshold.
   */
  readonly minInService: number;
}

export interface MonitoringProps {
  /** `<project>-<env>`, prefix of every alarm, topic and dashboard name. */
  readonly namePrefix: string;
  readonly region: string;
  /** Account id (a token is fine): the KMS key policy names the account root. */
  readonly accountId: string;
  readonly thresholds: AlarmThresholds;
  /** E-mail subscribed to the alarm topic; an empty string (or token resolving to one) subscribes nobody. @default no subscription */
  readonly alarmEmail?: string;
  /** ALB ARN suffix (`app/<name>/<id>`), the CloudWatch dimension. */
  readonly albArnSuffix: string;
  /** API target group ARN suffix (`targetgroup/<name>/<id>`). */
  readonly targetGroupArnSuffix: string;
  /**
   * The blue/green twin of the API target group: releases move the tasks between the two, so the
   * unhealthy-targets alarm watches both (the larger count).
   * @default the one group only
   */
  readonly greenTargetGroupArnSuffix?: string;
  readonly ecsClusterName: string;
  readonly ecsServiceName: string;
  readonly rdsInstanceId: string;
  /** Member cluster ids of the Redis replication group (`<group>-001`, ...). */
  readonly redisClusterIds: readonly string[];
  readonly gpuFleets: readonly MonitoredGpuFleet[];
  /** Render backlog, as the queue-depth publisher puts it. @default namespace ECG/RenderWorker, metric QueueDepth, no dimensions */
  readonly renderQueueMetric?: {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions?: Readonly<Record<string, string>>;
  };
  /**
   * Namespace of the CloudWatch agent's GPU metrics (`nvidia_smi_memory_used`, `nvidia_smi_memory_total`),
   * published per Auto Scaling group. @default CWAgent
   */
  readonly gpuAgentNamespace?: string;
  /** GPU utilization from the CloudWatch agent's nvidia_gpu plugin. @default namespace CWAgent, metric nvidia_smi_utilization_gpu */
  readonly gpuUtilizationMetric?: { readonly namespace: string; readonly metricName: string };
}

/** The CloudWatch agent's GPU utilization metric (aggregated per Auto Scaling group). */
export const GPU_UTILIZATION = { namespace: 'CWAgent', metricName: 'nvidia_smi_utilization_gpu' };

/**
 * Why an alarm threshold is unusable, or undefined: every threshold is positive, and one whose
 * name ends in `Percent` is a percentage (at most 100) an alarm could never cross above.
 */
export function alarmThresholdProblem(key: string, value: unknown): string | undefined {
  const percent = key.endsWith('Percent');
  if (typeof value === 'string') return 'is text: must be a number';
  if (typeof value !== 'number') return 'must be a number';
  if (value > 0 && (!percent || value <= 100)) return undefined;
  return percent ? 'is a percentage: must be more than 0 and at most 100' : 'must be a positive number';
}
