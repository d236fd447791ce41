/**
 * The target tracking policy a GPU fleet scales by (split from ec2-gpu.ts), and the wake-up alarm
 * of a queue-driven group that may shrink to zero. Every resource is created in the fleet's own
 * scope, so the Terraform addresses are those the fleet always had.
 */
import type { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { Lb } from '@cdktf/provider-aws/lib/lb';
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import type { Construct } from 'constructs';
import type { GpuFleetScaling } from './ec2-gpu-props';
import { addGpuUtilizationScaling } from './ec2-gpu-scaling';

/** The fleet's load balancer and target group (request-count scaling needs them). */
export interface FleetLoadBalancer {
  readonly loadBalancer?: Lb;
  readonly targetGroup?: LbTargetGroup;
}

/** The fleet's scaling policy (construct id `scaling`), by the kind of `s`. */
export function addTargetTracking(
  scope: Construct,
  group: AutoscalingGroup,
  fullName: string,
  s: GpuFleetScaling,
  lb: FleetLoadBalancer,
): AutoscalingPolicy {
  const common = {
    autoscalingGroupName: group.name,
    policyType: 'TargetTrackingScaling',
  };
  if (s.kind === 'cpu') {
    return new AutoscalingPolicy(scope, 'scaling', {
      ...common,
      name: `${fullName}-cpu`,
      targetTrackingConfiguration: {
        targetValue: s.targetPercent,
        predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
      },
    });
  }
  if (s.kind === 'gpu-utilization') return addGpuUtilizationScaling(scope, group, fullName, s);
  if (s.kind === 'request-count') {
    const alb = lb.loadBalancer as Lb;
    const tg = lb.targetGroup as LbTargetGroup;
    return new AutoscalingPolicy(scope, 'scaling', {
      ...common,
      name: `${fullName}-requests`,
      targetTrackingConfiguration: {
        targetValue: s.targetPerInstance,
        predefinedMetricSpecification: {
          predefinedMetricType: 'ALBRequestCountPerTarget',
          resourceLabel: `${alb.arnSuffix}/${tg.arnSuffix}`,
        },
      },
    });
  }
  return new AutoscalingPolicy(scope, 'scaling', {
    ...common,
    name: `${fullName}-queue-depth`,
    targetTrackingConfiguration: {
      targetValue: s.targetPerInstance,
      customizedMetricSpecification: {
        metrics: [
          {
            id: 'backlog',
            label: 'Jobs waiting or running',
            returnData: false,
            metricStat: {
              stat: 'Average',
              metric: {
                namespace: s.metricNamespace,
                metricName: s.metricName,
                dimensions: dimensionList(s.metricDimensions),
              },
            },
          },
          {
            id: 'instances',
            label: 'In-service instances',
            returnData: false,
            metricStat: {
              stat: 'Average',
              metric: {
                namespace: 'AWS/AutoScaling',
                metricName: 'GroupInServiceInstances',
                dimensions: [{ name: 'AutoScalingGroupName', value: group.name }],
              },
            },
          },
          {
            id: 'per_instance',
            label: 'Jobs per in-service instance',
            // While no instance is in service the whole backlog counts as one instance's share.
            expression: 'IF(instances > 0, backlog / instances, backlog)',
            returnData: true,
          },
        ],
      },
    },
  });
}

/**
 * Starts one instance when jobs wait and the group is empty: a per-instance target cannot scale
 * out from zero (construct ids `wake-from-zero`, `wake-from-zero-alarm`).
 */
export function addWakeFromZero(
  scope: Construct,
  group: AutoscalingGroup,
  s: Extract<GpuFleetScaling, { kind: 'queue-depth' }>,
  fullName: string,
): { alarm: CloudwatchMetricAlarm; policy: AutoscalingPolicy } {
  const policy = new AutoscalingPolicy(scope, 'wake-from-zero', {
    name: `${fullName}-wake-from-zero`,
    autoscalingGroupName: group.name,
    policyType: 'StepScaling',
    adjustmentType: 'ExactCapacity',
    stepAdjustment: [{ scalingAdjustment: 1, metricIntervalLowerBound: '0' }],
  });
  const dimensions =
    s.metricDimensions && Object.keys(s.metricDimensions).length > 0 ? s.metricDimensions : undefined;
  const alarm = new CloudwatchMetricAlarm(scope, 'wake-from-zero-alarm', {
    alarmName: `${fullName}-wake-from-zero`,
    alarmDescription: `Jobs wait and ${fullName} has no instance: start one`,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 0,
    evaluationPeriods: 1,
    // Only when GroupDesiredCapacity is missing too: never act without knowing the group is empty.
    treatMissingData: 'notBreaching',
    metricQuery: [
      {
        id: 'backlog',
        returnData: false,
        metric: {
          namespace: s.metricNamespace,
          metricName: s.metricName,
          dimensions,
          period: 60,
          stat: 'Maximum',
        },
      },
      {
        id: 'desired',
        returnData: false,
        metric: {
          namespace: 'AWS/AutoScaling',
          metricName: 'GroupDesiredCapacity',
          dimensions: { AutoScalingGroupName: group.name },
          period: 60,
          stat: 'Maximum',
        },
      },
      {
        id: 'waiting',
        label: 'Jobs waiting with no capacity',
        // The publisher puts a value every minute, 0 included: a minute without one counts as a
        // waiting job, so a broken publisher cannot leave jobs stranded (missing = breaching).
        expression: 'IF(desired == 0, FILL(backlog, 1), 0)',
        returnData: true,
      },
    ],
    alarmActions: [policy.arn],
  });
  return { alarm, policy };
}

function dimensionList(
  dimensions?: Readonly<Record<string, string>>,
): { name: string; value: string }[] | undefined {
  const list = Object.entries(dimensions ?? {}).map(([name, value]) => ({ name, value }));
  return list.length > 0 ? list : undefined;
}
