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
import type { Lb } from '@cdktf/provider-aws/lib/lb';
import type { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import type { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Password } from '@cdktf/provider-random/lib/password';
import { Token, dependable } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { ECS_CONTAINER_NAME_PATTERN, LOG_RETENTION_DAYS, fargateSizeProblems } from '../lib/aws/limits';
import type { PolicyStatement } from '../lib/secure-bucket';
import { xrayWriteStatement } from '../lib/aws/iam';
import { ManagedSecurityGroup, Peer, type PortSpec } from '../lib/security-group';
import { REGION_PATTERN } from '../lib/aws/regions';
import { CODEDEPLOY_OWNED_SERVICE_ARGUMENTS } from '../lib/aws/codedeploy';
import { ApiLoadBalancer, checkApiLoadBalancerProps, type ApiLoadBalancerProps } from './alb';
import {
  DEFAULT_HEALTH_CHECK,
  SECRET_KEY_NAME,
  apiContainerDefinition,
  checkContainerEnvironment,
  checkContainerHealthCheck,
  type ApiContainerProps,
  type ContainerSecret,
} from './ecs-container';

/** The API service's props; the container's are in `ApiContainerProps`, the ALB's in `ApiLoadBalancerProps`. */
export interface EcsApiServiceProps extends ApiContainerProps, ApiLoadBalancerProps {
  /** `<project>-<env>`; every resource name starts with it. */
  readonly namePrefix: string;
  /** Region of the stack: the awslogs region, and the ELB account of the access-logs statement. */
  readonly region: string;
  readonly vpcId: string;
  /** Subnets of the API tasks (no public IPs are assigned). */
  readonly privateSubnetIds: readonly string[];
  /** Subnets of the internet-facing ALB; at least two, in different AZs. */
  readonly publicSubnetIds: readonly string[];

  /** Fargate task CPU units (256 ... 16384). */
  readonly cpu: number;
  /** Fargate task memory in MiB; must be a size Fargate allows with `cpu`. */
  readonly memoryMiB: number;
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
  /** CloudWatch Container Insights mode of the cluster. @default 'enabled' */
  readonly containerInsights?: 'enabled' | 'enhanced';
}

const NAME_PREFIX_PATTERN = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;

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
  /** Blue/green: the replacement tasks' target group, and the VPC-only test listener. */
  public readonly greenTargetGroup: LbTargetGroup;
  public readonly testListener: LbListener;
  public readonly testListenerPort: number;
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
  private readonly loadBalancer: ApiLoadBalancer;

  constructor(scope: Construct, id: string, props: EcsApiServiceProps) {
    super(scope, id);
    const containerName = props.containerName ?? 'api';
    const containerPort = props.containerPort ?? 8000;
    const healthCheck = props.healthCheck ?? DEFAULT_HEALTH_CHECK;
    const environment = props.environment ?? {};
    const secrets = props.secrets ?? [];
    const cpuTarget = props.cpuTargetPercent ?? 70;
    const memoryTarget = props.memoryTargetPercent ?? 80;
    const maxPercent = props.deploymentMaximumPercent ?? 200;
    const minHealthyPercent = props.deploymentMinimumHealthyPercent ?? 50;
    const gracePeriod = props.healthCheckGracePeriodSeconds ?? 60;
    const spotWeight = props.fargateSpotWeight ?? 0;
    const exec = props.enableExecuteCommand ?? true;
    const recoveryWindow = props.secretRecoveryWindowDays ?? 30;
    this.region = props.region;

    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(
      props.namePrefix,
      NAME_PREFIX_PATTERN,
      'must be 2-40 lowercase letters, digits or hyphens, starting with a letter (names like <namePrefix>-api-execution must fit AWS limits)',
    );
    if (!Token.isUnresolved(props.region))
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
    checkContainerHealthCheck(v.at('healthCheck'), healthCheck);
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

    checkContainerEnvironment(v, environment, secrets);

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

    checkApiLoadBalancerProps(v, props);
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
      ...(props.tracing ? [xrayWriteStatement()] : []),
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

    const container = apiContainerDefinition({
      name: containerName,
      image: props.image,
      port: containerPort,
      healthCheck,
      environment,
      secrets: allSecrets,
      logGroupName: this.logGroup.name,
      region: props.region,
      exec,
      tracing: props.tracing,
    });

    this.taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      family: `${prefix}-api`,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu),
      memory: String(props.memoryMiB),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      containerDefinitions: JSON.stringify([container.definition, ...container.sidecars]),
      volume: container.volumes.map((name) => ({ name })),
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
    this.loadBalancer = new ApiLoadBalancer(
      this,
      {
        namePrefix: prefix,
        vpcId: props.vpcId,
        subnetIds: internalAlb ? props.privateSubnetIds : props.publicSubnetIds,
        securityGroupId: this.albSecurityGroupId,
        targetPort: containerPort,
      },
      props,
    );
    this.alb = this.loadBalancer.alb;
    this.albArn = this.alb.arn;
    this.albArnSuffix = this.alb.arnSuffix;
    this.albDnsName = this.alb.dnsName;
    this.albZoneId = this.alb.zoneId;
    this.targetGroup = this.loadBalancer.targetGroup;
    this.targetGroupArn = this.targetGroup.arn;
    this.targetGroupArnSuffix = this.targetGroup.arnSuffix;
    this.greenTargetGroup = this.loadBalancer.greenTargetGroup;
    this.testListener = this.loadBalancer.testListener;
    this.testListenerPort = this.loadBalancer.testListenerPort;
    this.httpListener = this.loadBalancer.httpListener;
    this.httpsListener = this.loadBalancer.httpsListener;
    this.servingListener = this.loadBalancer.servingListener;

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
      // Releases are CodeDeploy blue/green deployments (the circuit breaker is for the ECS
      // rolling controller only; CodeDeploy rolls back on failure and on the API's alarms).
      deploymentController: { type: 'CODE_DEPLOY' },
      enableExecuteCommand: exec,
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
      waitForSteadyState: false,
      // ECS rejects a service whose target group has no load balancer yet ("The target group ...
      // does not have an associated load balancer"): wait for every listener (and, through
      // requireHeader, every rule) that forwards to it. The first tasks also need their secrets
      // readable and the capacity providers associated.
      dependsOn: [
        ...this.loadBalancer.listeners,
        this.capacityProviders,
        executionManaged,
        executionSecrets,
        taskPolicy,
      ],
      // A CodeDeploy deployment, not UpdateService, changes these (see the list's comment); it
      // leaves the service on the released revision and target group.
      lifecycle: { ignoreChanges: [...CODEDEPLOY_OWNED_SERVICE_ARGUMENTS] },
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
    const rules = this.loadBalancer.requireHeader(headerName, headerValue);
    // The listeners' defaults no longer forward: these rules are what attach the target group to
    // the ALB, and ECS refuses a service whose target group is not attached yet.
    this.service.dependsOn = [...(this.service.dependsOn ?? []), ...rules.map((r) => dependable(r))];
    return rules[0];
  }

  /**
   * The bucket-policy statement that lets ELB deliver this ALB's access logs into `bucketArn`
   * under the configured prefix: the region's ELB account where one exists, else the log
   * delivery service principal. For the bucket owner's `addToResourcePolicy`.
   */
  public accessLogsBucketStatement(bucketArn: string): PolicyStatement {
    return this.loadBalancer.accessLogsBucketStatement(this.region, bucketArn);
  }
}
