import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { tracesShipped } from '../../src/policies/rules/trace-01-traces-shipped';
import { findingsOf, fixture, resultOf } from './support';

const OTLP_TO_XRAY = {
  receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:4318' } } } },
  exporters: { awsxray: {} },
  service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['awsxray'] } } },
};

const API = { name: 'api', image: 'api:1' };
const collector = (config: unknown) => ({
  name: 'otel-collector',
  image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0',
  environment: [{ name: 'AOT_CONFIG_CONTENT', value: JSON.stringify(config) }],
});

function task(
  definitions: unknown[],
  grant: { actions?: string[]; managed?: string } = { actions: ['xray:PutTraceSegments'] },
) {
  return fixture((scope) => {
    const role = new IamRole(scope, 'task', { name: 'task', assumeRolePolicy: '{}' });
    if (grant.actions)
      new IamRolePolicy(scope, 'task-policy', {
        role: role.id,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: grant.actions, Resource: '*' }],
        }),
      });
    if (grant.managed)
      new IamRolePolicyAttachment(scope, 'task-managed', { role: role.name, policyArn: grant.managed });
    new EcsTaskDefinition(scope, 'api', {
      family: 'api',
      networkMode: 'awsvpc',
      taskRoleArn: role.arn,
      containerDefinitions: JSON.stringify(definitions),
    });
  });
}

describe('ECG-TRACE-01 the API task ships traces', () => {
  it('passes a collector piping OTLP to X-Ray and a task role that may put segments', () => {
    expect(resultOf(tracesShipped, task([API, collector(OTLP_TO_XRAY)]), 'production').status).toBe('pass');
  });

  it('passes a task role with the AWSXrayWriteOnlyAccess managed policy', () => {
    const json = task([API, collector(OTLP_TO_XRAY)], {
      managed: 'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
    });
    expect(findingsOf(tracesShipped, json)).toEqual([]);
  });

  it('fails a task without a collector', () => {
    expect(findingsOf(tracesShipped, task([API]))).toEqual([
      'ECG-TRACE-01 aws_ecs_task_definition.api: has no collector container whose AOT_CONFIG_CONTENT pipes an OTLP receiver to the awsxray exporter',
    ]);
  });

  it('fails a collector that exports elsewhere or has no OTLP receiver', () => {
    const toLogs = {
      ...OTLP_TO_XRAY,
      service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['debug'] } } },
    };
    const noOtlp = { ...OTLP_TO_XRAY, receivers: { zipkin: {} } };
    for (const config of [toLogs, noOtlp, 'not json'])
      expect(findingsOf(tracesShipped, task([API, collector(config)]))).toHaveLength(1);
  });

  it('fails a task role that may not put trace segments', () => {
    expect(
      findingsOf(tracesShipped, task([API, collector(OTLP_TO_XRAY)], { actions: ['s3:GetObject'] })),
    ).toEqual([
      'ECG-TRACE-01 aws_ecs_task_definition.api: has a task role that may not xray:PutTraceSegments',
    ]);
  });

  it('fails a Lambda function without active tracing (CKV_AWS_50)', () => {
    const fn = (mode?: string) =>
      fixture((scope) => {
        new LambdaFunction(scope, 'fn', {
          functionName: 'fn',
          role: 'arn:aws:iam::123456789012:role/fn',
          ...(mode ? { tracingConfig: { mode } } : {}),
        });
      });
    expect(findingsOf(tracesShipped, fn('Active'))).toEqual([]);
    for (const json of [fn(), fn('PassThrough')])
      expect(findingsOf(tracesShipped, json)).toEqual([
        'ECG-TRACE-01 aws_lambda_function.fn: does not set tracing_config.mode Active',
      ]);
  });
});
