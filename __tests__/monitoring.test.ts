import { TerraformVariable, Token } from 'cdktf';
import { productionConfig, stagingConfig } from '../src/config';
import { Monitoring } from '../src/modules/monitoring';
import { parseInterpolatedJson, resourcesOf, synthScope, type Json } from './support/synth';
import { props, settings } from './variants/monitoring';

function alarmsByName(json: Json): Record<string, Json> {
  return Object.fromEntries(
    Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).map((a) => [a.alarm_name, a]),
  );
}

describe.each([
  ['staging', stagingConfig(settings)],
  ['production', productionConfig(settings)],
] as const)('monitoring (%s)', (env, config) => {
  const json = synthScope((scope) => new Monitoring(scope, 'monitoring', props(config)));
  const alarms = alarmsByName(json);
  const prefix = `ecg-video-pipeline-${env}`;

  it('sends every alarm and its recovery to the alarm topic', () => {
    const topicRef = expect.stringMatching(/^\$\{aws_sns_topic\.[^.]+\.arn\}$/);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual([topicRef]);
      expect(alarm.ok_actions).toEqual([topicRef]);
    }
  });

  it('encrypts the topic with a rotating customer managed key CloudWatch may use', () => {
    const [topic] = Object.values(resourcesOf(json, 'aws_sns_topic'));
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.[^.]+\.arn\}$/);
    const [key] = Object.values(resourcesOf(json, 'aws_kms_key'));
    expect(key.enable_key_rotation).toBe(true);
    const statements = JSON.parse(key.policy).Statement;
    expect(statements[1]).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' } });
    expect(statements[1].Action).not.toContain('kms:*');
  });

  it('alarms on the documented metrics with the environment thresholds', () => {
    const m = config.monitoring;
    expect(alarms[`${prefix}-alb-latency-p95`]).toMatchObject({
      extended_statistic: 'p95',
      threshold: m.targetResponseP95Seconds,
    });
    expect(alarms[`${prefix}-ecs-cpu`]).toMatchObject({
      metric_name: 'CPUUtilization',
      threshold: 80,
      period: 300,
      evaluation_periods: 1,
    });
    expect(alarms[`${prefix}-ecs-memory`]).toMatchObject({ metric_name: 'MemoryUtilization', threshold: 85 });
    expect(alarms[`${prefix}-rds-free-storage`]).toMatchObject({
      comparison_operator: 'LessThanThreshold',
      threshold: m.rdsFreeStorageGb * 1024 ** 3,
    });
    expect(alarms[`${prefix}-rds-connections`].threshold).toBe(m.rdsConnections);
    expect(alarms[`${prefix}-render-queue-depth`].threshold).toBe(100);
    expect(alarms[`${prefix}-model-server-gpu-memory`].threshold).toBe(90);
    expect(alarms[`${prefix}-alb-unhealthy-targets`].metric_name).toBe('UnHealthyHostCount');
    const rate = alarms[`${prefix}-alb-5xx`];
    expect(rate.threshold).toBe(m.albTarget5xxPercent);
    expect(rate.metric_query.map((q: Json) => q.id)).toEqual(['rate', 'errors', 'requests']);
  });

  it('watches every Redis node and each GPU fleet that must have instances', () => {
    const redisCpu = Object.keys(alarms).filter((n) => n.includes('redis-cpu'));
    expect(redisCpu).toHaveLength(config.cache.nodeCount);
    const inService = Object.keys(alarms).filter((n) => n.endsWith('-in-service'));
    const expected = [
      ...(config.gpu.modelServer.count.min > 0 ? [`${prefix}-model-server-in-service`] : []),
      ...(config.gpu.renderWorker.count.min > 0 ? [`${prefix}-render-worker-in-service`] : []),
    ];
    expect(inService.sort()).toEqual(expected);
  });

  it('alarms on GPU memory used over GPU memory total per group, not on nvidia_smi_utilization_memory (memory-controller busy time)', () => {
    for (const [fleet, group] of [
      ['model-server', 'asg-model'],
      ['render-worker', 'asg-render'],
    ]) {
      const alarm = alarms[`${prefix}-${fleet}-gpu-memory`];
      expect(alarm.metric_name).toBeUndefined();
      expect(alarm).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 90 });
      const metric = (id: string) => alarm.metric_query.find((q: Json) => q.id === id).metric;
      for (const [id, name] of [
        ['used', 'nvidia_smi_memory_used'],
        ['total', 'nvidia_smi_memory_total'],
      ]) {
        expect(metric(id)).toEqual({
          namespace: 'CWAgent',
          metric_name: name,
          dimensions: { AutoScalingGroupName: group },
          period: 300,
          stat: 'Maximum',
        });
      }
      expect(alarm.metric_query.filter((q: Json) => q.return_data)).toEqual([
        {
          id: 'percent',
          label: 'GPU memory used (%)',
          expression: 'IF(total > 0, 100 * used / total, 0)',
          return_data: true,
        },
      ]);
    }
    expect(JSON.stringify(json)).not.toContain('nvidia_smi_utilization_memory');
  });

  it('alarms when a GPU group has fewer instances in service than desired for 15 minutes', () => {
    const alarm = alarms[`${prefix}-model-server-below-desired`];
    expect(alarm).toMatchObject({
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      evaluation_periods: 15,
      datapoints_to_alarm: 15,
      treat_missing_data: 'notBreaching',
    });
    const groupMetric = (metricName: string) => ({
      namespace: 'AWS/AutoScaling',
      metric_name: metricName,
      dimensions: { AutoScalingGroupName: 'asg-model' },
      period: 60,
      stat: 'Average',
    });
    expect(alarm.metric_query).toEqual([
      { id: 'desired', return_data: false, metric: groupMetric('GroupDesiredCapacity') },
      { id: 'in_service', return_data: false, metric: groupMetric('GroupInServiceInstances') },
      {
        id: 'shortfall',
        label: 'Desired instances not in service',
        expression: 'desired - in_service',
        return_data: true,
      },
    ]);
    expect(alarms[`${prefix}-render-worker-below-desired`].metric_query[0].metric.dimensions).toEqual({
      AutoScalingGroupName: 'asg-render',
    });
  });

  it('sends every failed GPU launch (EventBridge "EC2 Instance Launch Unsuccessful") to the alarm topic', () => {
    const rule = Object.values(resourcesOf(json, 'aws_cloudwatch_event_rule'))[0];
    expect(rule.name).toBe(`${prefix}-gpu-launch-unsuccessful`);
    expect(rule.description).toBe(`Failed instance launches of the ${prefix} GPU groups`);
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Unsuccessful'],
      detail: { AutoScalingGroupName: ['asg-model', 'asg-render'] },
    });
    const [target] = Object.values(resourcesOf(json, 'aws_cloudwatch_event_target'));
    expect(target.arn).toMatch(/^\$\{aws_sns_topic\.[^.]+\.arn\}$/);
    expect(target.rule).toMatch(/^\$\{aws_cloudwatch_event_rule\.[^.]+\.name\}$/);
  });

  it('lets CloudWatch alarms and only the launch-failure rule publish to the encrypted topic (topic policy and key policy)', () => {
    const [topicPolicy] = Object.values(resourcesOf(json, 'aws_sns_topic_policy'));
    const statements = parseInterpolatedJson(topicPolicy.policy).Statement;
    expect(statements).toEqual([
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: 'REF',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
      {
        Sid: 'EventBridgeLaunchFailures',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: 'REF',
        Condition: { ArnEquals: { 'aws:SourceArn': 'REF' } },
      },
    ]);
    expect(topicPolicy.policy).toMatch(/"aws:SourceArn":"\$\{aws_cloudwatch_event_rule\.[^.]+\.arn\}"/);
    const [key] = Object.values(resourcesOf(json, 'aws_kms_key'));
    expect(JSON.parse(key.policy).Statement).toContainEqual({
      Sid: 'EventBridgePublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
  });

  it('builds a dashboard with overview, GPU and application sections', () => {
    const [dashboard] = Object.values(resourcesOf(json, 'aws_cloudwatch_dashboard'));
    const body = JSON.parse(dashboard.dashboard_body);
    const titles = body.widgets.map((w: Json) => w.properties.title ?? w.properties.markdown);
    expect(titles).toContain(`# ${prefix}: system overview`);
    expect(titles).toContain('# GPU');
    expect(titles).toContain('# Application');
    expect(body.widgets.filter((w: Json) => w.type === 'metric').length).toBeGreaterThanOrEqual(8);
  });
});

describe('monitoring e-mail subscription', () => {
  it('subscribes the alarm e-mail only when the variable is not empty', () => {
    const json = synthScope((scope) => {
      const email = new TerraformVariable(scope, 'alarm_email', { type: 'string', default: '' });
      new Monitoring(scope, 'monitoring', props(stagingConfig(settings), { alarmEmail: email.stringValue }));
    });
    const [subscription] = Object.values(resourcesOf(json, 'aws_sns_topic_subscription'));
    expect(subscription).toMatchObject({ protocol: 'email', endpoint: '${var.alarm_email}' });
    expect(subscription.count).toBe('${min(length(var.alarm_email), 1)}');
  });

  it('creates no subscription when no e-mail is wired', () => {
    const json = synthScope((scope) => new Monitoring(scope, 'monitoring', props(stagingConfig(settings))));
    expect(resourcesOf(json, 'aws_sns_topic_subscription')).toEqual({});
  });
});

describe('monitoring of GPU fleets held at zero', () => {
  it('takes a Terraform expression as the in-service minimum and uses it as the threshold', () => {
    const config = productionConfig(settings);
    const json = synthScope((scope) => {
      const min = Token.asNumber('${var.model_server_image_tag == "" ? 0 : 1}');
      const base = props(config);
      new Monitoring(scope, 'monitoring', {
        ...base,
        gpuFleets: [{ ...base.gpuFleets[0], minInService: min }],
      });
    });
    const alarm = alarmsByName(json)['ecg-video-pipeline-production-model-server-in-service'];
    expect(alarm.threshold).toBe('${var.model_server_image_tag == "" ? 0 : 1}');
    expect(alarm.alarm_description).toBe(
      'model-server has fewer than ${var.model_server_image_tag == "" ? 0 : 1} instances in service',
    );
  });

  it('creates no launch-failure rule and lets only CloudWatch publish when there is no GPU fleet', () => {
    const json = synthScope(
      (scope) => new Monitoring(scope, 'monitoring', props(stagingConfig(settings), { gpuFleets: [] })),
    );
    expect(resourcesOf(json, 'aws_cloudwatch_event_rule')).toEqual({});
    const [topicPolicy] = Object.values(resourcesOf(json, 'aws_sns_topic_policy'));
    expect(
      parseInterpolatedJson(topicPolicy.policy).Statement.map((st: Json) => st.Principal.Service),
    ).toEqual(['cloudwatch.amazonaws.com']);
  });
});

describe('monitoring validation', () => {
  it('fails when thresholds are not positive percentages and no Redis node is given', () => {
    const config = stagingConfig(settings);
    expect(() =>
      synthScope(
        (scope) =>
          new Monitoring(
            scope,
            'monitoring',
            props(config, {
              thresholds: { ...config.monitoring, ecsCpuPercent: 180, rdsConnections: 0 },
              redisClusterIds: [],
            }),
          ),
      ),
    ).toThrow(
      [
        'Invalid configuration (3 problems):',
        '  - stack/monitoring.thresholds.ecsCpuPercent 180 is a percentage: must be more than 0 and at most 100',
        '  - stack/monitoring.thresholds.rdsConnections 0 must be a positive number',
        '  - stack/monitoring.redisClusterIds [] must list at least one cache cluster',
      ].join('\n'),
    );
  });
});
