import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import type { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import type { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import type { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { xrayWriteStatement } from '../lib/aws/iam';
import { arnPartition } from '../lib/aws/regions';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector } from '../lib/validation';
import { ManagedSecurityGroup, Peer, type PortSpec } from '../lib/security-group';
import { type GpuFleetProps, type ResolvedProps, withDefaults } from './ec2-gpu-props';
import {
  addDrainHook,
  addSchedules,
  lowestMinimum,
  scheduleCount,
  mixedInstancesPolicy,
} from './ec2-gpu-scaling';
import { addTargetTracking, addWakeFromZero } from './ec2-gpu-target-tracking';
import { bootstrapScript } from './ec2-gpu-user-data';
import { validate } from './ec2-gpu-validate';

export type {
  GpuFleetLoadBalancerProps,
  GpuFleetProps,
  GpuFleetScaling,
  GpuFleetSecret,
} from './ec2-gpu-props';

/** AWS managed policies of every GPU instance role (names; the partition is added per region). */
export const GPU_INSTANCE_MANAGED_POLICIES = {
  'ssm-core': 'AmazonSSMManagedInstanceCore',
  'ecr-read-only': 'AmazonEC2ContainerRegistryReadOnly',
  'cloudwatch-agent': 'CloudWatchAgentServerPolicy',
} as const;

export { GPU_AGENT_NAMESPACE } from './ec2-gpu-user-data';

export { DLAMI_SSM_PARAMETER } from '../lib/aws/ami';

const GROUP_METRICS = [
  'GroupMinSize',
  'GroupMaxSize',
  'GroupDesiredCapacity',
  'GroupInServiceInstances',
  'GroupPendingInstances',
  'GroupTotalInstances',
];

/**
 * A fleet of GPU servers running one container image (docs/design.md, GPU fleets): a launch
 * template on the Deep Learning AMI, an Auto Scaling group in the GPU subnets with instance
 * refresh, optional spot and an optional internal Application Load Balancer, a target tracking
 * scaling policy, an instance role, a security group and the container log group.
 */
export class GpuFleet extends Construct {
  public readonly autoScalingGroupName: string;
  public readonly autoScalingGroupArn: string;
  public readonly launchTemplateId: string;
  public readonly securityGroupId: string;
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly logGroupName: string;
  /** Internal DNS name of the load balancer, when there is one. */
  public readonly loadBalancerDnsName?: string;
  /** `http://<load balancer DNS>:<port>`, when there is a load balancer. */
  public readonly url?: string;
  /** The group clients of the fleet must be allowed to reach: the load balancer's, else the fleet's. */
  public readonly endpointSecurityGroupId: string;
  /** The user data script, before base64 (Terraform references appear as tokens). */
  public readonly userDataScript: string;

  public readonly securityGroup: ManagedSecurityGroup;
  public readonly loadBalancerSecurityGroup?: ManagedSecurityGroup;
  public readonly role: IamRole;
  public readonly instanceProfile: IamInstanceProfile;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly launchTemplate: LaunchTemplate;
  public readonly autoScalingGroup: AutoscalingGroup;
  public readonly loadBalancer?: Lb;
  public readonly targetGroup?: LbTargetGroup;
  public readonly listener?: LbListener;
  public readonly scalingPolicy: AutoscalingPolicy;
  /** Scheduled minimums, one per schedule. */
  public readonly schedules: readonly AutoscalingSchedule[];
  /** Holds terminating hosts while they drain, when `drainTimeoutSeconds` is set. */
  public readonly drainHook?: AutoscalingLifecycleHook;
  /** Starts the first instance of a queue-driven group that can shrink to zero. */
  public readonly wakeFromZero?: {
    readonly alarm: CloudwatchMetricAlarm;
    readonly policy: AutoscalingPolicy;
  };

  private readonly port: number;

  constructor(scope: Construct, id: string, props: GpuFleetProps) {
    super(scope, id);
    const p = withDefaults(props);
    validate(new IssueCollector(this.node.path), p);

    const fullName = `${p.namePrefix}-${p.name}`;
    const partition = arnPartition(p.region);
    const lb = props.loadBalancer;
    this.port = p.port;

    this.securityGroup = new ManagedSecurityGroup(this, 'security-group', {
      vpcId: p.vpcId,
      name: fullName,
      description: `${fullName} GPU instances`,
    });
    this.securityGroupId = this.securityGroup.securityGroupId;
    // Image pulls (ECR, S3), package and agent downloads, AWS APIs: documented AVD-AWS-0104 exception.
    this.securityGroup.allowAllOutbound('Image pulls, AWS APIs and updates');
    if (Token.isUnresolved(p.sshAllowedCidrs)) {
      // A deploy-time list (Terraform variable, validated there): one rule per CIDR via for_each.
      this.securityGroup.allowFromCidrList(
        [...p.sshAllowedCidrs],
        'ssh',
        22,
        'SSH from configured administrator CIDRs',
      );
    } else {
      p.sshAllowedCidrs.forEach((cidr) =>
        this.securityGroup.allowFrom(Peer.ipv4(cidr), 22, `SSH from ${cidr} (configured administrators)`),
      );
    }

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/ec2/${fullName}`,
      retentionInDays: p.logRetentionDays,
    });
    this.logGroupName = this.logGroup.name;

    this.role = new IamRole(this, 'role', {
      name: fullName,
      description: `Instance role of the ${fullName} GPU servers`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    for (const [key, policy] of Object.entries(GPU_INSTANCE_MANAGED_POLICIES)) {
      new IamRolePolicyAttachment(this, key, {
        role: this.role.name,
        policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
      });
    }
    new IamRolePolicy(this, 'access', {
      name: 'fleet-access',
      role: this.role.id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: this.statements(p) }),
    });
    this.instanceProfile = new IamInstanceProfile(this, 'instance-profile', {
      name: fullName,
      role: this.role.name,
    });

    const userData = bootstrapScript(p, fullName);
    this.userDataScript = userData.text();
    const tags = { ...p.instanceTags, Name: fullName };
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: fullName,
      description: `${fullName} GPU servers`,
      imageId: `resolve:ssm:${p.amiSsmParameter}`,
      instanceType: p.instanceType,
      ebsOptimized: 'true',
      monitoring: { enabled: p.detailedMonitoring },
      iamInstanceProfile: { arn: this.instanceProfile.arn },
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        // Containers sit one network hop behind the host: hop limit 1 would hide IMDS from them.
        httpPutResponseHopLimit: 2,
      },
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: 'false',
          deleteOnTermination: 'true',
          securityGroups: [this.securityGroupId],
        },
      ],
      blockDeviceMappings: [
        {
          deviceName: p.rootDeviceName,
          ebs: {
            volumeSize: p.rootVolumeGb,
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
          },
        },
      ],
      userData: userData.base64(),
      updateDefaultVersion: true,
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags,
      })),
      tags: { Name: fullName },
    });
    this.launchTemplateId = this.launchTemplate.id;

    if (lb) {
      const lbGroup = new ManagedSecurityGroup(this, 'lb-security-group', {
        vpcId: p.vpcId,
        name: `${fullName}-lb`,
        description: `${fullName} internal load balancer`,
      });
      lbGroup.allowTo(Peer.securityGroup(this.securityGroupId, 'fleet'), p.port, `${p.name} instances`);
      this.securityGroup.allowFrom(
        Peer.securityGroup(lbGroup.securityGroupId, 'lb'),
        p.port,
        `${p.name} load balancer`,
      );
      this.loadBalancerSecurityGroup = lbGroup;

      this.loadBalancer = new Lb(this, 'load-balancer', {
        name: lb.name,
        internal: true,
        loadBalancerType: 'application',
        subnets: [...p.subnetIds],
        securityGroups: [lbGroup.securityGroupId],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: lb.deletionProtection ?? false,
        idleTimeout: lb.idleTimeoutSeconds ?? 60,
        accessLogs: lb.accessLogs
          ? { bucket: lb.accessLogs.bucket, prefix: lb.accessLogs.prefix, enabled: true }
          : undefined,
        tags: { Name: `${fullName}-lb` },
      });
      this.targetGroup = new LbTargetGroup(this, 'target-group', {
        port: p.port,
        protocol: 'HTTP',
        targetType: 'instance',
        vpcId: p.vpcId,
        // In-flight requests get a minute to finish; the 300 s default only slows instance refreshes.
        deregistrationDelay: '60',
        healthCheck: {
          enabled: true,
          path: lb.healthCheckPath ?? '/health',
          port: 'traffic-port',
          protocol: 'HTTP',
          matcher: '200',
          interval: 30,
          timeout: 5,
          healthyThreshold: 3,
          unhealthyThreshold: 2,
        },
        tags: { Name: `${fullName}-tg` },
        // The generated name lets a replacement group exist before the listener moves to it.
        lifecycle: { createBeforeDestroy: true },
      });
      this.listener = new LbListener(this, 'listener', {
        loadBalancerArn: this.loadBalancer.arn,
        port: p.port,
        protocol: 'HTTP',
        defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      });
      this.loadBalancerDnsName = this.loadBalancer.dnsName;
      this.url = `http://${this.loadBalancer.dnsName}:${p.port}`;
    }
    this.endpointSecurityGroupId = this.loadBalancerSecurityGroup?.securityGroupId ?? this.securityGroupId;

    const template = {
      id: this.launchTemplate.id,
      version: Token.asString(this.launchTemplate.latestVersion),
    };
    const mixed = mixedInstancesPolicy(p, template);
    this.autoScalingGroup = new AutoscalingGroup(this, 'asg', {
      name: fullName,
      vpcZoneIdentifier: [...p.subnetIds],
      minSize: p.minSize,
      maxSize: p.maxSize,
      desiredCapacity: p.desiredCapacity,
      launchTemplate: mixed ? undefined : template,
      mixedInstancesPolicy: mixed,
      // Launches a replacement when AWS signals that a spot instance is at elevated risk.
      capacityRebalance: p.spot,
      healthCheckType: lb ? 'ELB' : 'EC2',
      healthCheckGracePeriod: p.healthCheckGracePeriodSeconds,
      defaultInstanceWarmup: p.healthCheckGracePeriodSeconds,
      targetGroupArns: this.targetGroup ? [this.targetGroup.arn] : undefined,
      enabledMetrics: GROUP_METRICS,
      metricsGranularity: '1Minute',
      // A new launch template version (the group follows latest) rolls the instances, launching
      // before terminating: min healthy 100 % keeps every serving instance until its replacement
      // is in service and warmed up (DefaultInstanceWarmup above: boot, image pull, health checks),
      // max healthy 200 % lets the replacement run beside it. AWS: max 100-200, max - min <= 100.
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
      },
      // GPU boots and image pulls can outlast Terraform's wait; a timeout would taint the group.
      waitForCapacityTimeout: '0',
      tag: Object.entries({ ...p.instanceTags, Name: fullName }).map(([key, value]) => ({
        key,
        value,
        propagateAtLaunch: false,
      })),
      // Scaling policies own the desired capacity once the group exists, schedules the minimum.
      lifecycle: {
        ignoreChanges: p.schedules.length > 0 ? ['desired_capacity', 'min_size'] : ['desired_capacity'],
      },
    });
    this.autoScalingGroupName = this.autoScalingGroup.name;
    this.autoScalingGroupArn = this.autoScalingGroup.arn;

    this.scalingPolicy = addTargetTracking(this, this.autoScalingGroup, fullName, p.scaling, this);
    this.schedules = addSchedules(
      this,
      this.autoScalingGroup,
      fullName,
      p.schedules,
      p.scheduleTimeZone,
      scheduleCount(p.maxSize),
    );
    if (p.drainTimeoutSeconds > 0) {
      this.drainHook = addDrainHook(this, this.autoScalingGroup, this.role, fullName, p.drainTimeoutSeconds);
    }
    if (p.scaling.kind === 'queue-depth' && lowestMinimum(p.plannedMinSize, p.schedules) === 0) {
      this.wakeFromZero = addWakeFromZero(this, this.autoScalingGroup, p.scaling, fullName);
    }
  }

  /** Allows inbound `port` on the instances from `peer`. */
  public allowFrom(peer: Peer, port: PortSpec, description: string): VpcSecurityGroupIngressRule {
    return this.securityGroup.allowFrom(peer, port, description);
  }

  /** Allows `peer` to call the fleet on its port: through the load balancer when there is one. */
  public allowClientsFrom(peer: Peer, description: string): VpcSecurityGroupIngressRule {
    return (this.loadBalancerSecurityGroup ?? this.securityGroup).allowFrom(peer, this.port, description);
  }

  private statements(p: ResolvedProps): object[] {
    const statements: object[] = [
      {
        Sid: 'VideoObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${p.videoBucketArn}/*`,
      },
      { Sid: 'VideoList', Effect: 'Allow', Action: 's3:ListBucket', Resource: p.videoBucketArn },
      {
        Sid: 'ContainerLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${this.logGroup.arn}:*`,
      },
      // The CloudWatch agent relays the containers' traces (CloudWatchAgentServerPolicy grants the
      // same actions today; stated here so tracing does not hang on a managed policy's contents).
      xrayWriteStatement(),
    ];
    const secretArns = Object.values(p.secrets).map((s) => s.secretArn);
    if (secretArns.length > 0) {
      statements.push({
        Sid: 'ContainerSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [...new Set(secretArns)],
      });
    }
    return statements;
  }
}
