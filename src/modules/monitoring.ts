import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { CLOUDWATCH_AGENT_NAMESPACE } from '../lib/aws/cloudwatch-agent';
import { capacityShortfall, gpuMemoryUsedPercent, LaunchFailureEvents } from './monitoring-fleets';
import {
  cloudwatchAlarmsKeyStatement,
  cloudwatchAlarmsPublishStatement,
  kmsAccountAdministrationStatement,
} from '../lib/aws/iam';
import { overviewWidgets } from './monitoring-dashboard';
import { alarmThresholdProblem, GPU_UTILIZATION, type MonitoringProps } from './monitoring-props';

export {
  alarmThresholdProblem,
  type AlarmThresholds,
  type MonitoredGpuFleet,
  type MonitoringProps,
} from './monitoring-props';
export { graphWidget, textWidget, type GraphWidgetOptions, type WidgetMetric } from './monitoring-dashboard';

const GB = 1024 ** 3;

/**
 * Alarms, alarm topic and dashboard of one environment: every alarm notifies a KMS-encrypted SNS
 * topic (CloudWatch cannot publish to a topic under the AWS-managed SNS key, hence a customer
 * managed key that lets CloudWatch use it).
 */
export class Monitoring extends Construct {
  public readonly topic: SnsTopic;
  public readonly topicArn: string;
  public readonly key: KmsKey;
  public readonly dashboard: CloudwatchDashboard;
  public readonly dashboardName: string;
  /** Alarms by short id (`alb-5xx`, `ecs-cpu`, ...). */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  /** Failed GPU launches to the topic, when there are GPU fleets. */
  public readonly launchFailures?: LaunchFailureEvents;
  public readonly topicPolicy: SnsTopicPolicy;
  private readonly alarmMap: Record<string, CloudwatchMetricAlarm> = {};
  private readonly props: MonitoringProps;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.validate(props);
    this.props = props;
    this.alarms = this.alarmMap;

    this.key = new KmsKey(this, 'key', {
      description: `${props.namePrefix} alarm topic encryption`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          kmsAccountAdministrationStatement(props.accountId),
          cloudwatchAlarmsKeyStatement(),
          {
            // EventBridge delivers the GPU launch-failure events to the encrypted topic. AWS does not
            // support source conditions for EventBridge in a key policy, so there are none.
            Sid: 'EventBridgePublish',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*', // a key policy's Resource is always the key itself
          },
        ],
      }),
    });
    new KmsAlias(this, 'key-alias', {
      name: `alias/${props.namePrefix}-alarms`,
      targetKeyId: this.key.keyId,
    });

    this.topic = new SnsTopic(this, 'topic', {
      name: `${props.namePrefix}-alarms`,
      kmsMasterKeyId: this.key.arn,
    });
    this.topicArn = this.topic.arn;

    if (props.alarmEmail !== undefined) {
      const subscription = new SnsTopicSubscription(this, 'email', {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.alarmEmail,
      });
      // The address is a deploy-time variable: no subscription while it is empty.
      subscription.count = Token.asNumber(Fn.min([Fn.lengthOf(props.alarmEmail), 1]));
    }

    this.createAlarms();
    if (props.gpuFleets.length > 0) {
      this.launchFailures = new LaunchFailureEvents(this, 'launch-failures', {
        namePrefix: props.namePrefix,
        autoScalingGroupNames: props.gpuFleets.map((f) => f.autoScalingGroupName),
        topicArn: this.topic.arn,
      });
    }
    this.topicPolicy = this.createTopicPolicy();
    this.dashboard = this.createDashboard();
    this.dashboardName = this.dashboard.dashboardName;
  }

  private validate(props: MonitoringProps): void {
    const v = new IssueCollector(this.node.path);
    for (const [key, value] of Object.entries(props.thresholds)) {
      const problem = alarmThresholdProblem(key, value);
      if (problem) v.at('thresholds').at(key).report(value, problem);
    }
    v.at('redisClusterIds').check(
      props.redisClusterIds.length > 0,
      props.redisClusterIds,
      'must list at least one cache cluster',
    );
    props.gpuFleets.forEach((f, i) => {
      v.at('gpuFleets')
        .at(i)
        .at('name')
        .matches(f.name, /^[a-z][a-z0-9-]*$/, 'must be lowercase letters, digits and hyphens');
      if (!Token.isUnresolved(f.minInService)) {
        v.at('gpuFleets').at(i).at('minInService').intRange(f.minInService, 0, 1000);
      }
    });
    throwIfIssues(v.issues);
  }

  private alarm(
    id: string,
    description: string,
    config: Omit<
      ConstructorParameters<typeof CloudwatchMetricAlarm>[2],
      'alarmName' | 'alarmDescription' | 'alarmActions' | 'okActions'
    >,
  ): CloudwatchMetricAlarm {
    const alarm = new CloudwatchMetricAlarm(this, id, {
      alarmName: `${this.props.namePrefix}-${id}`,
      alarmDescription: description,
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
      ...config,
    });
    this.alarmMap[id] = alarm;
    return alarm;
  }

  private createAlarms(): void {
    const p = this.props;
    const t = p.thresholds;
    const alb = { LoadBalancer: p.albArnSuffix };
    const ecs = { ClusterName: p.ecsClusterName, ServiceName: p.ecsServiceName };
    const rds = { DBInstanceIdentifier: p.rdsInstanceId };

    this.alarm('alb-5xx', `API 5xx responses above ${t.albTarget5xxPercent}% of requests for 10 minutes`, {
      comparisonOperator: 'GreaterThanThreshold',
      threshold: t.albTarget5xxPercent,
      evaluationPeriods: 2,
      treatMissingData: 'notBreaching',
      metricQuery: [
        {
          id: 'rate',
          expression: 'IF(requests > 0, 100 * errors / requests, 0)',
          label: '5xx percent',
          returnData: true,
        },
        {
          id: 'errors',
          metric: {
            namespace: 'AWS/ApplicationELB',
            metricName: 'HTTPCode_Target_5XX_Count',
            dimensions: alb,
            period: 300,
            stat: 'Sum',
          },
        },
        {
          id: 'requests',
          metric: {
            namespace: 'AWS/ApplicationELB',
            metricName: 'RequestCount',
            dimensions: alb,
            period: 300,
            stat: 'Sum',
          },
        },
      ],
    });
    this.alarm(
      'alb-latency-p95',
      `API p95 response time above ${t.targetResponseP95Seconds} s for 10 minutes`,
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: alb,
        extendedStatistic: 'p95',
        period: 300,
        evaluationPeriods: 2,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.targetResponseP95Seconds,
        treatMissingData: 'notBreaching',
      },
    );
    const unhealthy = (targetGroup: string) => ({
      namespace: 'AWS/ApplicationELB',
      metricName: 'UnHealthyHostCount',
      dimensions: { LoadBalancer: p.albArnSuffix, TargetGroup: targetGroup },
      period: 60,
    });
    const green = p.greenTargetGroupArnSuffix;
    this.alarm('alb-unhealthy-targets', 'API targets failing their health check', {
      ...(green === undefined
        ? { ...unhealthy(p.targetGroupArnSuffix), statistic: 'Maximum' }
        : {
            // The serving group changes with every blue/green release: the larger of the two counts.
            metricQuery: [
              {
                id: 'unhealthy',
                expression: 'MAX([blue, green])',
                label: 'Unhealthy targets',
                returnData: true,
              },
              { id: 'blue', metric: { ...unhealthy(p.targetGroupArnSuffix), stat: 'Maximum' } },
              { id: 'green', metric: { ...unhealthy(green), stat: 'Maximum' } },
            ],
          }),
      evaluationPeriods: 3,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
      treatMissingData: 'notBreaching',
    });
    this.alarm('ecs-cpu', `API CPU above ${t.ecsCpuPercent}% for 5 minutes`, {
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      dimensions: ecs,
      statistic: 'Average',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: t.ecsCpuPercent,
    });
    this.alarm('ecs-memory', `API memory above ${t.ecsMemoryPercent}% for 5 minutes`, {
      namespace: 'AWS/ECS',
      metricName: 'MemoryUtilization',
      dimensions: ecs,
      statistic: 'Average',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: t.ecsMemoryPercent,
    });
    this.alarm('rds-cpu', `Database CPU above ${t.rdsCpuPercent}% for 15 minutes`, {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      dimensions: rds,
      statistic: 'Average',
      period: 300,
      evaluationPeriods: 3,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: t.rdsCpuPercent,
    });
    this.alarm('rds-free-storage', `Database free storage below ${t.rdsFreeStorageGb} GB`, {
      namespace: 'AWS/RDS',
      metricName: 'FreeStorageSpace',
      dimensions: rds,
      statistic: 'Minimum',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'LessThanThreshold',
      threshold: t.rdsFreeStorageGb * GB,
    });
    this.alarm('rds-connections', `Database connections above ${t.rdsConnections}`, {
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      dimensions: rds,
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 2,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: t.rdsConnections,
    });
    p.redisClusterIds.forEach((clusterId, i) => {
      const node = { CacheClusterId: clusterId };
      this.alarm(`redis-cpu-${i + 1}`, `Redis node ${i + 1} engine CPU above ${t.redisCpuPercent}%`, {
        namespace: 'AWS/ElastiCache',
        metricName: 'EngineCPUUtilization',
        dimensions: node,
        statistic: 'Average',
        period: 300,
        evaluationPeriods: 2,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.redisCpuPercent,
      });
      this.alarm(`redis-memory-${i + 1}`, `Redis node ${i + 1} memory above ${t.redisMemoryPercent}%`, {
        namespace: 'AWS/ElastiCache',
        metricName: 'DatabaseMemoryUsagePercentage',
        dimensions: node,
        statistic: 'Average',
        period: 300,
        evaluationPeriods: 2,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.redisMemoryPercent,
      });
    });
    const queue = p.renderQueueMetric ?? { namespace: 'ECG/RenderWorker', metricName: 'QueueDepth' };
    this.alarm('render-queue-depth', `More than ${t.renderQueueDepth} render jobs waiting for 10 minutes`, {
      namespace: queue.namespace,
      metricName: queue.metricName,
      dimensions: queue.dimensions,
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 2,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: t.renderQueueDepth,
      treatMissingData: 'notBreaching',
    });
    const gpuNamespace = p.gpuAgentNamespace ?? CLOUDWATCH_AGENT_NAMESPACE;
    const gpuUtilization = p.gpuUtilizationMetric ?? GPU_UTILIZATION;
    for (const fleet of p.gpuFleets) {
      const asg = { AutoScalingGroupName: fleet.autoScalingGroupName };
      this.alarm(
        `${fleet.name}-gpu-utilization`,
        `${fleet.name} average GPU utilization above ${t.gpuUtilizationPercent}% for 15 minutes`,
        {
          namespace: gpuUtilization.namespace,
          metricName: gpuUtilization.metricName,
          dimensions: asg,
          statistic: 'Average',
          period: 300,
          evaluationPeriods: 3,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: t.gpuUtilizationPercent,
          treatMissingData: 'notBreaching',
        },
      );
      this.alarm(
        `${fleet.name}-gpu-memory`,
        `${fleet.name} GPU memory used above ${t.gpuMemoryPercent}% of GPU memory for 10 minutes`,
        {
          comparisonOperator: 'GreaterThanThreshold',
          threshold: t.gpuMemoryPercent,
          evaluationPeriods: 2,
          treatMissingData: 'notBreaching',
          metricQuery: gpuMemoryUsedPercent(gpuNamespace, fleet.autoScalingGroupName),
        },
      );
      // The agent's root-disk use, aggregated per group (its aggregation_dimensions): Maximum is the
      // fullest host. Percent is the unit the agent puts disk used_percent with.
      this.alarm(
        `${fleet.name}-disk-used`,
        `${fleet.name} root disk above ${t.gpuDiskUsedPercent}% used on a host for 10 minutes`,
        {
          namespace: gpuNamespace,
          metricName: 'disk_used_percent',
          dimensions: asg,
          statistic: 'Maximum',
          unit: 'Percent',
          period: 300,
          evaluationPeriods: 2,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: t.gpuDiskUsedPercent,
          treatMissingData: 'notBreaching',
        },
      );
      // Launches that keep failing (quota, capacity, AMI, volume) leave the group short of its desired
      // capacity; 15 minutes outlasts a normal launch and warm-up.
      this.alarm(
        `${fleet.name}-below-desired`,
        `${fleet.name} has had fewer instances in service than desired for 15 minutes: launches are failing`,
        {
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 0,
          evaluationPeriods: 15,
          datapointsToAlarm: 15,
          treatMissingData: 'notBreaching',
          metricQuery: capacityShortfall(fleet.autoScalingGroupName),
        },
      );
      // An expression threshold of 0 (no image yet) never alarms: in service is never below 0.
      if (Token.isUnresolved(fleet.minInService) || fleet.minInService > 0) {
        this.alarm(
          `${fleet.name}-in-service`,
          `${fleet.name} has fewer than ${Token.asString(fleet.minInService)} instances in service`,
          {
            namespace: 'AWS/AutoScaling',
            metricName: 'GroupInServiceInstances',
            dimensions: asg,
            statistic: 'Minimum',
            period: 300,
            evaluationPeriods: 2,
            comparisonOperator: 'LessThanThreshold',
            threshold: fleet.minInService,
            treatMissingData: 'breaching',
          },
        );
      }
    }
  }

  /**
   * Who may publish to the topic: CloudWatch alarms of this account, and the launch-failure rule.
   * A topic policy replaces SNS's default one, so CloudWatch is named here too.
   */
  private createTopicPolicy(): SnsTopicPolicy {
    const p = this.props;
    const statements: object[] = [cloudwatchAlarmsPublishStatement(this.topic.arn, p.accountId)];
    if (this.launchFailures) {
      statements.push({
        Sid: 'EventBridgeLaunchFailures',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: this.topic.arn,
        Condition: { ArnEquals: { 'aws:SourceArn': this.launchFailures.ruleArn } },
      });
    }
    return new SnsTopicPolicy(this, 'topic-policy', {
      arn: this.topic.arn,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
  }

  private createDashboard(): CloudwatchDashboard {
    const p = this.props;
    return new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: `${p.namePrefix}-overview`,
      dashboardBody: JSON.stringify({ widgets: overviewWidgets(p) }),
    });
  }
}
