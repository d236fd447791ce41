import { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { QueueDepthPublisher } from '../../src/modules/queue-depth-publisher';
import { Peer } from '../../src/lib/security-group';
import type { ScopedPlan } from '../support/plan-scope';
import type { Json } from '../support/synth';

/** The publisher with its Redis host from a Terraform variable, as the stack passes a reference. */
export function build(scope: Construct): void {
  const host = new TerraformVariable(scope, 'redis_host', {
    type: 'string',
    default: 'redis.example.internal',
  });
  const publisher = new QueueDepthPublisher(scope, 'publisher', {
    namePrefix: 'ecg-video-pipeline-staging',
    region: 'ap-northeast-2',
    accountId: '123456789012',
    vpcId: 'vpc-0123',
    subnetIds: ['subnet-private-a', 'subnet-private-c'],
    redisHost: host.stringValue,
    authTokenSecretArn: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:redis-AbCdEf',
    queues: ['celery'],
    metricNamespace: 'ECG/RenderWorker',
    metricName: 'QueueDepth',
    metricDimensions: { AutoScalingGroupName: 'ecg-video-pipeline-staging-render-worker' },
    alarmTopicArn: 'arn:aws:sns:ap-northeast-2:123456789012:alarms',
  });
  publisher.allowTo(Peer.securityGroup('sg-0cache', 'cache'), 6379, 'Redis (Celery broker)');
}

/** The function, its schedule and their roles are valid against the provider schema. */
export function check(result: ScopedPlan): void {
  expect(result.resourceTypes).toEqual({
    aws_security_group: 1,
    aws_vpc_security_group_egress_rule: 2,
    aws_cloudwatch_log_group: 1,
    aws_iam_role: 2,
    aws_iam_role_policy: 2,
    aws_lambda_function: 1,
    aws_lambda_function_event_invoke_config: 1,
    aws_scheduler_schedule: 1,
    aws_cloudwatch_metric_alarm: 2,
  });
  const fn = (result.plan.planned_values.root_module.resources as Json[]).find(
    (r) => r.type === 'aws_lambda_function',
  ) as Json;
  expect(fn.values).toMatchObject({
    runtime: 'nodejs22.x',
    architectures: ['arm64'],
    handler: 'index.handler',
  });
  expect(fn.values.environment[0].variables.REDIS_HOST).toBe('redis.example.internal');
}
