import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Peer } from '../src/lib/security-group';
import { QueueDepthPublisher, type QueueDepthPublisherProps } from '../src/modules/queue-depth-publisher';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

/** Only the required props: no metric dimensions, every optional prop at its default. */
const P: QueueDepthPublisherProps = {
  namePrefix: 'p-e',
  region: 'ap-northeast-2',
  accountId: '123456789012',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a'],
  redisHost: 'redis.example',
  authTokenSecretArn: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:p-e/redis-AbCdEf',
  queues: ['render', 'render.low'],
  metricNamespace: 'ECG/Render',
  metricName: 'Backlog',
  alarmTopicArn: 'arn:aws:sns:ap-northeast-2:123456789012:alarms',
};

const FUNCTION = 'publisher_function_75B17031';
const GROUP_ID = '${aws_security_group.publisher_security-group_2146455F.id}';
const TOPIC = 'arn:aws:sns:ap-northeast-2:123456789012:alarms';

/** Every resource of the synth by type and address, its JSON policy documents parsed. */
function resourcesRead(props: QueueDepthPublisherProps): Json {
  const json = synthScope((scope) => {
    new QueueDepthPublisher(scope, 'publisher', props);
  });
  const out: Json = {};
  for (const [type, resources] of Object.entries<Json>(json.resource)) {
    out[type] = Object.fromEntries(
      Object.entries<Json>(resources).map(([address, body]) => {
        const copy = { ...body };
        for (const key of ['policy', 'assume_role_policy']) {
          if (typeof copy[key] === 'string') copy[key] = JSON.parse(copy[key]);
        }
        return [address, copy];
      }),
    );
  }
  return out;
}

describe('QueueDepthPublisher with only the required props (read whole)', () => {
  const all = resourcesRead(P);

  it('builds the function with its defaults: 128 MiB, 30 s, port 6379, kombu key layout, no dimensions', () => {
    expect(all.aws_lambda_function).toEqual({
      [FUNCTION]: {
        architectures: ['arm64'],
        description: 'Puts the Celery backlog (queued + in progress) to CloudWatch every minute',
        environment: {
          variables: {
            CELERY_KEY_PREFIX: '',
            CELERY_PRIORITY_STEPS: '0,3,6,9',
            CELERY_QUEUES: 'render,render.low',
            CELERY_SEP_JSON: '"\\u0006\\u0016"',
            CELERY_UNACKED_KEY: 'unacked',
            METRIC_DIMENSIONS: '{}',
            METRIC_NAME: 'Backlog',
            METRIC_NAMESPACE: 'ECG/Render',
            REDIS_AUTH_SECRET_ARN:
              'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:p-e/redis-AbCdEf',
            REDIS_HOST: 'redis.example',
            REDIS_PORT: '6379',
            REDIS_TLS: 'true',
          },
        },
        // The asset path and the hash follow the handler's bundle, not this module.
        filename: expect.stringMatching(/^assets\/publisher_code_[0-9A-F]{8}\/[0-9A-F]+\/archive\.zip$/),
        function_name: 'p-e-queue-depth',
        handler: 'index.handler',
        logging_config: {
          log_format: 'JSON',
          log_group: '${aws_cloudwatch_log_group.publisher_log-group_412B0C74.name}',
        },
        memory_size: 128,
        role: '${aws_iam_role.publisher_role_6A2BE190.arn}',
        runtime: 'nodejs22.x',
        source_code_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        tags: { Name: 'p-e-queue-depth' },
        timeout: 30,
        tracing_config: { mode: 'Active' },
        vpc_config: { security_group_ids: [GROUP_ID], subnet_ids: ['subnet-a'] },
      },
    });
  });

  it('never retries an asynchronous run: zero retries, events at most 60 s old', () => {
    expect(all.aws_lambda_function_event_invoke_config).toEqual({
      'publisher_invoke-config_4A3DE12B': {
        function_name: `\${aws_lambda_function.${FUNCTION}.function_name}`,
        maximum_event_age_in_seconds: 60,
        maximum_retry_attempts: 0,
      },
    });
  });

  it('names and describes both roles after the function', () => {
    expect(all.aws_iam_role).toEqual({
      publisher_role_6A2BE190: {
        assume_role_policy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        description: 'Execution role of the p-e-queue-depth function',
        name: 'p-e-queue-depth',
      },
      'publisher_scheduler-role_46E73527': {
        assume_role_policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'scheduler.amazonaws.com' },
              Action: 'sts:AssumeRole',
              // Confused-deputy guard (EventBridge Scheduler user guide): only this account's schedules.
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            },
          ],
        },
        description: 'EventBridge Scheduler runs the p-e-queue-depth function',
        name: 'p-e-queue-depth-scheduler',
      },
    });
  });

  it('attaches the inline policies queue-depth and invoke-queue-depth to their roles', () => {
    const policies = all.aws_iam_role_policy;
    expect(Object.keys(policies)).toEqual([
      'publisher_access_BB4DF7AB',
      'publisher_scheduler-access_0BD92805',
    ]);
    expect(policies.publisher_access_BB4DF7AB.name).toBe('queue-depth');
    expect(policies.publisher_access_BB4DF7AB.role).toBe('${aws_iam_role.publisher_role_6A2BE190.id}');
    expect(policies.publisher_access_BB4DF7AB.policy.Version).toBe('2012-10-17');
    expect(policies.publisher_access_BB4DF7AB.policy.Statement[3]).toEqual({
      Sid: 'VpcNetworkInterfaces',
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkInterface'],
      Resource: [
        'arn:aws:ec2:ap-northeast-2:123456789012:network-interface/*',
        'arn:aws:ec2:ap-northeast-2:123456789012:subnet/subnet-a',
        `arn:aws:ec2:ap-northeast-2:123456789012:security-group/${GROUP_ID}`,
      ],
    });
    expect(policies['publisher_scheduler-access_0BD92805']).toEqual({
      name: 'invoke-queue-depth',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'InvokeFunction',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: `\${aws_lambda_function.${FUNCTION}.arn}`,
          },
        ],
      },
      role: '${aws_iam_role.publisher_scheduler-role_46E73527.id}',
    });
  });

  it('creates the function group with HTTPS out to anywhere and nothing else until allowTo', () => {
    expect(all.aws_security_group).toEqual({
      'publisher_security-group_2146455F': {
        description: 'p-e-queue-depth function: Redis and the AWS APIs',
        lifecycle: { create_before_destroy: true },
        name: 'p-e-queue-depth',
        tags: { Name: 'p-e-queue-depth' },
        vpc_id: 'vpc-1',
      },
    });
    expect(all.aws_vpc_security_group_egress_rule).toEqual({
      'publisher_security-group_out-anywhere-443_95536071': {
        cidr_ipv4: '0.0.0.0/0',
        description: 'HTTPS to Secrets Manager and CloudWatch',
        from_port: 443,
        ip_protocol: 'tcp',
        security_group_id: GROUP_ID,
        to_port: 443,
      },
    });
    expect(all.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it('alarms on 2 failing minutes of 3, and on 5 minutes without a data point of the undimensioned metric', () => {
    expect(all.aws_cloudwatch_metric_alarm).toEqual({
      'publisher_errors-alarm_7E3FAF3C': {
        alarm_actions: [TOPIC],
        alarm_description:
          'p-e-queue-depth failed in 2 of the last 3 minutes: the render queue depth is not published',
        alarm_name: 'p-e-queue-depth-errors',
        comparison_operator: 'GreaterThanThreshold',
        datapoints_to_alarm: 2,
        dimensions: { FunctionName: `\${aws_lambda_function.${FUNCTION}.function_name}` },
        evaluation_periods: 3,
        metric_name: 'Errors',
        namespace: 'AWS/Lambda',
        ok_actions: [TOPIC],
        period: 60,
        statistic: 'Sum',
        threshold: 0,
        treat_missing_data: 'notBreaching',
      },
      // No dimensions key at all: an empty map would name another metric than the one published.
      'publisher_metric-missing-alarm_78F99E21': {
        alarm_actions: [TOPIC],
        alarm_description: 'No ECG/Render Backlog data point for 5 minutes: render scaling is blind',
        alarm_name: 'p-e-queue-depth-metric-missing',
        comparison_operator: 'LessThanThreshold',
        evaluation_periods: 5,
        metric_name: 'Backlog',
        namespace: 'ECG/Render',
        ok_actions: [TOPIC],
        period: 60,
        statistic: 'SampleCount',
        threshold: 1,
        treat_missing_data: 'breaching',
      },
    });
  });

  it('keeps its log group 30 days by default and runs every minute by default', () => {
    expect(all.aws_cloudwatch_log_group).toEqual({
      'publisher_log-group_412B0C74': { name: '/aws/lambda/p-e-queue-depth', retention_in_days: 30 },
    });
    expect(all.aws_scheduler_schedule['publisher_schedule_6FEC7945'].schedule_expression).toBe(
      'rate(1 minute)',
    );
  });
});

describe('QueueDepthPublisher props', () => {
  it('passes the port, memory, timeout, retention, schedule and dimensions given', () => {
    const all = resourcesRead({
      ...P,
      redisPort: 6380,
      memoryMiB: 10240,
      timeoutSeconds: 60,
      logRetentionDays: 3653,
      scheduleExpression: 'cron(0/5 * * * ? *)',
      metricDimensions: { Fleet: 'render', Env: 'e' },
    });
    const fn = all.aws_lambda_function[FUNCTION];
    expect([fn.memory_size, fn.timeout, fn.environment.variables.REDIS_PORT]).toEqual([10240, 60, '6380']);
    expect(fn.environment.variables.METRIC_DIMENSIONS).toBe('{"Fleet":"render","Env":"e"}');
    expect(all.aws_cloudwatch_log_group['publisher_log-group_412B0C74'].retention_in_days).toBe(3653);
    expect(all.aws_scheduler_schedule['publisher_schedule_6FEC7945'].schedule_expression).toBe(
      'cron(0/5 * * * ? *)',
    );
    expect(all.aws_cloudwatch_metric_alarm['publisher_metric-missing-alarm_78F99E21'].dimensions).toEqual({
      Fleet: 'render',
      Env: 'e',
    });
  });

  // ARN partitions: aws-cn for the China regions, aws-us-gov for GovCloud.
  it.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-east-1', 'aws'],
  ])('builds the network-interface ARNs of region %s in partition %s', (region, partition) => {
    const all = resourcesRead({ ...P, region, subnetIds: ['subnet-a', 'subnet-b'] });
    const ec2 = `arn:${partition}:ec2:${region}:123456789012`;
    const statements = all.aws_iam_role_policy.publisher_access_BB4DF7AB.policy.Statement;
    expect(statements[3].Resource).toEqual([
      `${ec2}:network-interface/*`,
      `${ec2}:subnet/subnet-a`,
      `${ec2}:subnet/subnet-b`,
      `${ec2}:security-group/${GROUP_ID}`,
    ]);
    expect(statements[4].Resource).toBe(`${ec2}:network-interface/*`);
  });

  it('uses the aws partition for a region given as a Terraform reference, and takes a secret reference', () => {
    const json = synthScope((scope) => {
      const v = (name: string) => new TerraformVariable(scope, name, { type: 'string' }).stringValue;
      new QueueDepthPublisher(scope, 'publisher', {
        ...P,
        region: v('region'),
        authTokenSecretArn: v('secret'),
      });
    });
    const access = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find(
      (p) => p.name === 'queue-depth',
    )!;
    const statements = JSON.parse(access.policy).Statement;
    expect(statements[0].Resource).toBe('${var.secret}');
    expect(statements[4].Resource).toBe('arn:aws:ec2:${var.region}:123456789012:network-interface/*');
  });

  it('allowTo adds an egress rule to the peer on the port, described', () => {
    const json = synthScope((scope) => {
      const publisher = new QueueDepthPublisher(scope, 'publisher', P);
      publisher.allowTo(Peer.securityGroup('sg-cache', 'cache'), 6380, 'Redis (Celery broker)');
    });
    expect(
      resourcesOf(json, 'aws_vpc_security_group_egress_rule')[
        'publisher_security-group_out-cache-6380_5B4B34E7'
      ],
    ).toEqual({
      description: 'Redis (Celery broker)',
      from_port: 6380,
      ip_protocol: 'tcp',
      referenced_security_group_id: 'sg-cache',
      security_group_id: GROUP_ID,
      to_port: 6380,
    });
  });
});

describe('QueueDepthPublisher validation edges', () => {
  const build = (props: Partial<QueueDepthPublisherProps>) => () =>
    new QueueDepthPublisher(new TerraformStack(Testing.app(), 'stack'), 'publisher', { ...P, ...props });
  const oneProblem = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;

  it('takes a 42-character name prefix (scheduler role name of 64, the IAM limit) and fails at 43', () => {
    const ok = `p${'e'.repeat(41)}`;
    expect(build({ namePrefix: ok })).not.toThrow();
    const long = `${ok}e`;
    expect(errorOf(build({ namePrefix: long }))).toBe(
      oneProblem(
        `stack/publisher.namePrefix ${long} makes the scheduler role name longer than 64 characters`,
      ),
    );
  });

  it('fails when the name prefix is not lowercase words', () => {
    expect(errorOf(build({ namePrefix: 'P-e' }))).toBe(
      oneProblem(
        'stack/publisher.namePrefix P-e must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
      ),
    );
  });

  // The function role's policy lists each subnet's ARN, so the list is needed at synth.
  it('fails when the subnets are a Terraform expression', () => {
    expect(
      errorOf(() =>
        synthScope((scope) => {
          const subnets = new TerraformVariable(scope, 'subnets', { type: 'list(string)' }).listValue;
          new QueueDepthPublisher(scope, 'publisher', { ...P, subnetIds: subnets });
        }),
      ),
    ).toBe(
      oneProblem(
        'stack/publisher.subnetIds (a Terraform expression) must be a list of subnet ids known at synth: the function role’s policy names each subnet',
      ),
    );
  });

  it('fails when no subnet is given', () => {
    expect(errorOf(build({ subnetIds: [] }))).toBe(
      oneProblem('stack/publisher.subnetIds [] must list at least one subnet'),
    );
  });

  it('takes Redis ports 1 and 65535 and fails on 0 and 65536', () => {
    expect(build({ redisPort: 1 })).not.toThrow();
    expect(build({ redisPort: 65535 })).not.toThrow();
    for (const port of [0, 65536]) {
      expect(errorOf(build({ redisPort: port }))).toBe(
        oneProblem(`stack/publisher.redisPort ${port} must be an integer from 1 to 65535`),
      );
    }
  });

  it('takes 128 and 10240 MiB and 1 and 60 s, and fails just outside', () => {
    expect(build({ memoryMiB: 128, timeoutSeconds: 1 })).not.toThrow();
    expect(build({ memoryMiB: 10240, timeoutSeconds: 60 })).not.toThrow();
    expect(errorOf(build({ memoryMiB: 127, timeoutSeconds: 0 }))).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - stack/publisher.memoryMiB 127 must be an integer from 128 to 10240',
        '  - stack/publisher.timeoutSeconds 0 must be an integer from 1 to 60',
      ].join('\n'),
    );
    expect(errorOf(build({ memoryMiB: 10241, timeoutSeconds: 61 }))).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - stack/publisher.memoryMiB 10241 must be an integer from 128 to 10240',
        '  - stack/publisher.timeoutSeconds 61 must be an integer from 1 to 60',
      ].join('\n'),
    );
  });

  it('fails on a log retention CloudWatch Logs does not offer, listing the allowed values', () => {
    expect(errorOf(build({ logRetentionDays: 2 }))).toBe(
      oneProblem(
        'stack/publisher.logRetentionDays 2 must be one of CloudWatch Logs retention values 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
      ),
    );
  });

  it('takes rate() in minutes, hours and days and cron(), and fails on anything around them', () => {
    for (const expression of [
      'rate(5 minutes)',
      'rate(1 hour)',
      'rate(2 hours)',
      'rate(1 day)',
      'rate(7 days)',
      'cron(* * * * ? *)',
    ]) {
      expect(build({ scheduleExpression: expression })).not.toThrow();
    }
    const rule = 'must be an EventBridge Scheduler rate(...) or cron(...) expression';
    for (const expression of [
      'rate(1 week)',
      'rate(minute)',
      'xrate(1 minute)',
      'rate(1 minute)x',
      'cron()',
      'at(2025-01-01T00:00:00)',
    ]) {
      expect(errorOf(build({ scheduleExpression: expression }))).toBe(
        oneProblem(`stack/publisher.scheduleExpression ${expression} ${rule}`),
      );
    }
  });

  it('takes a 200-character queue name with : @ . - _ and fails at 201 or with a comma', () => {
    expect(build({ queues: [`a:b@c.d-e_${'q'.repeat(190)}`] })).not.toThrow();
    const rule = 'must be a Celery queue name (no spaces or commas)';
    for (const queue of ['q'.repeat(201), 'a,b']) {
      expect(errorOf(build({ queues: [queue] }))).toBe(
        oneProblem(`stack/publisher.queues[0] ${queue} ${rule}`),
      );
    }
  });

  it('fails when the metric name has white space or the namespace is an AWS one', () => {
    expect(errorOf(build({ metricName: 'Queue Depth' }))).toBe(
      oneProblem('stack/publisher.metricName Queue Depth must be a CloudWatch metric name'),
    );
    expect(errorOf(build({ metricNamespace: 'AWS/Lambda' }))).toBe(
      oneProblem(
        'stack/publisher.metricNamespace AWS/Lambda must be a custom CloudWatch namespace (not AWS/...)',
      ),
    );
  });

  it('fails when the secret is not a Secrets Manager ARN', () => {
    expect(
      errorOf(build({ authTokenSecretArn: 'arn:aws:ssm:ap-northeast-2:123456789012:parameter/x' })),
    ).toBe(
      oneProblem(
        'stack/publisher.authTokenSecretArn arn:aws:ssm:ap-northeast-2:123456789012:parameter/x must be a Secrets Manager secret ARN',
      ),
    );
  });

  it('fails when a queue is listed twice, with the whole list', () => {
    expect(errorOf(build({ queues: ['render', 'render'] }))).toBe(
      oneProblem('stack/publisher.queues ["render","render"] lists a queue twice'),
    );
  });
});
