import { createHash } from 'node:crypto';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Password } from '@cdktf/provider-random/lib/password';
import { Token, dependable } from 'cdktf';
import { Construct } from 'constructs';
import { elbAccessLogsStatement } from '../lib/elb-access-logs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { ECS_CONTAINER_NAME_PATTERN, LOG_RETENTION_DAYS, fargateSizeProblems } from '../lib/aws/limits';
import type { PolicyStatement } from '../lib/secure-bucket';
import { ManagedSecurityGroup, Peer, type PortSpec } from '../lib/security-group';
import { ACM_CERTIFICATE_ARN_PATTERN, SECRET_ARN_PATTERN } from '../lib/aws/arns';
import { REGION_PATTERN } from '../lib/aws/regions';

/** Container health check, run by ECS inside the task. */
export interface ContainerHealthCheck {
  /** `['CMD-SHELL', '<shell command>']` or `['CMD', '<executable>', ...args]`. */
  readonly command: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  /** Failures during this time after start do not count. */
  readonly startPeriodSeconds: number;
}

/** Health check of the ALB target group. */
export interface TargetHealthCheck {
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** HTTP codes, e.g. `200` or `200-299`. */
  readonly matcher: string;
}

/** One secret of the container's environment, read by ECS from Secrets Manager at task start. */
export interface ContainerSecret {
  /** Environment variable name inside the container. */
  readonly name: string;
  /** ARN of the Secrets Manager secret (no `:key::` suffix); it is what the execution role may read. */
  readonly secretArn: string;
  /** JSON key inside the secret's value (e.g. `password` of an RDS-managed secret). @default the whole value */
  readonly jsonKey?: string;
}

export interface EcsApiServiceProps {
  /** `<project>-<env>`; every resource name starts with it. */
  readonly namePrefix: string;
  /** Region of the stack: the awslogs region, and the ELB account of the access-logs statement. */
  readonly region: string;
  readonly vpcId: string;
  /** Subnets of the API tasks (no public IPs are assigned). */
  readonly privateSubnetIds: readonly string[];
  /** Subnets of the internet-facing ALB; at least two, in different AZs. */
  readonly publicSubnetIds: readonly string[];
  /**
   * Make the ALB internal: it sits in `privateSubnetIds` (at least two, in different AZs) with no
   * public address and no ingress from the internet; callers open it with `allowToAlb` (for
   * example to a CloudFront VPC origin).
   * @default false - internet-facing in `publicSubnetIds`, open on 80 and 443
   */
  readonly internalAlb?: boolean;

  /** Container image. Any string or token, e.g. an expression over Terraform variables. */
  readonly image: string;
  /** Fargate task CPU units (256 ... 16384). */
  readonly cpu: number;
  /** Fargate task memory in MiB; must be a size Fargate allows with `cpu`. */
  readonly memoryMiB: number;
  /** @default 'api' */
  readonly containerName?: string;
  /** Port the container listens on; also the target group port. @default 8000 */
  readonly containerPort?: number;
  /** @default `curl -f http://localhost:8000/health`, interval 30 s, timeout 5 s, 3 retries, start period 60 s */
  readonly healthCheck?: ContainerHealthCheck;
  /** Plain environment variables (values may be tokens). Never put secrets here. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets injected as environment variables. `SECRET_KEY` is generated by this construct and
   * added to them; the execution role may read exactly these secrets.
   * @default [] - only SECRET_KEY
   */
  readonly secrets?: readonly ContainerSecret[];
  /** Retention of the API and ECS Exec log groups; one of CloudWatch Logs' values. */
  readonly logRetentionDays: number;
  /** Days a deleted SECRET_KEY secret stays recoverable (0 deletes at once). @default 30 */
  readonly secretRecoveryWindowDays?: number;
  /** ARN of the video bucket the API reads and writes. */
  readonly videoBucketArn: string;

  /** Initial task count; autoscaling owns it afterwards. */
  readonly desiredCount: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Target of the CPU tracking policy. @default 70 */
  readonly cpuTargetPercent?: number;
  /** Target of the memory tracking policy. @default 80 */
  readonly memoryTargetPercent?: number;
  /** @default 200 */
  readonly deploymentMaximumPercent?: number;
  /** @default 50 */
  readonly deploymentMinimumHealthyPercent?: number;
  /** Time after a task starts during which failed ALB health checks are ignored. @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Weight of FARGATE_SPOT next to FARGATE (base 1, weight 1) in the service's capacity
   * provider strategy.
   * @default 0 - on-demand FARGATE only
   */
  readonly fargateSpotWeight?: number;
  /**
   * ECS Exec on the service, its ssmmessages permissions, and writable volumes for the agent
   * (see the task definition).
   * @default true
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * For teams whose CI registers task definitions: Terraform then ignores the service's
   * `task_definition`, so an apply does not roll back a deployed revision.
   * @default false
   */
  readonly ignoreTaskDefinitionChanges?: boolean;
  /** CloudWatch Container Insights mode of the cluster. @default 'enabled' */
  readonly containerInsights?: 'enabled' | 'enhanced';

  /** ACM certificate of the ALB. With it: HTTPS on 443 and 80 redirects to 443. @default HTTP only */
  readonly certificateArn?: string;
  /** TLS policy of the HTTPS listener. @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
  /** @default `/health`, interval 30, timeout 5, healthy 5, unhealthy 2, matcher 200 */
  readonly targetHealthCheck?: TargetHealthCheck;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Time the target group drains a deregistering task. @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Bucket of the ALB access logs. The bucket owner must allow ELB to write (see
   * `accessLogsBucketStatement`), and ELB checks that when the ALB is created: pass the name
   * through the bucket policy resource (e.g. `bucket.policy.bucket`) so the ALB waits for it.
   * The bucket must use SSE-S3.
   * @default no access logs
   */
  readonly accessLogsBucket?: string;
  /** Key prefix of the access logs (no leading or trailing slash). @default 'alb' */
  readonly accessLogsPrefix?: string;
}

const DEFAULT_HEALTH_CHECK: ContainerHealthCheck = {
  command: ['CMD-SHELL', 'curl -f http://localhost:8000/health || exit 1'],
  intervalSeconds: 30,
  timeoutSeconds: 5,
  retries: 3,
  startPeriodSeconds: 60,
};

const DEFAULT_TARGET_HEALTH_CHECK: TargetHealthCheck = {
  path: '/health',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  matcher: '200',
};

export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
const SECRET_KEY_NAME = 'SECRET_KEY';

const NAME_PREFIX_PATTERN = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that say "this is a secret": such values belong in `secrets`, not in plain environment. */
const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;
const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/;

/**
 * ALB and target group names may have 32 characters. Longer `<prefix>-<thing>` names keep their
 * start and `thing` and get a short hash of the full name, so they stay unique and stable.
 */
function awsLbName(prefix: string, thing: string): string {
  const full = `${prefix}-${thing}`;
  if (full.length <= 32) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 4);
  const head = prefix.slice(0, 32 - thing.length - hash.length - 2).replace(/-+$/, '');
  return `${head}-${hash}-${thing}`;
}

const known = (value: string | undefined): value is string =>
  value !== undefined && !Token.isUnresolved(value);

function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const ECS_TASKS_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

/**
 * The API tier: an ECS cluster (Container Insights, ECS Exec logged to CloudWatch, FARGATE and
 * FARGATE_SPOT), the API task definition and its separate execution and task roles, a generated
 * SECRET_KEY in Secrets Manager, the Fargate service in the private subnets with CPU and memory
 * target tracking, and the ALB (internet-facing, or internal with `internalAlb`) with its own
 * security group in front of it.
 */
export class EcsApiService extends Construct {
  public readonly cluster: EcsCluster;
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly capacityProviders: EcsClusterCapacityProviders;

  public readonly taskDefinition: EcsTaskDefinition;
  public readonly taskDefinitionArn: string;
  public readonly service: EcsService;
  public readonly serviceName: string;
  public readonly containerName: string;
  public readonly containerPort: number;

  public readonly logGroup: CloudwatchLogGroup;
  /** `/ecs/<namePrefix>-api`: the container's logs. */
  public readonly logGroupName: string;
  public readonly execLogGroup: CloudwatchLogGroup;
  /** `/ecs/<namePrefix>/exec`: ECS Exec session logs. */
  public readonly execLogGroupName: string;

  public readonly executionRole: IamRole;
  public readonly executionRoleArn: string;
  public readonly taskRole: IamRole;
  public readonly taskRoleArn: string;

  public readonly secretKeySecret: SecretsmanagerSecret;
  public readonly secretKeySecretArn: string;
  /** ARNs the execution role may read (the container's secrets, SECRET_KEY included). */
  public readonly secretArns: readonly string[];

  public readonly apiSecurityGroup: ManagedSecurityGroup;
  public readonly apiSecurityGroupId: string;
  public readonly albSecurityGroup: ManagedSecurityGroup;
  public readonly albSecurityGroupId: string;

  public readonly alb: Lb;
  public readonly albArn: string;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics. */
  public readonly albArnSuffix: string;
  public readonly albDnsName: string;
  /** True when the ALB is internal (private subnets, no public address). */
  public readonly albInternal: boolean;
  public readonly albZoneId: string;
  public readonly targetGroup: LbTargetGroup;
  public readonly targetGroupArn: string;
  /** `targetgroup/<name>/<id>`: the `TargetGroup` dimension of ALB metrics. */
  public readonly targetGroupArnSuffix: string;
  /** Port 80: forwards to the target group, or redirects to 443 when a certificate is set. */
  public readonly httpListener: LbListener;
  /** Port 443; only with a certificate. */
  public readonly httpsListener?: LbListener;
  /** The listener that forwards to the API (HTTPS with a certificate, else HTTP). */
  public readonly servingListener: LbListener;

  public readonly scalableTarget: AppautoscalingTarget;
  public readonly cpuScalingPolicy: AppautoscalingPolicy;
  public readonly memoryScalingPolicy: AppautoscalingPolicy;

  private readonly region: string;
  private readonly accessLogsPrefix: string;
  private headerRule?: LbListenerRule;

  constructor(scope: Construct, id: string, props: EcsApiServiceProps) {
    super(scope, id);
    const containerName = props.containerName ?? 'api';
    const containerPort = props.containerPort ?? 8000;
    const healthCheck = props.healthCheck ?? DEFAULT_HEALTH_CHECK;
    const targetHealthCheck = props.targetHealthCheck ?? DEFAULT_TARGET_HEALTH_CHECK;
    const environment = props.environment ?? {};
    const secrets = props.secrets ?? [];
    const cpuTarget = props.cpuTargetPercent ?? 70;
    const memoryTarget = props.memoryTargetPercent ?? 80;
    const maxPercent = props.deploymentMaximumPercent ?? 200;
    const minHealthyPercent = props.deploymentMinimumHealthyPercent ?? 50;
    const gracePeriod = props.healthCheckGracePeriodSeconds ?? 60;
    const spotWeight = props.fargateSpotWeight ?? 0;
    const exec = props.enableExecuteCommand ?? true;
    const sslPolicy = props.sslPolicy ?? DEFAULT_SSL_POLICY;
    const idleTimeout = props.idleTimeoutSeconds ?? 60;
    const deregistrationDelay = props.deregistrationDelaySeconds ?? 30;
    const recoveryWindow = props.secretRecoveryWindowDays ?? 30;
    this.accessLogsPrefix = props.accessLogsPrefix ?? 'alb';
    this.region = props.region;

    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(
      props.namePrefix,
      NAME_PREFIX_PATTERN,
      'must be 2-40 lowercase letters, digits or hyphens, starting with a letter (names like <namePrefix>-api-execution must fit AWS limits)',
    );
    if (known(props.region))
      v.at('region').matches(props.region, REGION_PATTERN, 'must be an AWS region like ap-northeast-2');
    v.at('privateSubnetIds').check(
      props.privateSubnetIds.length >= 1,
      props.privateSubnetIds,
      'must list at least one subnet',
    );
    v.at('publicSubnetIds').check(
      props.publicSubnetIds.length >= 2,
      props.publicSubnetIds,
      'must list at least two subnets (an ALB spans two or more AZs)',
    );
    if (props.internalAlb) {
      v.at('privateSubnetIds').check(
        props.privateSubnetIds.length >= 2,
        props.privateSubnetIds,
        'must list at least two subnets with internalAlb (the ALB then spans the private subnets)',
      );
    }
    v.at('image').check(props.image !== '', props.image, 'must name a container image');
    const size = fargateSizeProblems(props.cpu, props.memoryMiB);
    if (size.cpu) v.at('cpu').report(props.cpu, size.cpu);
    if (size.memoryMiB) v.at('memoryMiB').report(props.memoryMiB, size.memoryMiB);
    v.at('containerName').matches(
      containerName,
      ECS_CONTAINER_NAME_PATTERN,
      'must be 1-255 letters, digits, _ or -',
    );
    v.at('containerPort').intRange(containerPort, 1, 65535);
    const hc = v.at('healthCheck');
    hc.at('command').check(
      healthCheck.command.length >= 2 && ['CMD', 'CMD-SHELL'].includes(healthCheck.command[0]),
      healthCheck.command,
      'must start with CMD or CMD-SHELL followed by the command',
    );
    hc.at('intervalSeconds').intRange(healthCheck.intervalSeconds, 5, 300);
    hc.at('timeoutSeconds').intRange(healthCheck.timeoutSeconds, 2, 60);
    hc.at('retries').intRange(healthCheck.retries, 1, 10);
    hc.at('startPeriodSeconds').intRange(healthCheck.startPeriodSeconds, 0, 300);
    v.at('logRetentionDays').check(
      (LOG_RETENTION_DAYS as readonly number[]).includes(props.logRetentionDays),
      props.logRetentionDays,
      `must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
    );
    v.at('secretRecoveryWindowDays').check(
      recoveryWindow === 0 ||
        (Number.isInteger(recoveryWindow) && recoveryWindow >= 7 && recoveryWindow <= 30),
      recoveryWindow,
      'must be 0 or an integer from 7 to 30',
    );

    for (const name of Object.keys(environment)) {
      const e = v.at('environment').at(name);
      e.matches(name, ENV_NAME_PATTERN, 'must be an environment variable name (letters, digits, _)');
      e.check(
        name === SECRET_KEY_NAME || !SECRET_LIKE_NAME.test(name),
        '(value hidden)',
        'looks like a secret: pass it through secrets (Secrets Manager), never as plain environment',
      );
      e.check(name !== SECRET_KEY_NAME, name, 'is reserved: this construct generates SECRET_KEY');
    }
    const secretNames = new Set<string>();
    secrets.forEach((s, i) => {
      const e = v.at('secrets').at(i);
      e.at('name').matches(
        s.name,
        ENV_NAME_PATTERN,
        'must be an environment variable name (letters, digits, _)',
      );
      e.at('name').check(
        s.name !== SECRET_KEY_NAME,
        s.name,
        'is reserved: this construct generates SECRET_KEY',
      );
      e.at('name').check(!secretNames.has(s.name), s.name, 'is listed twice');
      e.at('name').check(!(s.name in environment), s.name, 'is also a plain environment variable');
      secretNames.add(s.name);
      if (known(s.secretArn))
        e.at('secretArn').matches(
          s.secretArn,
          SECRET_ARN_PATTERN,
          'must be a Secrets Manager secret ARN without a :key:: suffix',
        );
      if (s.jsonKey !== undefined && known(s.jsonKey))
        e.at('jsonKey').matches(s.jsonKey, /^[^:\s]+$/, 'must be a JSON key without colons or spaces');
    });

    v.at('minCapacity').intRange(props.minCapacity, 0, 1000);
    v.at('maxCapacity').check(
      Number.isInteger(props.maxCapacity) && props.maxCapacity >= Math.max(1, props.minCapacity),
      props.maxCapacity,
      `must be an integer >= minCapacity (${props.minCapacity}) and >= 1`,
    );
    v.at('desiredCount').check(
      Number.isInteger(props.desiredCount) &&
        props.desiredCount >= props.minCapacity &&
        props.desiredCount <= props.maxCapacity,
      props.desiredCount,
      `must satisfy minCapacity <= desiredCount <= maxCapacity (${props.minCapacity}, ${props.maxCapacity})`,
    );
    v.at('cpuTargetPercent').intRange(cpuTarget, 1, 100);
    v.at('memoryTargetPercent').intRange(memoryTarget, 1, 100);
    v.at('deploymentMaximumPercent').intRange(maxPercent, 100, 200);
    v.at('deploymentMinimumHealthyPercent').intRange(minHealthyPercent, 0, 100);
    v.at('healthCheckGracePeriodSeconds').intRange(gracePeriod, 0, 2147483647);
    v.at('fargateSpotWeight').intRange(spotWeight, 0, 1000);

    if (known(props.certificateArn))
      v.at('certificateArn').matches(
        props.certificateArn,
        ACM_CERTIFICATE_ARN_PATTERN,
        'must be an ACM certificate ARN',
      );
    v.at('sslPolicy').matches(
      sslPolicy,
      /^ELBSecurityPolicy-(TLS13-1-2|TLS-1-2)/,
      'must be an ELB security policy that requires TLS 1.2+',
    );
    const thc = v.at('targetHealthCheck');
    thc.at('path').matches(targetHealthCheck.path, /^\/\S*$/, 'must be a path starting with /');
    thc.at('intervalSeconds').intRange(targetHealthCheck.intervalSeconds, 5, 300);
    thc.at('timeoutSeconds').intRange(targetHealthCheck.timeoutSeconds, 2, 120);
    thc
      .at('timeoutSeconds')
      .check(
        targetHealthCheck.timeoutSeconds < targetHealthCheck.intervalSeconds,
        targetHealthCheck.timeoutSeconds,
        `must be less than intervalSeconds (${targetHealthCheck.intervalSeconds})`,
      );
    thc.at('healthyThreshold').intRange(targetHealthCheck.healthyThreshold, 2, 10);
    thc.at('unhealthyThreshold').intRange(targetHealthCheck.unhealthyThreshold, 2, 10);
    thc
      .at('matcher')
      .matches(targetHealthCheck.matcher, /^\d{3}([,-]\d{3})*$/, 'must be HTTP codes like 200 or 200-299');
    v.at('idleTimeoutSeconds').intRange(idleTimeout, 1, 4000);
    v.at('deregistrationDelaySeconds').intRange(deregistrationDelay, 0, 3600);
    v.at('accessLogsPrefix').matches(
      this.accessLogsPrefix,
      /^(?!.*AWSLogs)[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/,
      'must be an S3 key prefix without leading or trailing slash and without AWSLogs',
    );
    throwIfIssues(v.issues);

    const prefix = props.namePrefix;
    this.containerName = containerName;
    this.containerPort = containerPort;

    // Cluster ------------------------------------------------------------------------------
    this.execLogGroup = new CloudwatchLogGroup(this, 'exec-logs', {
      name: `/ecs/${prefix}/exec`,
      retentionInDays: props.logRetentionDays,
    });
    this.execLogGroupName = this.execLogGroup.name;

    this.cluster = new EcsCluster(this, 'cluster', {
      name: `${prefix}-cluster`,
      setting: [{ name: 'containerInsights', value: props.containerInsights ?? 'enabled' }],
      configuration: {
        executeCommandConfiguration: {
          logging: 'OVERRIDE',
          logConfiguration: { cloudWatchLogGroupName: this.execLogGroup.name },
        },
      },
    });
    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;

    this.capacityProviders = new EcsClusterCapacityProviders(this, 'capacity-providers', {
      clusterName: this.cluster.name,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }],
    });

    // Secrets and roles ----------------------------------------------------------------------
    // Alphanumeric only: 64 characters of [A-Za-z0-9] are ~380 bits, and nothing needs escaping.
    // Not rotated: rotating it would sign every session out; replace it deliberately instead.
    const secretKey = new Password(this, 'secret-key', { length: 64, special: false });
    this.secretKeySecret = new SecretsmanagerSecret(this, 'secret-key-secret', {
      name: `${prefix}-api-secret-key`,
      description: `SECRET_KEY of the ${prefix} API (generated by Terraform)`,
      recoveryWindowInDays: recoveryWindow,
    });
    this.secretKeySecretArn = this.secretKeySecret.arn;
    new SecretsmanagerSecretVersion(this, 'secret-key-version', {
      secretId: this.secretKeySecret.id,
      secretString: secretKey.result,
    });

    const allSecrets: ContainerSecret[] = [
      ...secrets,
      { name: SECRET_KEY_NAME, secretArn: this.secretKeySecretArn },
    ];
    this.secretArns = [...new Set(allSecrets.map((s) => s.secretArn))];

    this.executionRole = new IamRole(this, 'execution-role', {
      name: `${prefix}-api-execution`,
      description: 'ECS agent: pulls the API image, writes its logs, reads its secrets',
      assumeRolePolicy: ECS_TASKS_TRUST,
    });
    this.executionRoleArn = this.executionRole.arn;
    const executionManaged = new IamRolePolicyAttachment(this, 'execution-managed', {
      role: this.executionRole.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    });
    const executionSecrets = new IamRolePolicy(this, 'execution-secrets', {
      name: 'read-container-secrets',
      role: this.executionRole.id,
      policy: policyDocument([
        {
          Sid: 'ReadContainerSecrets',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: this.secretArns,
        },
      ]),
    });

    this.taskRole = new IamRole(this, 'task-role', {
      name: `${prefix}-api-task`,
      description: 'The API application: video bucket access and ECS Exec',
      assumeRolePolicy: ECS_TASKS_TRUST,
    });
    this.taskRoleArn = this.taskRole.arn;
    const taskStatements: PolicyStatement[] = [
      {
        Sid: 'VideoObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${props.videoBucketArn}/*`,
      },
      { Sid: 'VideoList', Effect: 'Allow', Action: 's3:ListBucket', Resource: props.videoBucketArn },
    ];
    if (exec) {
      taskStatements.push(
        // The Session Manager channel actions have no resource type: IAM accepts only "*".
        {
          Sid: 'EcsExecChannels',
          Effect: 'Allow',
          Action: [
            'ssmmessages:CreateControlChannel',
            'ssmmessages:CreateDataChannel',
            'ssmmessages:OpenControlChannel',
            'ssmmessages:OpenDataChannel',
          ],
          Resource: '*',
        },
        // The agent looks the exec log group up with DescribeLogGroups, a list action that
        // takes no resource ARN; writing is limited to the exec log group.
        { Sid: 'EcsExecFindLogGroup', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
        {
          Sid: 'EcsExecWriteLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          Resource: `${this.execLogGroup.arn}:*`,
        },
      );
    }
    const taskPolicy = new IamRolePolicy(this, 'task-policy', {
      name: 'api-task',
      role: this.taskRole.id,
      policy: policyDocument(taskStatements),
    });

    // Task definition ------------------------------------------------------------------------
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/ecs/${prefix}-api`,
      retentionInDays: props.logRetentionDays,
    });
    this.logGroupName = this.logGroup.name;

    // The root file system is read-only; these task volumes are the only writable paths. The
    // ECS Exec agent writes under /managed-agents and /var/{lib,log}/amazon/ssm: AWS documents
    // Exec as unsupported with a read-only root, and these volumes are the known workaround.
    const writable: { volume: string; path: string }[] = [{ volume: 'tmp', path: '/tmp' }];
    if (exec) {
      writable.push(
        { volume: 'exec-agents', path: '/managed-agents' },
        { volume: 'ssm-lib', path: '/var/lib/amazon/ssm' },
        { volume: 'ssm-log', path: '/var/log/amazon/ssm' },
      );
    }

    const containerDefinition = {
      name: containerName,
      image: props.image,
      essential: true,
      privileged: false,
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort, hostPort: containerPort, protocol: 'tcp' }],
      environment: Object.keys(environment)
        .sort()
        .map((name) => ({ name, value: environment[name] })),
      secrets: allSecrets
        .map((s) => ({ name: s.name, valueFrom: s.jsonKey ? `${s.secretArn}:${s.jsonKey}::` : s.secretArn }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      healthCheck: {
        command: [...healthCheck.command],
        interval: healthCheck.intervalSeconds,
        timeout: healthCheck.timeoutSeconds,
        retries: healthCheck.retries,
        startPeriod: healthCheck.startPeriodSeconds,
      },
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': this.logGroup.name,
          'awslogs-region': props.region,
          'awslogs-stream-prefix': containerName,
        },
      },
      mountPoints: writable.map((w) => ({ sourceVolume: w.volume, containerPath: w.path, readOnly: false })),
      volumesFrom: [],
      // ECS Exec needs an init process to reap the sessions' child processes.
      linuxParameters: { initProcessEnabled: true },
    };

    this.taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      family: `${prefix}-api`,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu),
      memory: String(props.memoryMiB),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      containerDefinitions: JSON.stringify([containerDefinition]),
      volume: writable.map((w) => ({ name: w.volume })),
    });
    this.taskDefinitionArn = this.taskDefinition.arn;

    // Security groups ------------------------------------------------------------------------
    const internalAlb = props.internalAlb ?? false;
    this.albInternal = internalAlb;
    // The description stays the same for an internal ALB: changing it replaces the group, and a
    // create-before-destroy replacement under the same name fails (InvalidGroup.Duplicate).
    this.albSecurityGroup = new ManagedSecurityGroup(this, 'alb-sg', {
      vpcId: props.vpcId,
      name: `${prefix}-alb`,
      description: `Internet-facing ALB of the ${prefix} API`,
    });
    this.albSecurityGroupId = this.albSecurityGroup.securityGroupId;
    this.apiSecurityGroup = new ManagedSecurityGroup(this, 'api-sg', {
      vpcId: props.vpcId,
      name: `${prefix}-api`,
      description: `ECS tasks of the ${prefix} API`,
    });
    this.apiSecurityGroupId = this.apiSecurityGroup.securityGroupId;

    if (!internalAlb) {
      this.albSecurityGroup.allowFrom(Peer.anyIpv4(), 80, 'HTTP from the internet');
      this.albSecurityGroup.allowFrom(Peer.anyIpv4(), 443, 'HTTPS from the internet');
    }
    this.albSecurityGroup.allowTo(
      Peer.securityGroup(this.apiSecurityGroupId, 'api'),
      containerPort,
      'To the API tasks',
    );
    this.apiSecurityGroup.allowFrom(
      Peer.securityGroup(this.albSecurityGroupId, 'alb'),
      containerPort,
      'From the ALB',
    );

    // Load balancer ----------------------------------------------------------------------------
    const albName = `${prefix}-alb`;
    this.alb = new Lb(this, 'alb', {
      name: awsLbName(prefix, 'alb'),
      loadBalancerType: 'application',
      internal: internalAlb,
      ipAddressType: 'ipv4',
      subnets: internalAlb ? [...props.privateSubnetIds] : [...props.publicSubnetIds],
      securityGroups: [this.albSecurityGroupId],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? false,
      idleTimeout: idleTimeout,
      accessLogs: props.accessLogsBucket
        ? { bucket: props.accessLogsBucket, prefix: this.accessLogsPrefix, enabled: true }
        : undefined,
      tags: { Name: albName },
    });
    this.albArn = this.alb.arn;
    this.albArnSuffix = this.alb.arnSuffix;
    this.albDnsName = this.alb.dnsName;
    this.albZoneId = this.alb.zoneId;

    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      name: awsLbName(prefix, 'api'),
      targetType: 'ip',
      protocol: 'HTTP',
      port: containerPort,
      vpcId: props.vpcId,
      deregistrationDelay: String(deregistrationDelay),
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        port: 'traffic-port',
        path: targetHealthCheck.path,
        interval: targetHealthCheck.intervalSeconds,
        timeout: targetHealthCheck.timeoutSeconds,
        healthyThreshold: targetHealthCheck.healthyThreshold,
        unhealthyThreshold: targetHealthCheck.unhealthyThreshold,
        matcher: targetHealthCheck.matcher,
      },
      tags: { Name: `${prefix}-api` },
    });
    this.targetGroupArn = this.targetGroup.arn;
    this.targetGroupArnSuffix = this.targetGroup.arnSuffix;

    const forward = [{ type: 'forward', targetGroupArn: this.targetGroup.arn }];
    if (props.certificateArn) {
      this.httpsListener = new LbListener(this, 'https', {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy,
        certificateArn: props.certificateArn,
        defaultAction: forward,
      });
      this.httpListener = new LbListener(this, 'http', {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [
          { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
        ],
      });
      this.servingListener = this.httpsListener;
    } else {
      this.httpListener = new LbListener(this, 'http', {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: forward,
      });
      this.servingListener = this.httpListener;
    }

    // Service ------------------------------------------------------------------------------------
    const strategy = [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }];
    if (spotWeight > 0) strategy.push({ capacityProvider: 'FARGATE_SPOT', base: 0, weight: spotWeight });
    this.service = new EcsService(this, 'service', {
      name: `${prefix}-api`,
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      capacityProviderStrategy: strategy,
      platformVersion: 'LATEST',
      networkConfiguration: {
        subnets: [...props.privateSubnetIds],
        securityGroups: [this.apiSecurityGroupId],
        assignPublicIp: false,
      },
      loadBalancer: [{ targetGroupArn: this.targetGroup.arn, containerName, containerPort: containerPort }],
      healthCheckGracePeriodSeconds: gracePeriod,
      deploymentMaximumPercent: maxPercent,
      deploymentMinimumHealthyPercent: minHealthyPercent,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      enableExecuteCommand: exec,
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
      waitForSteadyState: false,
      // ECS rejects a service whose target group has no load balancer yet ("The target group ...
      // does not have an associated load balancer"): wait for every listener (and, through
      // requireHeader, every rule) that forwards to it. The first tasks also need their secrets
      // readable and the capacity providers associated.
      dependsOn: [
        this.httpListener,
        ...(this.httpsListener ? [this.httpsListener] : []),
        this.capacityProviders,
        executionManaged,
        executionSecrets,
        taskPolicy,
      ],
      // Autoscaling owns desired_count after creation; CI may own the task definition.
      lifecycle: {
        ignoreChanges: props.ignoreTaskDefinitionChanges
          ? ['desired_count', 'task_definition']
          : ['desired_count'],
      },
    });
    this.serviceName = this.service.name;

    // Autoscaling ----------------------------------------------------------------------------
    this.scalableTarget = new AppautoscalingTarget(this, 'scaling-target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
    });
    const tracking = (id: string, metric: string, target: number) =>
      new AppautoscalingPolicy(this, id, {
        name: `${prefix}-api-${id}`,
        policyType: 'TargetTrackingScaling',
        serviceNamespace: this.scalableTarget.serviceNamespace,
        scalableDimension: this.scalableTarget.scalableDimension,
        resourceId: this.scalableTarget.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: target,
          predefinedMetricSpecification: { predefinedMetricType: metric },
          scaleOutCooldown: 60,
          scaleInCooldown: 300,
        },
      });
    this.cpuScalingPolicy = tracking('cpu-tracking', 'ECSServiceAverageCPUUtilization', cpuTarget);
    this.memoryScalingPolicy = tracking(
      'memory-tracking',
      'ECSServiceAverageMemoryUtilization',
      memoryTarget,
    );
  }

  /** Allows inbound `port` to the API tasks from `peer`. */
  public allowFrom(peer: Peer, port: PortSpec, description: string): VpcSecurityGroupIngressRule {
    return this.apiSecurityGroup.allowFrom(peer, port, description);
  }

  /** Allows inbound `port` to the ALB from `peer` (an internal ALB admits nothing else). */
  public allowToAlb(peer: Peer, port: PortSpec, description: string): VpcSecurityGroupIngressRule {
    return this.albSecurityGroup.allowFrom(peer, port, description);
  }

  /** Allows the API tasks outbound `port` to `peer`. */
  public allowTo(peer: Peer, port: PortSpec, description: string): VpcSecurityGroupEgressRule {
    return this.apiSecurityGroup.allowTo(peer, port, description);
  }

  /**
   * Makes the ALB answer only requests carrying `headerName: headerValue` (CloudFront's origin
   * header): the serving listener's default becomes a fixed 403 and a rule on each listener
   * forwards matching requests (on port 80 ahead of the HTTPS redirect, since CloudFront's ALB
   * origin is http-only). `headerValue` should be a generated token, never a literal.
   */
  public requireHeader(headerName: string, headerValue: string): LbListenerRule {
    const v = new IssueCollector(`${this.node.path}.requireHeader`);
    v.check(this.headerRule === undefined, headerName, 'was already called: one origin header per ALB');
    v.at('headerName').matches(
      headerName,
      HEADER_NAME_PATTERN,
      'must be an HTTP header name of 1-40 characters',
    );
    v.at('headerValue').check(headerValue !== '', headerValue, 'must not be empty');
    throwIfIssues(v.issues);

    // CloudFront reaches the ALB on port 80 (an http-only origin), so the forwarding rule sits on
    // the HTTP listener ahead of any redirect; every listener refuses requests without the header.
    const forbidden = [
      {
        type: 'fixed-response',
        fixedResponse: { contentType: 'text/plain', statusCode: '403', messageBody: 'Forbidden' },
      },
    ];
    this.servingListener.putDefaultAction(forbidden);
    const condition = [{ httpHeader: { httpHeaderName: headerName, values: [headerValue] } }];
    const action = [{ type: 'forward', targetGroupArn: this.targetGroup.arn }];
    this.headerRule = new LbListenerRule(this, 'origin-header', {
      listenerArn: this.httpListener.arn,
      priority: 1,
      condition,
      action,
    });
    const rules = [this.headerRule];
    if (this.httpsListener) {
      rules.push(
        new LbListenerRule(this, 'origin-header-https', {
          listenerArn: this.httpsListener.arn,
          priority: 1,
          condition,
          action,
        }),
      );
    }
    // The listeners' defaults no longer forward: these rules are what attach the target group to
    // the ALB, and ECS refuses a service whose target group is not attached yet.
    this.service.dependsOn = [...(this.service.dependsOn ?? []), ...rules.map((r) => dependable(r))];
    return this.headerRule;
  }

  /**
   * The bucket-policy statement that lets ELB deliver this ALB's access logs into `bucketArn`
   * under the configured prefix: the region's ELB account where one exists, else the log
   * delivery service principal. For the bucket owner's `addToResourcePolicy`.
   */
  public accessLogsBucketStatement(bucketArn: string): PolicyStatement {
    return elbAccessLogsStatement('AlbAccessLogs', this.region, bucketArn, this.accessLogsPrefix);
  }
}
