import childProcess from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { QueueDepthPublisher, type QueueDepthPublisherProps } from '../src/modules/queue-depth-publisher';
import { Peer } from '../src/lib/security-group';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';

const SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:p-e/redis/auth-token-AbCdEf';
const TOPIC = 'arn:aws:sns:ap-northeast-2:123456789012:p-e-alarms';

const BASE: QueueDepthPublisherProps = {
  namePrefix: 'p-e',
  region: 'ap-northeast-2',
  accountId: '123456789012',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-private-a', 'subnet-private-c'],
  redisHost: 'master.p-e-redis.abc.apn2.cache.amazonaws.com',
  authTokenSecretArn: SECRET,
  queues: ['render'],
  metricNamespace: 'ECG/RenderWorker',
  metricName: 'QueueDepth',
  metricDimensions: { AutoScalingGroupName: 'p-e-render-worker' },
  alarmTopicArn: TOPIC,
};

function build(props: QueueDepthPublisherProps = BASE): { json: Json; publisher: QueueDepthPublisher } {
  let publisher: QueueDepthPublisher | undefined;
  const json = synthScope((scope) => {
    publisher = new QueueDepthPublisher(scope, 'publisher', props);
    publisher.allowTo(Peer.securityGroup('sg-cache', 'cache'), 6379, 'Redis (Celery broker)');
  });
  return { json, publisher: publisher as QueueDepthPublisher };
}

/** `${type.name.attr}` of the resource of `type` whose name contains `part`. */
function ref(json: Json, type: string, attr: string, part = ''): string {
  const keys = Object.keys(resourcesOf(json, type)).filter((k) => k.includes(part));
  if (keys.length !== 1) throw new Error(`expected one ${type} matching ${part}, found ${keys.length}`);
  return `\${${type}.${keys[0]}.${attr}}`;
}

function roleNamed(json: Json, name: string): Json {
  return Object.values(resourcesOf(json, 'aws_iam_role')).find((r) => r.name === name) as Json;
}

describe('QueueDepthPublisher', () => {
  const { json, publisher } = build();
  const fn = onlyResource(json, 'aws_lambda_function');

  it('ships the bundled handler as a Node.js 22 arm64 function, one index.js in the archive', () => {
    expect(fn).toMatchObject({
      function_name: 'p-e-queue-depth',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      memory_size: 128,
      timeout: 30,
      role: ref(json, 'aws_iam_role', 'arn', 'publisher_role_'),
    });
    expect(fn.filename).toMatch(/^assets\/publisher_code_[0-9A-F]{8}\/[0-9A-F]+\/archive\.zip$/);
    expect(fn.source_code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(fn.source_code_hash).toBe(publisher.bundle.sha256);
    expect(readdirSync(publisher.bundle.directory).sort()).toEqual(['archive.zip', 'index.js']);
    expect(basename(publisher.bundle.directory)).toMatch(/^queue-depth-[0-9a-f]{16}$/);
    // Read by unzip, not by the code that wrote it: index.js alone, readable by all (Lambda needs 644).
    expect(execFileSync('unzip', ['-Z1', publisher.bundle.archive]).toString()).toBe('index.js\n');
    expect(execFileSync('zipinfo', ['-s', publisher.bundle.archive]).toString()).toMatch(
      /-rw-r--r-- .* index\.js/,
    );
    // Buffer.equals: toEqual walks a megabyte byte by byte.
    const unzipped = execFileSync('unzip', ['-p', publisher.bundle.archive, 'index.js'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(unzipped.equals(readFileSync(join(publisher.bundle.directory, 'index.js')))).toBe(true);
  });

  it('writes the prepared archive into cdktf.out as it is, in no child process', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'publisher-asset-'));
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, 'publisher');
    const synthesized = new QueueDepthPublisher(stack, 'publisher', BASE);
    // cdktf's ARCHIVE assets zip in `node <cdktf>/lib/private/fs.js` through execSync.
    const spawned = [
      vi.spyOn(childProcess, 'execSync'),
      vi.spyOn(childProcess, 'execFileSync'),
      vi.spyOn(childProcess, 'spawnSync'),
    ];
    try {
      app.synth();
      for (const spy of spawned) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spawned) spy.mockRestore();
    }
    const stackDir = join(outdir, 'stacks', 'publisher');
    const filename = onlyResource(
      JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as Json,
      'aws_lambda_function',
    ).filename as string;
    expect(readFileSync(join(stackDir, filename)).equals(readFileSync(synthesized.bundle.archive))).toBe(
      true,
    );
  });

  it('reads Redis over TLS with the AUTH token secret and publishes the configured metric', () => {
    expect(fn.environment.variables).toEqual({
      REDIS_HOST: BASE.redisHost,
      REDIS_PORT: '6379',
      REDIS_TLS: 'true',
      REDIS_AUTH_SECRET_ARN: SECRET,
      CELERY_QUEUES: 'render',
      // kombu's defaults; the separator is JSON for its two control characters.
      CELERY_PRIORITY_STEPS: '0,3,6,9',
      CELERY_SEP_JSON: '"\\u0006\\u0016"',
      CELERY_KEY_PREFIX: '',
      CELERY_UNACKED_KEY: 'unacked',
      METRIC_NAMESPACE: 'ECG/RenderWorker',
      METRIC_NAME: 'QueueDepth',
      METRIC_DIMENSIONS: '{"AutoScalingGroupName":"p-e-render-worker"}',
    });
    expect(publisher.metric).toEqual({
      namespace: 'ECG/RenderWorker',
      metricName: 'QueueDepth',
      dimensions: { AutoScalingGroupName: 'p-e-render-worker' },
    });
  });

  it('runs in the given subnets with its own group: no inbound, outbound only Redis and HTTPS', () => {
    const group = ref(json, 'aws_security_group', 'id');
    expect(fn.vpc_config).toEqual({ subnet_ids: BASE.subnetIds, security_group_ids: [group] });
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    const egress = Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'));
    expect(
      egress.map((r) => [r.ip_protocol, r.from_port, r.cidr_ipv4 ?? r.referenced_security_group_id]).sort(),
    ).toEqual([
      ['tcp', 443, '0.0.0.0/0'],
      ['tcp', 6379, 'sg-cache'],
    ]);
  });

  it('logs to its own log group with retention (CKV_AWS_338)', () => {
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toEqual({
      name: '/aws/lambda/p-e-queue-depth',
      retention_in_days: 30,
    });
    expect(fn.logging_config).toEqual({
      log_format: 'JSON',
      log_group: ref(json, 'aws_cloudwatch_log_group', 'name'),
    });
  });

  it('gives the function only that secret, that namespace, its log group and its network interfaces', () => {
    const policy = JSON.parse(
      (Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((p) => p.name === 'queue-depth') as Json)
        .policy,
    );
    const ec2 = (r: string) => `arn:aws:ec2:ap-northeast-2:123456789012:${r}`;
    expect(policy.Statement).toEqual([
      { Sid: 'RedisAuthToken', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET },
      {
        Sid: 'QueueMetrics',
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'ECG/RenderWorker' } },
      },
      {
        Sid: 'OwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${ref(json, 'aws_cloudwatch_log_group', 'arn')}:*`,
      },
      {
        Sid: 'VpcNetworkInterfaces',
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface'],
        Resource: [
          ec2('network-interface/*'),
          ec2('subnet/subnet-private-a'),
          ec2('subnet/subnet-private-c'),
          ec2(`security-group/${ref(json, 'aws_security_group', 'id')}`),
        ],
      },
      {
        Sid: 'VpcNetworkInterfaceLifecycle',
        Effect: 'Allow',
        Action: [
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: ec2('network-interface/*'),
      },
      {
        Sid: 'VpcDescribe',
        Effect: 'Allow',
        Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
        Resource: '*',
      },
      // Active tracing: X-Ray's write actions take no resource ARN, so "*".
      {
        Sid: 'XRayWrite',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: '*',
      },
    ]);
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toEqual({});
    expect(JSON.parse(roleNamed(json, 'p-e-queue-depth').assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
  });

  it('takes a rate of several minutes or a cron expression as its schedule', () => {
    for (const scheduleExpression of ['rate(10 minutes)', 'cron(0/5 * * * ? *)']) {
      const { json: other } = build({ ...BASE, scheduleExpression });
      expect(onlyResource(other, 'aws_scheduler_schedule').schedule_expression).toBe(scheduleExpression);
    }
  });

  it('is run every minute by EventBridge Scheduler through a role that may only invoke it', () => {
    expect(onlyResource(json, 'aws_scheduler_schedule')).toEqual({
      name: 'p-e-queue-depth',
      description: 'Publishes the render queue depth',
      schedule_expression: 'rate(1 minute)',
      flexible_time_window: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: ref(json, 'aws_lambda_function', 'arn'),
        role_arn: ref(json, 'aws_iam_role', 'arn', 'scheduler-role'),
        retry_policy: { maximum_retry_attempts: 0, maximum_event_age_in_seconds: 60 },
      },
    });
    const trust = JSON.parse(roleNamed(json, 'p-e-queue-depth-scheduler').assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
    const invoke = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find(
      (p) => p.name === 'invoke-queue-depth',
    ) as Json;
    expect(JSON.parse(invoke.policy).Statement).toEqual([
      {
        Sid: 'InvokeFunction',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: ref(json, 'aws_lambda_function', 'arn'),
      },
    ]);
    expect(onlyResource(json, 'aws_lambda_function_event_invoke_config')).toMatchObject({
      maximum_retry_attempts: 0,
      maximum_event_age_in_seconds: 60,
    });
  });

  it('has no public entry point: no function URL and no resource policy', () => {
    expect(resourcesOf(json, 'aws_lambda_function_url')).toEqual({});
    expect(resourcesOf(json, 'aws_lambda_permission')).toEqual({});
  });

  it('alarms the topic when the function fails and when the metric stops arriving', () => {
    const alarms = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm'));
    expect(alarms).toHaveLength(2);
    expect(alarms.find((a) => a.alarm_name === 'p-e-queue-depth-errors')).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: ref(json, 'aws_lambda_function', 'function_name') },
      statistic: 'Sum',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      alarm_actions: [TOPIC],
    });
    expect(alarms.find((a) => a.alarm_name === 'p-e-queue-depth-metric-missing')).toMatchObject({
      namespace: 'ECG/RenderWorker',
      metric_name: 'QueueDepth',
      dimensions: { AutoScalingGroupName: 'p-e-render-worker' },
      statistic: 'SampleCount',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
      alarm_actions: [TOPIC],
    });
  });

  it('fails when the queues, namespace, schedule, retention or secret are wrong', () => {
    const message = errorOf(() =>
      build({
        ...BASE,
        queues: ['render', 'render', 'a b'],
        metricNamespace: 'AWS/Lambda',
        scheduleExpression: 'every minute',
        logRetentionDays: 10,
        authTokenSecretArn: 'redis-token',
        timeoutSeconds: 900,
      }),
    );
    expect(message).toContain('stack/publisher.queues ["render","render","a b"] lists a queue twice');
    expect(message).toContain('stack/publisher.queues[2] a b must be a Celery queue name');
    expect(message).toContain(
      'stack/publisher.metricNamespace AWS/Lambda must be a custom CloudWatch namespace',
    );
    expect(message).toContain(
      'stack/publisher.scheduleExpression every minute must be an EventBridge Scheduler',
    );
    expect(message).toContain(
      'stack/publisher.logRetentionDays 10 must be one of CloudWatch Logs retention values',
    );
    expect(message).toContain(
      'stack/publisher.authTokenSecretArn redis-token must be a Secrets Manager secret ARN',
    );
    expect(message).toContain('stack/publisher.timeoutSeconds 900 must be an integer from 1 to 60');
  });

  it("passes the workers' kombu key layout to the function (Celery's priority recipe, a key prefix)", () => {
    const { json: custom } = build({
      ...BASE,
      prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      sep: ':',
      globalKeyprefix: 'ecg:',
      unackedKey: 'render-unacked',
    });
    expect(onlyResource(custom, 'aws_lambda_function').environment.variables).toMatchObject({
      CELERY_PRIORITY_STEPS: '0,1,2,3,4,5,6,7,8,9',
      CELERY_SEP_JSON: '":"',
      CELERY_KEY_PREFIX: 'ecg:',
      CELERY_UNACKED_KEY: 'render-unacked',
    });
  });

  it('fails when the kombu key layout is one kombu cannot use or the function cannot mirror', () => {
    const message = errorOf(() =>
      build({
        ...BASE,
        queues: ['render', 'render:gpu'],
        prioritySteps: [0, 6, 3, 12, 1.5],
        sep: ':',
        globalKeyprefix: 'my app:',
        unackedKey: '',
      }),
    );
    expect(message).toContain(
      "stack/publisher.prioritySteps[3] 12 must be an integer from 0 to 9: kombu clamps a message's priority to 0-9",
    );
    expect(message).toContain('stack/publisher.prioritySteps[4] 1.5 must be an integer from 0 to 9');
    expect(message).toContain(
      'stack/publisher.prioritySteps [0,6,3,12,1.5] must be in ascending order with no step twice',
    );
    expect(message).toContain('stack/publisher.sep ":" occurs in the queue name render:gpu');
    expect(message).toContain(
      "stack/publisher.globalKeyprefix my app: must be '' or up to 128 printable ASCII characters without spaces",
    );
    expect(message).toContain('stack/publisher.unackedKey "" must be 1 to 128 printable ASCII characters');
    expect(errorOf(() => build({ ...BASE, sep: '', prioritySteps: [] }))).toMatch(
      /stack\/publisher\.prioritySteps \[\] must list at least one step[\s\S]*stack\/publisher\.sep "" must be 1 to 16 characters/,
    );
  });

  it('fails when no queue is given', () => {
    expect(errorOf(() => build({ ...BASE, queues: [] }))).toContain(
      'stack/publisher.queues [] must list at least one Celery queue',
    );
  });
});
