import { GpuFleet, type GpuFleetProps } from '../src/modules/ec2-gpu';
import { type Json, onlyResource, resourcesOf, synthScope } from './support/synth';
import { SMALL_FLEET } from './variants/ec2-gpu';

/**
 * The target tracking policies of a GPU fleet and the wake-up of a queue-driven group
 * (src/modules/ec2-gpu-target-tracking.ts), read whole: every field is one the Auto Scaling and
 * CloudWatch APIs act on (PutScalingPolicy's TargetTrackingConfiguration, PutMetricAlarm's
 * Metrics), written out here rather than derived from the module.
 */
const BASE: GpuFleetProps = { ...SMALL_FLEET, minSize: 0, maxSize: 4 };

const QUEUE = {
  kind: 'queue-depth',
  targetPerInstance: 10,
  metricNamespace: 'ECG/Render',
  metricName: 'Backlog',
} as const;

function build(props: Partial<GpuFleetProps>): { json: Json; fleet: GpuFleet } {
  let fleet: GpuFleet | undefined;
  const json = synthScope((scope) => {
    fleet = new GpuFleet(scope, 'fleet', { ...BASE, ...props });
  });
  return { json, fleet: fleet as GpuFleet };
}

/** `${aws_autoscaling_group.<the one group>.name}` */
function groupName(json: Json): string {
  return `\${aws_autoscaling_group.${Object.keys(resourcesOf(json, 'aws_autoscaling_group'))[0]}.name}`;
}

function policyNamed(json: Json, name: string): Json {
  const found = Object.values(resourcesOf(json, 'aws_autoscaling_policy')).filter((p) => p.name === name);
  if (found.length !== 1) throw new Error(`expected one policy ${name}, found ${found.length}`);
  return found[0];
}

describe('GPU fleet target tracking', () => {
  it('tracks the group’s average CPU at 60 % when no scaling is given (the default)', () => {
    const { json } = build({});
    expect(Object.keys(resourcesOf(json, 'aws_autoscaling_policy'))).toHaveLength(1);
    expect(onlyResource(json, 'aws_autoscaling_policy')).toEqual({
      name: 'p-e-gpu-cpu',
      autoscaling_group_name: groupName(json),
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: {
        target_value: 60,
        predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' },
      },
    });
  });

  it('tracks jobs per in-service instance with metric math, only the quotient returned', () => {
    const { json } = build({ minSize: 1, scaling: QUEUE });
    const group = groupName(json);
    expect(policyNamed(json, 'p-e-gpu-queue-depth')).toEqual({
      name: 'p-e-gpu-queue-depth',
      autoscaling_group_name: group,
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: {
        target_value: 10,
        customized_metric_specification: {
          metrics: [
            {
              id: 'backlog',
              label: 'Jobs waiting or running',
              return_data: false,
              metric_stat: {
                stat: 'Average',
                metric: { namespace: 'ECG/Render', metric_name: 'Backlog' },
              },
            },
            {
              id: 'instances',
              label: 'In-service instances',
              return_data: false,
              metric_stat: {
                stat: 'Average',
                metric: {
                  namespace: 'AWS/AutoScaling',
                  metric_name: 'GroupInServiceInstances',
                  dimensions: [{ name: 'AutoScalingGroupName', value: group }],
                },
              },
            },
            {
              id: 'per_instance',
              label: 'Jobs per in-service instance',
              expression: 'IF(instances > 0, backlog / instances, backlog)',
              return_data: true,
            },
          ],
        },
      },
    });
  });

  it('reads the backlog with the dimensions it is published with, none when the map is empty', () => {
    const backlog = (json: Json) =>
      policyNamed(json, 'p-e-gpu-queue-depth').target_tracking_configuration.customized_metric_specification
        .metrics[0].metric_stat.metric;
    const { json } = build({ scaling: { ...QUEUE, metricDimensions: { Queue: 'render', Stage: 'prod' } } });
    expect(backlog(json)).toEqual({
      namespace: 'ECG/Render',
      metric_name: 'Backlog',
      dimensions: [
        { name: 'Queue', value: 'render' },
        { name: 'Stage', value: 'prod' },
      ],
    });
    expect(backlog(build({ scaling: { ...QUEUE, metricDimensions: {} } }).json)).toEqual({
      namespace: 'ECG/Render',
      metric_name: 'Backlog',
    });
  });

  it('starts one instance when jobs wait and the group is empty, missing data not breaching', () => {
    const { json, fleet } = build({ scaling: { ...QUEUE, metricDimensions: { Queue: 'render' } } });
    const group = groupName(json);
    const policyKey = Object.keys(resourcesOf(json, 'aws_autoscaling_policy')).find(
      (k) => resourcesOf(json, 'aws_autoscaling_policy')[k].name === 'p-e-gpu-wake-from-zero',
    );
    expect(policyNamed(json, 'p-e-gpu-wake-from-zero')).toEqual({
      name: 'p-e-gpu-wake-from-zero',
      autoscaling_group_name: group,
      policy_type: 'StepScaling',
      adjustment_type: 'ExactCapacity',
      step_adjustment: [{ scaling_adjustment: 1, metric_interval_lower_bound: '0' }],
    });
    expect(onlyResource(json, 'aws_cloudwatch_metric_alarm')).toEqual({
      alarm_name: 'p-e-gpu-wake-from-zero',
      alarm_description: 'Jobs wait and p-e-gpu has no instance: start one',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      alarm_actions: [`\${aws_autoscaling_policy.${policyKey}.arn}`],
      metric_query: [
        {
          id: 'backlog',
          return_data: false,
          metric: {
            namespace: 'ECG/Render',
            metric_name: 'Backlog',
            dimensions: { Queue: 'render' },
            period: 60,
            stat: 'Maximum',
          },
        },
        {
          id: 'desired',
          return_data: false,
          metric: {
            namespace: 'AWS/AutoScaling',
            metric_name: 'GroupDesiredCapacity',
            dimensions: { AutoScalingGroupName: group },
            period: 60,
            stat: 'Maximum',
          },
        },
        {
          id: 'waiting',
          label: 'Jobs waiting with no capacity',
          expression: 'IF(desired == 0, FILL(backlog, 1), 0)',
          return_data: true,
        },
      ],
    });
    // The fleet hands out the pair it made (construct ids, which are their Terraform addresses).
    expect(fleet.wakeFromZero?.alarm.node.path).toBe('stack/fleet/wake-from-zero-alarm');
    expect(fleet.wakeFromZero?.policy.node.path).toBe('stack/fleet/wake-from-zero');
  });

  it('reads the wake-up backlog without dimensions when none or an empty map is given', () => {
    for (const metricDimensions of [undefined, {}]) {
      const { json } = build({ scaling: { ...QUEUE, metricDimensions } });
      expect(onlyResource(json, 'aws_cloudwatch_metric_alarm').metric_query[0].metric).toEqual({
        namespace: 'ECG/Render',
        metric_name: 'Backlog',
        period: 60,
        stat: 'Maximum',
      });
    }
  });
});
