/**
 * The overview dashboard of one environment (split from monitoring.ts): the widgets of its body,
 * one row per part of the system. The Monitoring construct owns the dashboard resource.
 */
import { CLOUDWATCH_AGENT_NAMESPACE, nvidiaGpuMetric } from '../lib/aws/cloudwatch-agent';
import { GPU_UTILIZATION, type MonitoringProps } from './monitoring-props';

/** A metric as dashboard widgets reference it: namespace, name, then dimension name/value pairs. */
export type WidgetMetric = readonly string[];

export interface GraphWidgetOptions {
  readonly title: string;
  readonly metrics: readonly WidgetMetric[];
  readonly stat?: string;
  readonly width?: number;
  readonly height?: number;
}

/** A time-series widget of the CloudWatch dashboard body. */
export function graphWidget(region: string, options: GraphWidgetOptions): Record<string, unknown> {
  return {
    type: 'metric',
    width: options.width ?? 12,
    height: options.height ?? 6,
    properties: {
      title: options.title,
      region,
      view: 'timeSeries',
      stacked: false,
      stat: options.stat ?? 'Average',
      period: 300,
      metrics: options.metrics.map((m) => [...m]),
    },
  };
}

/** A markdown header widget. */
export function textWidget(markdown: string, width = 24): Record<string, unknown> {
  return { type: 'text', width, height: 1, properties: { markdown } };
}

/** What the queue-depth publisher puts next to the backlog metric (src/functions/queue-depth). */
const RENDER_QUEUE_PARTS = ['JobsQueued', 'JobsInProgress'];

/** The widgets of the overview dashboard, in the order they appear. */
export function overviewWidgets(p: MonitoringProps): Record<string, unknown>[] {
  const r = p.region;
  const queue = p.renderQueueMetric ?? { namespace: 'ECG/RenderWorker', metricName: 'QueueDepth' };
  const gpuNamespace = p.gpuAgentNamespace ?? CLOUDWATCH_AGENT_NAMESPACE;
  return [
    textWidget(`# ${p.namePrefix}: system overview`),
    graphWidget(r, {
      title: 'ALB requests and 5xx',
      stat: 'Sum',
      metrics: [
        ['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', p.albArnSuffix],
        ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'LoadBalancer', p.albArnSuffix],
      ],
    }),
    graphWidget(r, {
      title: 'API response time p95',
      stat: 'p95',
      metrics: [['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', p.albArnSuffix]],
    }),
    graphWidget(r, {
      title: 'RDS CPU and connections',
      metrics: [
        ['AWS/RDS', 'CPUUtilization', 'DBInstanceIdentifier', p.rdsInstanceId],
        ['AWS/RDS', 'DatabaseConnections', 'DBInstanceIdentifier', p.rdsInstanceId],
      ],
    }),
    graphWidget(r, {
      title: 'Redis CPU and memory',
      metrics: p.redisClusterIds.flatMap((id) => [
        ['AWS/ElastiCache', 'EngineCPUUtilization', 'CacheClusterId', id],
        ['AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', 'CacheClusterId', id],
      ]),
    }),
    textWidget('# GPU'),
    graphWidget(r, {
      title: 'GPU memory used and total (MB, worst GPU)',
      stat: 'Maximum',
      metrics: p.gpuFleets.flatMap((f) =>
        (['memory_used', 'memory_total'] as const).map((m) => [
          gpuNamespace,
          nvidiaGpuMetric(m),
          'AutoScalingGroupName',
          f.autoScalingGroupName,
        ]),
      ),
    }),
    graphWidget(r, {
      title: 'GPU utilization',
      metrics: p.gpuFleets.map((f) => [
        (p.gpuUtilizationMetric ?? GPU_UTILIZATION).namespace,
        (p.gpuUtilizationMetric ?? GPU_UTILIZATION).metricName,
        'AutoScalingGroupName',
        f.autoScalingGroupName,
      ]),
    }),
    graphWidget(r, {
      title: 'GPU instances in service and desired',
      stat: 'Minimum',
      metrics: p.gpuFleets.flatMap((f) =>
        ['GroupInServiceInstances', 'GroupDesiredCapacity'].map((metric) => [
          'AWS/AutoScaling',
          metric,
          'AutoScalingGroupName',
          f.autoScalingGroupName,
        ]),
      ),
    }),
    graphWidget(r, {
      title: 'Render queue depth',
      stat: 'Maximum',
      metrics: [queue.metricName, ...RENDER_QUEUE_PARTS].map((name) => [
        queue.namespace,
        name,
        ...Object.entries(queue.dimensions ?? {}).flat(),
      ]),
    }),
    textWidget('# Application'),
    graphWidget(r, {
      title: 'API CPU and memory',
      metrics: [
        ['AWS/ECS', 'CPUUtilization', 'ClusterName', p.ecsClusterName, 'ServiceName', p.ecsServiceName],
        ['AWS/ECS', 'MemoryUtilization', 'ClusterName', p.ecsClusterName, 'ServiceName', p.ecsServiceName],
      ],
    }),
    graphWidget(r, {
      title: 'API healthy and unhealthy targets',
      stat: 'Maximum',
      metrics: [
        [
          'AWS/ApplicationELB',
          'HealthyHostCount',
          'TargetGroup',
          p.targetGroupArnSuffix,
          'LoadBalancer',
          p.albArnSuffix,
        ],
        [
          'AWS/ApplicationELB',
          'UnHealthyHostCount',
          'TargetGroup',
          p.targetGroupArnSuffix,
          'LoadBalancer',
          p.albArnSuffix,
        ],
      ],
    }),
  ];
}
