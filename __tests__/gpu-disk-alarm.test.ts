import { synthStack } from './support/app';
import { resourcesOf, type Json } from './support/synth';

/**
 * The GPU hosts' root-disk alarm (design: "GPU host disk used > 80 %"): one per fleet in both
 * stacks, on what the CloudWatch agent publishes per Auto Scaling group, to the alarm topic. The
 * producer side (the agent config putting exactly this metric) is in metric-contracts.test.ts.
 */

describe.each(['staging', 'production'] as const)('GPU disk alarms (%s)', (stack) => {
  const json = synthStack(stack);
  const alarms = Object.entries(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).filter(([, a]) =>
    (a.alarm_name as string).endsWith('-disk-used'),
  );
  const [topic] = Object.keys(resourcesOf(json, 'aws_sns_topic')).filter((k) => k.startsWith('monitoring_'));
  const groups = Object.keys(resourcesOf(json, 'aws_autoscaling_group'));
  const groupOf = (fleet: string) => groups.find((g) => g.startsWith(`${fleet}_`));

  it('exist for every GPU fleet', () => {
    expect(alarms.map(([, a]) => a.alarm_name).sort()).toEqual([
      `ecg-video-pipeline-${stack}-model-server-disk-used`,
      `ecg-video-pipeline-${stack}-render-worker-disk-used`,
    ]);
  });

  it.each(['model-server', 'render-worker'])(
    '%s: the fullest host above 80 %% for 10 minutes notifies the alarm topic',
    (fleet) => {
      const [, alarm] = alarms.find(([, a]) => (a.alarm_name as string).includes(fleet)) as [string, Json];
      expect(alarm).toMatchObject({
        namespace: 'CWAgent',
        metric_name: 'disk_used_percent',
        dimensions: { AutoScalingGroupName: `\${aws_autoscaling_group.${groupOf(fleet)}.name}` },
        unit: 'Percent',
        statistic: 'Maximum',
        period: 300,
        evaluation_periods: 2,
        comparison_operator: 'GreaterThanThreshold',
        threshold: 80,
        treat_missing_data: 'notBreaching',
        alarm_actions: [`\${aws_sns_topic.${topic}.arn}`],
        ok_actions: [`\${aws_sns_topic.${topic}.arn}`],
      });
    },
  );
});
