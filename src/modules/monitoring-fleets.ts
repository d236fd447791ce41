import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { nvidiaGpuMetric } from '../lib/aws/cloudwatch-agent';

/**
 * The GPU fleets' part of the monitoring (split from monitoring.ts): metric math for GPU memory and
 * for capacity the group cannot reach, and the launch-failure events routed to the alarm topic.
 */

/**
 * GPU memory used as a percent of GPU memory, worst GPU of the group: the CloudWatch agent's
 * `memory_used` over `memory_total`, both aggregated per Auto Scaling group (the agent's
 * `aggregation_dimensions`). `utilization_memory` is memory-controller busy time, not fullness.
 */
export function gpuMemoryUsedPercent(
  namespace: string,
  autoScalingGroupName: string,
): CloudwatchMetricAlarmMetricQuery[] {
  const metric = (id: string, measurement: 'memory_used' | 'memory_total') => ({
    id,
    returnData: false,
    metric: {
      namespace,
      metricName: nvidiaGpuMetric(measurement),
      dimensions: { AutoScalingGroupName: autoScalingGroupName },
      period: 300,
      stat: 'Maximum',
    },
  });
  return [
    metric('used', 'memory_used'),
    metric('total', 'memory_total'),
    {
      id: 'percent',
      label: 'GPU memory used (%)',
      expression: 'IF(total > 0, 100 * used / total, 0)',
      returnData: true,
    },
  ];
}

/**
 * Instances the group wants but does not have in service, per minute (the group must collect
 * GroupDesiredCapacity and GroupInServiceInstances at 1-minute granularity).
 */
export function capacityShortfall(autoScalingGroupName: string): CloudwatchMetricAlarmMetricQuery[] {
  const metric = (id: string, metricName: string) => ({
    id,
    returnData: false,
    metric: {
      namespace: 'AWS/AutoScaling',
      metricName,
      dimensions: { AutoScalingGroupName: autoScalingGroupName },
      period: 60,
      stat: 'Average',
    },
  });
  return [
    metric('desired', 'GroupDesiredCapacity'),
    metric('in_service', 'GroupInServiceInstances'),
    {
      id: 'shortfall',
      label: 'Desired instances not in service',
      expression: 'desired - in_service',
      returnData: true,
    },
  ];
}

/** Auto Scaling's event when a launch fails (EventBridge events reference, aws.autoscaling). */
export const LAUNCH_UNSUCCESSFUL = 'EC2 Instance Launch Unsuccessful';

export interface LaunchFailureEventsProps {
  /** `<project>-<env>`; the rule is `<namePrefix>-gpu-launch-unsuccessful`. */
  readonly namePrefix: string;
  readonly autoScalingGroupNames: readonly string[];
  /** The alarm topic; its policy must let events.amazonaws.com publish, its key let EventBridge use it. */
  readonly topicArn: string;
}

/**
 * Sends every failed launch of the GPU groups (quota, capacity, AMI or volume problems) to the
 * alarm topic as it happens. Auto Scaling delivers these events to the default bus on a best-effort
 * basis; the capacity alarm catches what an event misses.
 */
export class LaunchFailureEvents extends Construct {
  public readonly rule: CloudwatchEventRule;
  public readonly target: CloudwatchEventTarget;
  public readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: LaunchFailureEventsProps) {
    super(scope, id);
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: `${props.namePrefix}-gpu-launch-unsuccessful`,
      description: `Failed instance launches of the ${props.namePrefix} GPU groups`,
      eventPattern: JSON.stringify({
        source: ['aws.autoscaling'],
        'detail-type': [LAUNCH_UNSUCCESSFUL],
        detail: { AutoScalingGroupName: [...props.autoScalingGroupNames] },
      }),
    });
    this.ruleArn = this.rule.arn;
    this.target = new CloudwatchEventTarget(this, 'alarm-topic', {
      rule: this.rule.name,
      arn: props.topicArn,
    });
  }
}
