import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { lambdaNoPublicAccess } from '../../src/policies/rules/lambda-01-no-public-access';
import { lambdaFunctionHardening } from '../../src/policies/rules/lambda-02-function-hardening';
import { QueueDepthPublisher } from '../../src/modules/queue-depth-publisher';
import { findingsOf, fixture, resultOf, rulesOf } from './support';

const ROLE = 'arn:aws:iam::123456789012:role/fn';

/** The project's own function, as the stacks build it. */
const publisher = fixture((scope) => {
  new QueueDepthPublisher(scope, 'publisher', {
    namePrefix: 'p-e',
    region: 'ap-northeast-2',
    accountId: '123456789012',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-1'],
    redisHost: 'redis.internal',
    authTokenSecretArn: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:redis-AbCdEf',
    queues: ['celery'],
    metricNamespace: 'ECG/RenderWorker',
    metricName: 'QueueDepth',
    alarmTopicArn: 'arn:aws:sns:ap-northeast-2:123456789012:alarms',
  });
});

describe('Lambda rules', () => {
  it.each(rulesOf('ECG-LAMBDA').map((r) => [r.id, r] as const))(
    '%s passes the queue-depth publisher in both environments',
    (_id, rule) => {
      expect(resultOf(rule, publisher, 'staging')).toMatchObject({ status: 'pass', findings: [] });
      expect(resultOf(rule, publisher, 'production')).toMatchObject({ status: 'pass', findings: [] });
    },
  );
});

describe('ECG-LAMBDA-01 no public access', () => {
  it('fails a function URL without IAM auth, a permission for "*" and an unscoped service permission', () => {
    const json = fixture((scope) => {
      const fn = new LambdaFunction(scope, 'fn', { functionName: 'fn', role: ROLE, runtime: 'nodejs22.x' });
      new LambdaFunctionUrl(scope, 'url', { functionName: fn.functionName, authorizationType: 'NONE' });
      new LambdaFunctionUrl(scope, 'iam-url', {
        functionName: fn.functionName,
        authorizationType: 'AWS_IAM',
      });
      new LambdaPermission(scope, 'anyone', {
        functionName: fn.functionName,
        action: 'lambda:InvokeFunction',
        principal: '*',
      });
      new LambdaPermission(scope, 's3', {
        functionName: fn.functionName,
        action: 'lambda:InvokeFunction',
        principal: 's3.amazonaws.com',
      });
      new LambdaPermission(scope, 'scoped', {
        functionName: fn.functionName,
        action: 'lambda:InvokeFunction',
        principal: 's3.amazonaws.com',
        sourceArn: 'arn:aws:s3:::bucket',
      });
    });
    expect(findingsOf(lambdaNoPublicAccess, json)).toEqual([
      'ECG-LAMBDA-01 aws_lambda_function_url.url: authorization_type is NONE (must be AWS_IAM)',
      'ECG-LAMBDA-01 aws_lambda_permission.anyone: allows principal * to invoke the function',
      "ECG-LAMBDA-01 aws_lambda_permission.s3: allows s3.amazonaws.com without source_arn or source_account (any account's resource could invoke it)",
    ]);
  });
});

describe('ECG-LAMBDA-02 function hardening', () => {
  it('fails a function outside the VPC, on an old runtime, logging to a group the stack does not manage', () => {
    const json = fixture((scope) => {
      new LambdaFunction(scope, 'old', { functionName: 'old', role: ROLE, runtime: 'nodejs16.x' });
      const group = new CloudwatchLogGroup(scope, 'logs', { name: '/aws/lambda/ok', retentionInDays: 30 });
      new LambdaFunction(scope, 'ok', {
        functionName: 'ok',
        role: ROLE,
        runtime: 'nodejs22.x',
        vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] },
        loggingConfig: { logFormat: 'JSON', logGroup: group.name },
      });
    });
    expect(findingsOf(lambdaFunctionHardening, json)).toEqual([
      'ECG-LAMBDA-02 aws_lambda_function.old: vpc_config names no subnets or security groups',
      expect.stringMatching(
        /^ECG-LAMBDA-02 aws_lambda_function\.old: runtime nodejs16\.x is not one of nodejs20\.x, nodejs22\.x/,
      ),
      'ECG-LAMBDA-02 aws_lambda_function.old: logs to /aws/lambda/old, which no aws_cloudwatch_log_group of the stack creates',
    ]);
  });
});
