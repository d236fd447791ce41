import { resolve } from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import type { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { AssetType, TerraformAsset, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LOG_RETENTION_DAYS } from '../lib/aws/limits';
import { SECRET_ARN_PATTERN } from '../lib/aws/arns';
import { xrayWriteStatement } from '../lib/aws/iam';
import { arnPartition } from '../lib/aws/regions';
import { bundleFunction, type FunctionBundle } from '../lib/function-bundle';
import { ManagedSecurityGroup, Peer } from '../lib/security-group';
import { IssueCollector, TERRAFORM_EXPRESSION, throwIfIssues } from '../lib/validation';
import { KOMBU_KEY_LAYOUT_DEFAULTS, checkKombuKeyLayout } from '../lib/celery-broker';
import { CLOUDWATCH_CUSTOM_NAMESPACE_PATTERN, CLOUDWATCH_METRIC_NAME_PATTERN } from '../lib/aws/limits';
import { NAME_PREFIX_PATTERN, NAME_PREFIX_RULE } from '../lib/naming';

/** Source of the function (bundled with its dependencies at synth). */
export const QUEUE_DEPTH_ENTRY = resolve(__dirname, '..', 'functions', 'queue-depth', 'handler.ts');

/**
 * Lambda runtime of the function. nodejs22.x: a supported Node.js LTS runtime (Lambda runtimes
 * page); the bundle targets the same major version.
 */
export const QUEUE_DEPTH_RUNTIME = 'nodejs22.x';

export interface QueueDepthPublisherProps {
  /** `<project>-<env>`; resources are named `<namePrefix>-queue-depth`. */
  readonly namePrefix: string;
  readonly region: string;
  /** Account id (a token is fine): scopes the scheduler's trust and the network-interface ARNs. */
  readonly accountId: string;
  readonly vpcId: string;
  /** Subnets with a route to the AWS APIs (NAT or endpoints) and to Redis: the private subnets. */
  readonly subnetIds: readonly string[];
  /** Primary endpoint of the Redis replication group (TLS). */
  readonly redisHost: string;
  /** @default 6379 */
  readonly redisPort?: number;
  /** Secrets Manager secret holding the Redis AUTH token alone. */
  readonly authTokenSecretArn: string;
  /** Celery queues the workers consume (`celery worker -Q ...`). */
  readonly queues: readonly string[];
  /**
   * The workers' kombu transport options that name the queues' keys in Redis (Celery's
   * `broker_transport_options`); the function must use the same values to find the jobs.
   * `priority_steps`. @default [0, 3, 6, 9] (kombu's)
   */
  readonly prioritySteps?: readonly number[];
  /** `sep`, between a queue name and its priority step. @default '\x06\x16' (kombu's) */
  readonly sep?: string;
  /** `global_keyprefix`. @default '' (none, kombu's) */
  readonly globalKeyprefix?: string;
  /** `unacked_key`, the hash of taken, unacknowledged jobs. @default 'unacked' (kombu's) */
  readonly unackedKey?: string;
  /** Namespace of the metrics (a custom one, not `AWS/...`). */
  readonly metricNamespace: string;
  /** Name of the backlog metric (queued + in progress), the one scaling reads. */
  readonly metricName: string;
  /** Dimensions the metrics are published with. @default none */
  readonly metricDimensions?: Readonly<Record<string, string>>;
  /** How often EventBridge Scheduler runs the function. @default 'rate(1 minute)' */
  readonly scheduleExpression?: string;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default 128 */
  readonly memoryMiB?: number;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** SNS topic of the publisher's alarms (errors, metric missing). */
  readonly alarmTopicArn: string;
}

type ResolvedProps = Required<QueueDepthPublisherProps>;

const QUEUE_PATTERN = /^[A-Za-z0-9_.:@-]{1,200}$/;
const SCHEDULE_PATTERN = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/;

/**
 * The platform's publisher of the render queue depth (docs/design.md, GPU scaling): a Node.js
 * Lambda function in the VPC, run every minute by EventBridge Scheduler, that reads the Celery
 * backlog from Redis over TLS with the AUTH token from Secrets Manager and puts it to CloudWatch.
 * Its role reads that one secret, puts metrics only in its namespace and writes only its own log
 * group; its security group reaches Redis (via `allowTo`) and HTTPS. Alarms fire when it fails
 * and when the metric stops arriving.
 */
export class QueueDepthPublisher extends Construct {
  public readonly functionName: string;
  public readonly functionArn: string;
  public readonly securityGroupId: string;
  public readonly roleArn: string;
  /** Name of the Lambda function's log group. */
  public readonly logGroupName: string;
  /** The metric scaling reads: namespace, name and dimensions as published. */
  public readonly metric: {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
  };

  public readonly securityGroup: ManagedSecurityGroup;
  public readonly role: IamRole;
  public readonly logGroup: CloudwatchLogGroup;
  /** The esbuild bundle the archive is made of. */
  public readonly bundle: FunctionBundle;
  public readonly asset: TerraformAsset;
  public readonly function: LambdaFunction;
  public readonly schedulerRole: IamRole;
  public readonly schedule: SchedulerSchedule;
  /** `errors` (the function failed) and `metric-missing` (no data point for 5 minutes). */
  public readonly alarms: {
    readonly errors: CloudwatchMetricAlarm;
    readonly metricMissing: CloudwatchMetricAlarm;
  };

  constructor(scope: Construct, id: string, props: QueueDepthPublisherProps) {
    super(scope, id);
    const p: ResolvedProps = {
      ...props,
      redisPort: props.redisPort ?? 6379,
      prioritySteps: props.prioritySteps ?? KOMBU_KEY_LAYOUT_DEFAULTS.prioritySteps,
      sep: props.sep ?? KOMBU_KEY_LAYOUT_DEFAULTS.sep,
      globalKeyprefix: props.globalKeyprefix ?? KOMBU_KEY_LAYOUT_DEFAULTS.globalKeyprefix,
      unackedKey: props.unackedKey ?? KOMBU_KEY_LAYOUT_DEFAULTS.unackedKey,
      metricDimensions: props.metricDimensions ?? {},
      scheduleExpression: props.scheduleExpression ?? 'rate(1 minute)',
      logRetentionDays: props.logRetentionDays ?? 30,
      memoryMiB: props.memoryMiB ?? 128,
      timeoutSeconds: props.timeoutSeconds ?? 30,
    };
    this.validate(p);
    const name = `${p.namePrefix}-queue-depth`;
    const partition = arnPartition(p.region);
    const ec2Arn = (resource: string) => `arn:${partition}:ec2:${p.region}:${p.accountId}:${resource}`;
    this.metric = { namespace: p.metricNamespace, metricName: p.metricName, dimensions: p.metricDimensions };

    this.securityGroup = new ManagedSecurityGroup(this, 'security-group', {
      vpcId: p.vpcId,
      name,
      description: `${name} function: Redis and the AWS APIs`,
    });
    this.securityGroupId = this.securityGroup.securityGroupId;
    // Secrets Manager and CloudWatch public endpoints through the NAT gateways.
    this.securityGroup.allowTo(Peer.anyIpv4(), 443, 'HTTPS to Secrets Manager and CloudWatch');

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/lambda/${name}`,
      retentionInDays: p.logRetentionDays,
    });
    this.logGroupName = this.logGroup.name;

    this.role = new IamRole(this, 'role', {
      name,
      description: `Execution role of the ${name} function`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    this.roleArn = this.role.arn;
    new IamRolePolicy(this, 'access', {
      name: 'queue-depth',
      role: this.role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'RedisAuthToken',
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: p.authTokenSecretArn,
          },
          {
            // PutMetricData has no resource-level permissions; the namespace condition key scopes
            // it (CloudWatch: "Using condition keys to limit access to CloudWatch namespaces").
            Sid: 'QueueMetrics',
            Effect: 'Allow',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': p.metricNamespace } },
          },
          {
            Sid: 'OwnLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${this.logGroup.arn}:*`,
          },
          {
            // What AWSLambdaVPCAccessExecutionRole grants for the function's network interfaces,
            // scoped to this account, region, subnets and security group. Describe* takes only "*".
            Sid: 'VpcNetworkInterfaces',
            Effect: 'Allow',
            Action: ['ec2:CreateNetworkInterface'],
            Resource: [
              ec2Arn('network-interface/*'),
              ...p.subnetIds.map((s) => ec2Arn(`subnet/${s}`)),
              ec2Arn(`security-group/${this.securityGroupId}`),
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
            Resource: ec2Arn('network-interface/*'),
          },
          {
            Sid: 'VpcDescribe',
            Effect: 'Allow',
            Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
            Resource: '*',
          },
          // Active tracing: Lambda sends the function's segments with the execution role.
          xrayWriteStatement({ sampling: false }),
        ],
      }),
    });

    const bundle = bundleFunction('queue-depth', QUEUE_DEPTH_ENTRY);
    this.bundle = bundle;
    // The bundle's prepared zip, copied as it is: an ARCHIVE asset zipped the folder again on every
    // synth, in a child process. Same hash, same file name: the function's filename is unchanged.
    this.asset = new TerraformAsset(this, 'code', {
      path: bundle.archive,
      type: AssetType.FILE,
      assetHash: bundle.assetHash,
    });
    this.function = new LambdaFunction(this, 'function', {
      functionName: name,
      description: 'Puts the Celery backlog (queued + in progress) to CloudWatch every minute',
      role: this.role.arn,
      runtime: QUEUE_DEPTH_RUNTIME,
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: this.asset.path,
      // A content trigger only: the provider reports the deployed package's own hash as code_sha256.
      sourceCodeHash: bundle.sha256,
      memorySize: p.memoryMiB,
      timeout: p.timeoutSeconds,
      vpcConfig: { subnetIds: [...p.subnetIds], securityGroupIds: [this.securityGroupId] },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      // Active: Lambda samples and records every invocation's segment (Redis and CloudWatch calls
      // show as time inside it); the role may send traces.
      tracingConfig: { mode: 'Active' },
      environment: {
        variables: {
          REDIS_HOST: p.redisHost,
          REDIS_PORT: String(p.redisPort),
          REDIS_TLS: 'true',
          REDIS_AUTH_SECRET_ARN: p.authTokenSecretArn,
          CELERY_QUEUES: p.queues.join(','),
          CELERY_PRIORITY_STEPS: p.prioritySteps.join(','),
          // JSON: kombu's default separator is two control characters.
          CELERY_SEP_JSON: JSON.stringify(p.sep),
          CELERY_KEY_PREFIX: p.globalKeyprefix,
          CELERY_UNACKED_KEY: p.unackedKey,
          METRIC_NAMESPACE: p.metricNamespace,
          METRIC_NAME: p.metricName,
          METRIC_DIMENSIONS: JSON.stringify(p.metricDimensions),
        },
      },
      tags: { Name: name },
    });
    this.functionName = this.function.functionName;
    this.functionArn = this.function.arn;
    // A run retried a minute late only repeats the next run: no asynchronous retries.
    new LambdaFunctionEventInvokeConfig(this, 'invoke-config', {
      functionName: this.function.functionName,
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 60,
    });

    this.schedulerRole = new IamRole(this, 'scheduler-role', {
      name: `${name}-scheduler`,
      description: `EventBridge Scheduler runs the ${name} function`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Confused-deputy guard: only schedules of this account may use the role.
            Condition: { StringEquals: { 'aws:SourceAccount': p.accountId } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'scheduler-access', {
      name: 'invoke-queue-depth',
      role: this.schedulerRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'InvokeFunction',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: this.function.arn,
          },
        ],
      }),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name,
      description: 'Publishes the render queue depth',
      scheduleExpression: p.scheduleExpression,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.function.arn,
        roleArn: this.schedulerRole.arn,
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
      },
    });

    const dimensions = Object.keys(p.metricDimensions).length > 0 ? p.metricDimensions : undefined;
    this.alarms = {
      errors: new CloudwatchMetricAlarm(this, 'errors-alarm', {
        alarmName: `${name}-errors`,
        alarmDescription: `${name} failed in 2 of the last 3 minutes: the render queue depth is not published`,
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: this.function.functionName },
        statistic: 'Sum',
        period: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        treatMissingData: 'notBreaching',
        alarmActions: [p.alarmTopicArn],
        okActions: [p.alarmTopicArn],
      }),
      metricMissing: new CloudwatchMetricAlarm(this, 'metric-missing-alarm', {
        alarmName: `${name}-metric-missing`,
        alarmDescription: `No ${p.metricNamespace} ${p.metricName} data point for 5 minutes: render scaling is blind`,
        namespace: p.metricNamespace,
        metricName: p.metricName,
        dimensions,
        statistic: 'SampleCount',
        period: 60,
        evaluationPeriods: 5,
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        // The function publishes every minute, 0 included: silence means it is broken.
        treatMissingData: 'breaching',
        alarmActions: [p.alarmTopicArn],
        okActions: [p.alarmTopicArn],
      }),
    };
  }

  /** Allows the function to reach `peer` (the Redis security group) on `port`. */
  public allowTo(peer: Peer, port: number, description: string): VpcSecurityGroupEgressRule {
    return this.securityGroup.allowTo(peer, port, description);
  }

  private validate(p: ResolvedProps): void {
    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(p.namePrefix, NAME_PREFIX_PATTERN, NAME_PREFIX_RULE);
    v.at('namePrefix').check(
      `${p.namePrefix}-queue-depth-scheduler`.length <= 64,
      p.namePrefix,
      'makes the scheduler role name longer than 64 characters',
    );
    if (Token.isUnresolved(p.subnetIds)) {
      v.at('subnetIds').report(
        TERRAFORM_EXPRESSION,
        'must be a list of subnet ids known at synth: the function role’s policy names each subnet',
      );
    } else {
      v.at('subnetIds').check(p.subnetIds.length > 0, p.subnetIds, 'must list at least one subnet');
    }
    v.at('redisPort').intRange(p.redisPort, 1, 65535);
    if (!Token.isUnresolved(p.authTokenSecretArn)) {
      v.at('authTokenSecretArn').matches(
        p.authTokenSecretArn,
        SECRET_ARN_PATTERN,
        'must be a Secrets Manager secret ARN',
      );
    }
    v.at('queues').check(p.queues.length > 0, p.queues, 'must list at least one Celery queue');
    p.queues.forEach((q, i) =>
      v.at('queues').at(i).matches(q, QUEUE_PATTERN, 'must be a Celery queue name (no spaces or commas)'),
    );
    v.at('queues').check(new Set(p.queues).size === p.queues.length, p.queues, 'lists a queue twice');
    checkKombuKeyLayout(v, p, p.queues);
    v.at('metricNamespace').matches(
      p.metricNamespace,
      CLOUDWATCH_CUSTOM_NAMESPACE_PATTERN,
      'must be a custom CloudWatch namespace (not AWS/...)',
    );
    v.at('metricName').matches(
      p.metricName,
      CLOUDWATCH_METRIC_NAME_PATTERN,
      'must be a CloudWatch metric name',
    );
    v.at('scheduleExpression').matches(
      p.scheduleExpression,
      SCHEDULE_PATTERN,
      'must be an EventBridge Scheduler rate(...) or cron(...) expression',
    );
    v.at('logRetentionDays').oneOf(
      p.logRetentionDays,
      LOG_RETENTION_DAYS,
      'one of CloudWatch Logs retention values',
    );
    v.at('memoryMiB').intRange(p.memoryMiB, 128, 10240);
    v.at('timeoutSeconds').intRange(p.timeoutSeconds, 1, 60);
    throwIfIssues(v.issues);
  }
}
