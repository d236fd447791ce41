import { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { productionConfig, resolveSettings, type EnvironmentConfig } from '../../src/config';
import { Monitoring, type MonitoringProps } from '../../src/modules/monitoring';
import type { ScopedPlan } from '../support/plan-scope';

export const settings = resolveSettings({ context: () => undefined, env: {} });

export function props(config: EnvironmentConfig, overrides: Partial<MonitoringProps> = {}): MonitoringProps {
  return {
    namePrefix: `ecg-video-pipeline-${config.name}`,
    region: 'ap-northeast-2',
    accountId: '123456789012',
    thresholds: config.monitoring,
    albArnSuffix: 'app/alb/1',
    targetGroupArnSuffix: 'targetgroup/api/2',
    ecsClusterName: 'cluster',
    ecsServiceName: 'api',
    rdsInstanceId: 'db',
    redisClusterIds: Array.from({ length: config.cache.nodeCount }, (_, i) => `redis-00${i + 1}`),
    gpuFleets: [
      {
        name: 'model-server',
        autoScalingGroupName: 'asg-model',
        minInService: config.gpu.modelServer.count.min,
      },
      {
        name: 'render-worker',
        autoScalingGroupName: 'asg-render',
        minInService: config.gpu.renderWorker.count.min,
      },
    ],
    ...overrides,
  };
}

/** Production monitoring with the alarm e-mail from a Terraform variable. */
export function build(scope: Construct): void {
  const email = new TerraformVariable(scope, 'alarm_email', {
    type: 'string',
    default: 'ops@example.com',
  });
  new Monitoring(scope, 'monitoring', props(productionConfig(settings), { alarmEmail: email.stringValue }));
}

/** Plans cleanly. */
export function check(result: ScopedPlan): void {
  expect(result.resourceTypes).toMatchObject({
    aws_sns_topic_subscription: 1,
    aws_cloudwatch_dashboard: 1,
    aws_kms_key: 1,
    aws_sns_topic_policy: 1,
    aws_cloudwatch_event_rule: 1,
    aws_cloudwatch_event_target: 1,
  });
  expect(result.resourceTypes.aws_cloudwatch_metric_alarm).toBeGreaterThanOrEqual(14);
}
