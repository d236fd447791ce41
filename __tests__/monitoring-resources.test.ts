import { stagingConfig } from '../src/config';
import { Monitoring } from '../src/modules/monitoring';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';
import { props, settings } from './variants/monitoring';

/**
 * The staging alarm set read whole (src/modules/monitoring.ts, monitoring-fleets.ts): every field
 * of every alarm, the key, topic and their policies, the launch-failure rule. Expected values are
 * written out; the namespaces and dimensions are those the producers publish
 * (__tests__/metric-contracts.test.ts), the thresholds those of the staging configuration.
 */
const json = synthScope((scope) => new Monitoring(scope, 'monitoring', props(stagingConfig(settings))));
const TOPIC = '${aws_sns_topic.monitoring_topic_631C3BE1.arn}';
const RULE = 'aws_cloudwatch_event_rule.monitoring_launch-failures_rule_B778D61E';
const RULE_ARN = `\${${RULE}.arn}`;

function alarms(): Record<string, Json> {
  return Object.fromEntries(
    Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).map((alarm) => {
      const { alarm_actions, ok_actions, ...rest } = alarm;
      expect(alarm_actions).toEqual([TOPIC]);
      expect(ok_actions).toEqual([TOPIC]);
      return [String(alarm.alarm_name).replace('ecg-video-pipeline-staging-', ''), rest];
    }),
  );
}

const EXPECTED_ALARMS: Record<string, Json> = {
  'alb-5xx': {
    alarm_description: 'API 5xx responses above 5% of requests for 10 minutes',
    alarm_name: 'ecg-video-pipeline-staging-alb-5xx',
    comparison_operator: 'GreaterThanThreshold',
    evaluation_periods: 2,
    metric_query: [
      {
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        id: 'rate',
        label: '5xx percent',
        return_data: true,
      },
      {
        id: 'errors',
        metric: {
          dimensions: {
            LoadBalancer: 'app/alb/1',
          },
          metric_name: 'HTTPCode_Target_5XX_Count',
          namespace: 'AWS/ApplicationELB',
          period: 300,
          stat: 'Sum',
        },
      },
      {
        id: 'requests',
        metric: {
          dimensions: {
            LoadBalancer: 'app/alb/1',
          },
          metric_name: 'RequestCount',
          namespace: 'AWS/ApplicationELB',
          period: 300,
          stat: 'Sum',
        },
      },
    ],
    threshold: 5,
    treat_missing_data: 'notBreaching',
  },
  'alb-latency-p95': {
    alarm_description: 'API p95 response time above 2 s for 10 minutes',
    alarm_name: 'ecg-video-pipeline-staging-alb-latency-p95',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      LoadBalancer: 'app/alb/1',
    },
    evaluation_periods: 2,
    extended_statistic: 'p95',
    metric_name: 'TargetResponseTime',
    namespace: 'AWS/ApplicationELB',
    period: 300,
    threshold: 2,
    treat_missing_data: 'notBreaching',
  },
  'alb-unhealthy-targets': {
    alarm_description: 'API targets failing their health check',
    alarm_name: 'ecg-video-pipeline-staging-alb-unhealthy-targets',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      LoadBalancer: 'app/alb/1',
      TargetGroup: 'targetgroup/api/2',
    },
    evaluation_periods: 3,
    metric_name: 'UnHealthyHostCount',
    namespace: 'AWS/ApplicationELB',
    period: 60,
    statistic: 'Maximum',
    threshold: 0,
    treat_missing_data: 'notBreaching',
  },
  'ecs-cpu': {
    alarm_description: 'API CPU above 80% for 5 minutes',
    alarm_name: 'ecg-video-pipeline-staging-ecs-cpu',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      ClusterName: 'cluster',
      ServiceName: 'api',
    },
    evaluation_periods: 1,
    metric_name: 'CPUUtilization',
    namespace: 'AWS/ECS',
    period: 300,
    statistic: 'Average',
    threshold: 80,
  },
  'ecs-memory': {
    alarm_description: 'API memory above 85% for 5 minutes',
    alarm_name: 'ecg-video-pipeline-staging-ecs-memory',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      ClusterName: 'cluster',
      ServiceName: 'api',
    },
    evaluation_periods: 1,
    metric_name: 'MemoryUtilization',
    namespace: 'AWS/ECS',
    period: 300,
    statistic: 'Average',
    threshold: 85,
  },
  'model-server-below-desired': {
    alarm_description:
      'model-server has had fewer instances in service than desired for 15 minutes: launches are failing',
    alarm_name: 'ecg-video-pipeline-staging-model-server-below-desired',
    comparison_operator: 'GreaterThanThreshold',
    datapoints_to_alarm: 15,
    evaluation_periods: 15,
    metric_query: [
      {
        id: 'desired',
        metric: {
          dimensions: {
            AutoScalingGroupName: 'asg-model',
          },
          metric_name: 'GroupDesiredCapacity',
          namespace: 'AWS/AutoScaling',
          period: 60,
          stat: 'Average',
        },
        return_data: false,
      },
      {
        id: 'in_service',
        metric: {
          dimensions: {
            AutoScalingGroupName: 'asg-model',
          },
          metric_name: 'GroupInServiceInstances',
          namespace: 'AWS/AutoScaling',
          period: 60,
          stat: 'Average',
        },
        return_data: false,
      },
      {
        expression: 'desired - in_service',
        id: 'shortfall',
        label: 'Desired instances not in service',
        return_data: true,
      },
    ],
    threshold: 0,
    treat_missing_data: 'notBreaching',
  },
  'model-server-disk-used': {
    alarm_description: 'model-server root disk above 80% used on a host for 10 minutes',
    alarm_name: 'ecg-video-pipeline-staging-model-server-disk-used',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      AutoScalingGroupName: 'asg-model',
    },
    evaluation_periods: 2,
    metric_name: 'disk_used_percent',
    namespace: 'CWAgent',
    period: 300,
    statistic: 'Maximum',
    threshold: 80,
    treat_missing_data: 'notBreaching',
    unit: 'Percent',
  },
  'model-server-gpu-memory': {
    alarm_description: 'model-server GPU memory used above 90% of GPU memory for 10 minutes',
    alarm_name: 'ecg-video-pipeline-staging-model-server-gpu-memory',
    comparison_operator: 'GreaterThanThreshold',
    evaluation_periods: 2,
    metric_query: [
      {
        id: 'used',
        metric: {
          dimensions: {
            AutoScalingGroupName: 'asg-model',
          },
          metric_name: 'nvidia_smi_memory_used',
          namespace: 'CWAgent',
          period: 300,
          stat: 'Maximum',
        },
        return_data: false,
      },
      {
        id: 'total',
        metric: {
          dimensions: {
            AutoScalingGroupName: 'asg-model',
          },
          metric_name: 'nvidia_smi_memory_total',
          namespace: 'CWAgent',
          period: 300,
          stat: 'Maximum',
        },
        return_data: false,
      },
      {
        expression: 'IF(total > 0, 100 * used / total, 0)',
        id: 'percent',
        label: 'GPU memory used (%)',
        return_data: true,
      },
    ],
    threshold: 90,
    treat_missing_data: 'notBreaching',
  },
  'model-server-gpu-utilization': {
    alarm_description: 'model-server average GPU utilization above 90% for 15 minutes',
    alarm_name: 'ecg-video-pipeline-staging-model-server-gpu-utilization',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      AutoScalingGroupName: 'asg-model',
    },
    evaluation_periods: 3,
    metric_name: 'nvidia_smi_utilization_gpu',
    namespace: 'CWAgent',
    period: 300,
    statistic: 'Average',
    threshold: 90,
    treat_missing_data: 'notBreaching',
  },
  'model-server-in-service': {
    alarm_description: 'model-server has fewer than 1 instances in service',
    alarm_name: 'ecg-video-pipeline-staging-model-server-in-service',
    comparison_operator: 'LessThanThreshold',
    dimensions: {
      AutoScalingGroupName: 'asg-model',
    },
    evaluation_periods: 2,
    metric_name: 'GroupInServiceInstances',
    namespace: 'AWS/AutoScaling',
    period: 300,
    statistic: 'Minimum',
    threshold: 1,
    treat_missing_data: 'breaching',
  },
  'rds-connections': {
    alarm_description: 'Database connections above 60',
    alarm_name: 'ecg-video-pipeline-staging-rds-connections',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      DBInstanceIdentifier: 'db',
    },
    evaluation_periods: 2,
    metric_name: 'DatabaseConnections',
    namespace: 'AWS/RDS',
    period: 300,
    statistic: 'Maximum',
    threshold: 60,
  },
  'rds-cpu': {
    alarm_description: 'Database CPU above 80% for 15 minutes',
    alarm_name: 'ecg-video-pipeline-staging-rds-cpu',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      DBInstanceIdentifier: 'db',
    },
    evaluation_periods: 3,
    metric_name: 'CPUUtilization',
    namespace: 'AWS/RDS',
    period: 300,
    statistic: 'Average',
    threshold: 80,
  },
  'rds-free-storage': {
    alarm_description: 'Database free storage below 2 GB',
    alarm_name: 'ecg-video-pipeline-staging-rds-free-storage',
    comparison_operator: 'LessThanThreshold',
    dimensions: {
      DBInstanceIdentifier: 'db',
    },
    evaluation_periods: 1,
    metric_name: 'FreeStorageSpace',
    namespace: 'AWS/RDS',
    period: 300,
    statistic: 'Minimum',
    threshold: 2147483648,
  },
  'redis-cpu-1': {
    alarm_description: 'Redis node 1 engine CPU above 85%',
    alarm_name: 'ecg-video-pipeline-staging-redis-cpu-1',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      CacheClusterId: 'redis-001',
    },
    evaluation_periods: 2,
    metric_name: 'EngineCPUUtilization',
    namespace: 'AWS/ElastiCache',
    period: 300,
    statistic: 'Average',
    threshold: 85,
  },
  'redis-memory-1': {
    alarm_description: 'Redis node 1 memory above 85%',
    alarm_name: 'ecg-video-pipeline-staging-redis-memory-1',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      CacheClusterId: 'redis-001',
    },
    evaluation_periods: 2,
    metric_name: 'DatabaseMemoryUsagePercentage',
    namespace: 'AWS/ElastiCache',
    period: 300,
    statistic: 'Average',
    threshold: 85,
  },
  'render-queue-depth': {
    alarm_description: 'More than 100 render jobs waiting for 10 minutes',
    alarm_name: 'ecg-video-pipeline-staging-render-queue-depth',
    comparison_operator: 'GreaterThanThreshold',
    evaluation_periods: 2,
    metric_name: 'QueueDepth',
    namespace: 'ECG/RenderWorker',
    period: 300,
    statistic: 'Maximum',
    threshold: 100,
    treat_missing_data: 'notBreaching',
  },
  'render-worker-below-desired': {
    alarm_description:
      'render-worker has had fewer instances in service than desired for 15 minutes: launches are failing',
    alarm_name: 'ecg-video-pipeline-staging-render-worker-below-desired',
    comparison_operator: 'GreaterThanThreshold',
    datapoints_to_alarm: 15,
    evaluation_periods: 15,
    metric_query: [
      {
        id: 'desired',
        metric: {
          dimensions: {
            AutoScalingGroupName: 'asg-render',
          },
          metric_name: 'GroupDesiredCapacity',
          namespace: 'AWS/AutoScaling',
          period: 60,
          stat: 'Average',
        },
        return_data: false,
      },
      {
        id: 'in_service',
        metric: {
          dimensions: {
            AutoScalingGroupName: 'asg-render',
          },
          metric_name: 'GroupInServiceInstances',
          namespace: 'AWS/AutoScaling',
          period: 60,
          stat: 'Average',
        },
        return_data: false,
      },
      {
        expression: 'desired - in_service',
        id: 'shortfall',
        label: 'Desired instances not in service',
        return_data: true,
      },
    ],
    threshold: 0,
    treat_missing_data: 'notBreaching',
  },
  'render-worker-disk-used': {
    alarm_description: 'render-worker root disk above 80% used on a host for 10 minutes',
    alarm_name: 'ecg-video-pipeline-staging-render-worker-disk-used',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      AutoScalingGroupName: 'asg-render',
    },
    evaluation_periods: 2,
    metric_name: 'disk_used_percent',
    namespace: 'CWAgent',
    period: 300,
    statistic: 'Maximum',
    threshold: 80,
    treat_missing_data: 'notBreaching',
    unit: 'Percent',
  },
  'render-worker-gpu-memory': {
    alarm_description: 'render-worker GPU memory used above 90% of GPU memory for 10 minutes',
    alarm_name: 'ecg-video-pipeline-staging-render-worker-gpu-memory',
    comparison_operator: 'GreaterThanThreshold',
    evaluation_periods: 2,
    metric_query: [
      {
        id: 'used',
        metric: {
          dimensions: {
            AutoScalingGroupName: 'asg-render',
          },
          metric_name: 'nvidia_smi_memory_used',
          namespace: 'CWAgent',
          period: 300,
          stat: 'Maximum',
        },
        return_data: false,
      },
      {
        id: 'total',
        metric: {
          dimensions: {
            AutoScalingGroupName: 'asg-render',
          },
          metric_name: 'nvidia_smi_memory_total',
          namespace: 'CWAgent',
          period: 300,
          stat: 'Maximum',
        },
        return_data: false,
      },
      {
        expression: 'IF(total > 0, 100 * used / total, 0)',
        id: 'percent',
        label: 'GPU memory used (%)',
        return_data: true,
      },
    ],
    threshold: 90,
    treat_missing_data: 'notBreaching',
  },
  'render-worker-gpu-utilization': {
    alarm_description: 'render-worker average GPU utilization above 90% for 15 minutes',
    alarm_name: 'ecg-video-pipeline-staging-render-worker-gpu-utilization',
    comparison_operator: 'GreaterThanThreshold',
    dimensions: {
      AutoScalingGroupName: 'asg-render',
    },
    evaluation_periods: 3,
    metric_name: 'nvidia_smi_utilization_gpu',
    namespace: 'CWAgent',
    period: 300,
    statistic: 'Average',
    threshold: 90,
    treat_missing_data: 'notBreaching',
  },
};

describe('staging monitoring, read whole', () => {
  it('has exactly these alarms, each notifying the topic on alarm and recovery', () => {
    expect(Object.keys(alarms()).sort()).toEqual(Object.keys(EXPECTED_ALARMS).sort());
  });

  it.each(Object.keys(EXPECTED_ALARMS))('alarm %s', (name) => {
    expect(alarms()[name]).toEqual(EXPECTED_ALARMS[name]);
  });

  it('encrypts the topic with a rotating key that the account administers and CloudWatch and EventBridge use', () => {
    const [key] = Object.values(resourcesOf(json, 'aws_kms_key'));
    const { policy, ...rest } = key;
    expect(rest).toEqual({
      deletion_window_in_days: 30,
      description: 'ecg-video-pipeline-staging alarm topic encryption',
      enable_key_rotation: true,
    });
    expect(JSON.parse(policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountAdministration',
          Effect: 'Allow',
          Principal: {
            AWS: 'arn:aws:iam::123456789012:root',
          },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: {
            Service: 'cloudwatch.amazonaws.com',
          },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
        {
          Sid: 'EventBridgePublish',
          Effect: 'Allow',
          Principal: {
            Service: 'events.amazonaws.com',
          },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
      ],
    });
    expect(Object.values(resourcesOf(json, 'aws_kms_alias'))).toEqual([
      {
        name: 'alias/ecg-video-pipeline-staging-alarms',
        target_key_id: '${aws_kms_key.monitoring_key_BA5080B2.key_id}',
      },
    ]);
    expect(Object.values(resourcesOf(json, 'aws_sns_topic'))).toEqual([
      {
        name: 'ecg-video-pipeline-staging-alarms',
        kms_master_key_id: '${aws_kms_key.monitoring_key_BA5080B2.arn}',
      },
    ]);
  });

  // SNS topic policies: CloudWatch alarms from this account, EventBridge from the one rule.
  it('lets only this account’s alarms and the launch-failure rule publish to the topic', () => {
    const [policy] = Object.values(resourcesOf(json, 'aws_sns_topic_policy'));
    expect(policy.arn).toBe(TOPIC);
    expect(JSON.parse(policy.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: {
            Service: 'cloudwatch.amazonaws.com',
          },
          Action: 'sns:Publish',
          Resource: TOPIC,
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '123456789012',
            },
          },
        },
        {
          Sid: 'EventBridgeLaunchFailures',
          Effect: 'Allow',
          Principal: {
            Service: 'events.amazonaws.com',
          },
          Action: 'sns:Publish',
          Resource: TOPIC,
          Condition: {
            ArnEquals: {
              'aws:SourceArn': `${RULE_ARN}`,
            },
          },
        },
      ],
    });
  });

  it('sends failed launches of the two GPU groups to the topic', () => {
    const [rule] = Object.values(resourcesOf(json, 'aws_cloudwatch_event_rule'));
    const { event_pattern, ...rest } = rule;
    expect(rest).toEqual({
      description: 'Failed instance launches of the ecg-video-pipeline-staging GPU groups',
      name: 'ecg-video-pipeline-staging-gpu-launch-unsuccessful',
    });
    expect(JSON.parse(event_pattern)).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Unsuccessful'],
      detail: {
        AutoScalingGroupName: ['asg-model', 'asg-render'],
      },
    });
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_event_target'))).toEqual([
      { arn: TOPIC, rule: `\${${RULE}.name}` },
    ]);
  });

  // The dashboard body (CloudWatch dashboard body structure): widgets in order, their sizes and graphs.
  it('lays out the overview dashboard: each section, graph, statistic and metric', () => {
    const [dashboard] = Object.values(resourcesOf(json, 'aws_cloudwatch_dashboard'));
    expect(dashboard.dashboard_name).toBe('ecg-video-pipeline-staging-overview');
    expect(JSON.parse(dashboard.dashboard_body)).toEqual({
      widgets: [
        {
          type: 'text',
          width: 24,
          height: 1,
          properties: {
            markdown: '# ecg-video-pipeline-staging: system overview',
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'ALB requests and 5xx',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'Sum',
            period: 300,
            metrics: [
              ['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', 'app/alb/1'],
              ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'LoadBalancer', 'app/alb/1'],
            ],
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'API response time p95',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'p95',
            period: 300,
            metrics: [['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', 'app/alb/1']],
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'RDS CPU and connections',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'Average',
            period: 300,
            metrics: [
              ['AWS/RDS', 'CPUUtilization', 'DBInstanceIdentifier', 'db'],
              ['AWS/RDS', 'DatabaseConnections', 'DBInstanceIdentifier', 'db'],
            ],
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'Redis CPU and memory',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'Average',
            period: 300,
            metrics: [
              ['AWS/ElastiCache', 'EngineCPUUtilization', 'CacheClusterId', 'redis-001'],
              ['AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', 'CacheClusterId', 'redis-001'],
            ],
          },
        },
        {
          type: 'text',
          width: 24,
          height: 1,
          properties: {
            markdown: '# GPU',
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'GPU memory used and total (MB, worst GPU)',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'Maximum',
            period: 300,
            metrics: [
              ['CWAgent', 'nvidia_smi_memory_used', 'AutoScalingGroupName', 'asg-model'],
              ['CWAgent', 'nvidia_smi_memory_total', 'AutoScalingGroupName', 'asg-model'],
              ['CWAgent', 'nvidia_smi_memory_used', 'AutoScalingGroupName', 'asg-render'],
              ['CWAgent', 'nvidia_smi_memory_total', 'AutoScalingGroupName', 'asg-render'],
            ],
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'GPU utilization',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'Average',
            period: 300,
            metrics: [
              ['CWAgent', 'nvidia_smi_utilization_gpu', 'AutoScalingGroupName', 'asg-model'],
              ['CWAgent', 'nvidia_smi_utilization_gpu', 'AutoScalingGroupName', 'asg-render'],
            ],
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'GPU instances in service and desired',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'Minimum',
            period: 300,
            metrics: [
              ['AWS/AutoScaling', 'GroupInServiceInstances', 'AutoScalingGroupName', 'asg-model'],
              ['AWS/AutoScaling', 'GroupDesiredCapacity', 'AutoScalingGroupName', 'asg-model'],
              ['AWS/AutoScaling', 'GroupInServiceInstances', 'AutoScalingGroupName', 'asg-render'],
              ['AWS/AutoScaling', 'GroupDesiredCapacity', 'AutoScalingGroupName', 'asg-render'],
            ],
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'Render queue depth',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'Maximum',
            period: 300,
            metrics: [
              ['ECG/RenderWorker', 'QueueDepth'],
              ['ECG/RenderWorker', 'JobsQueued'],
              ['ECG/RenderWorker', 'JobsInProgress'],
            ],
          },
        },
        {
          type: 'text',
          width: 24,
          height: 1,
          properties: {
            markdown: '# Application',
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'API CPU and memory',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'Average',
            period: 300,
            metrics: [
              ['AWS/ECS', 'CPUUtilization', 'ClusterName', 'cluster', 'ServiceName', 'api'],
              ['AWS/ECS', 'MemoryUtilization', 'ClusterName', 'cluster', 'ServiceName', 'api'],
            ],
          },
        },
        {
          type: 'metric',
          width: 12,
          height: 6,
          properties: {
            title: 'API healthy and unhealthy targets',
            region: 'ap-northeast-2',
            view: 'timeSeries',
            stacked: false,
            stat: 'Maximum',
            period: 300,
            metrics: [
              [
                'AWS/ApplicationELB',
                'HealthyHostCount',
                'TargetGroup',
                'targetgroup/api/2',
                'LoadBalancer',
                'app/alb/1',
              ],
              [
                'AWS/ApplicationELB',
                'UnHealthyHostCount',
                'TargetGroup',
                'targetgroup/api/2',
                'LoadBalancer',
                'app/alb/1',
              ],
            ],
          },
        },
      ],
    });
  });
});

describe('monitoring options and validation', () => {
  const config = stagingConfig(settings);
  const build = (overrides: Parameters<typeof props>[1]) => () =>
    synthScope((scope) => new Monitoring(scope, 'monitoring', props(config, overrides)));

  // With blue/green releases the serving target group changes: the alarm reads the larger count.
  it('alarms on the larger unhealthy count of the blue and green target groups when both exist', () => {
    const json = build({ greenTargetGroupArnSuffix: 'targetgroup/api-green/3' })();
    const alarm = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).find((a) =>
      String(a.alarm_name).endsWith('-alb-unhealthy-targets'),
    );
    const { alarm_actions, ok_actions, ...rest } = alarm as Json;
    expect([alarm_actions, ok_actions]).toEqual([[TOPIC], [TOPIC]]);
    expect(rest).toEqual({
      alarm_description: 'API targets failing their health check',
      alarm_name: 'ecg-video-pipeline-staging-alb-unhealthy-targets',
      comparison_operator: 'GreaterThanThreshold',
      evaluation_periods: 3,
      metric_query: [
        { id: 'unhealthy', expression: 'MAX([blue, green])', label: 'Unhealthy targets', return_data: true },
        {
          id: 'blue',
          metric: {
            dimensions: { LoadBalancer: 'app/alb/1', TargetGroup: 'targetgroup/api/2' },
            metric_name: 'UnHealthyHostCount',
            namespace: 'AWS/ApplicationELB',
            period: 60,
            stat: 'Maximum',
          },
        },
        {
          id: 'green',
          metric: {
            dimensions: { LoadBalancer: 'app/alb/1', TargetGroup: 'targetgroup/api-green/3' },
            metric_name: 'UnHealthyHostCount',
            namespace: 'AWS/ApplicationELB',
            period: 60,
            stat: 'Maximum',
          },
        },
      ],
      threshold: 0,
      treat_missing_data: 'notBreaching',
    });
  });

  it('fails when a GPU fleet name is not lowercase letters, digits and hyphens, or its minimum is out of range', () => {
    expect(
      errorOf(
        build({
          gpuFleets: [
            { name: 'Model_Server', autoScalingGroupName: 'asg-model', minInService: 1001 },
            { name: '1render', autoScalingGroupName: 'asg-render', minInService: -1 },
            { name: 'render-', autoScalingGroupName: 'asg-x', minInService: 0 },
          ],
        }),
      ),
    ).toBe(
      [
        'Invalid configuration (4 problems):',
        '  - stack/monitoring.gpuFleets[0].name Model_Server must be lowercase letters, digits and hyphens',
        '  - stack/monitoring.gpuFleets[0].minInService 1001 must be an integer from 0 to 1000',
        '  - stack/monitoring.gpuFleets[1].name 1render must be lowercase letters, digits and hyphens',
        '  - stack/monitoring.gpuFleets[1].minInService -1 must be an integer from 0 to 1000',
      ].join('\n'),
    );
  });

  it('takes GPU fleet minimums of 0 and 1000 and a name ending in a hyphen or digit', () => {
    expect(
      build({
        gpuFleets: [
          { name: 'gpu-2', autoScalingGroupName: 'asg-a', minInService: 0 },
          { name: 'gpu-', autoScalingGroupName: 'asg-b', minInService: 1000 },
        ],
      }),
    ).not.toThrow();
  });

  it('takes a percentage threshold of exactly 100 and fails on a threshold that is not a number', () => {
    expect(build({ thresholds: { ...config.monitoring, ecsCpuPercent: 100 } })).not.toThrow();
    expect(
      errorOf(build({ thresholds: { ...config.monitoring, rdsConnections: '60' as unknown as number } })),
    ).toBe(
      'Invalid configuration (1 problem):\n  - stack/monitoring.thresholds.rdsConnections 60 is text: must be a number',
    );
    expect(
      errorOf(
        build({ thresholds: { ...config.monitoring, rdsConnections: undefined as unknown as number } }),
      ),
    ).toBe(
      'Invalid configuration (1 problem):\n  - stack/monitoring.thresholds.rdsConnections (unset) must be a number',
    );
  });
});
