import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { configFromEnv, publishOnce } from '../src/functions/queue-depth/handler';
import { AWS_METRICS_CHECKED, NAMESPACE_DOCS, SERVICE_METRICS } from './support/aws-service-metrics';
import { agentMetrics, loadedAgentConfigs, userDataText } from './support/cloudwatch-agent-rules';
import { startFakeAws, type FakeAws } from './support/fake-aws';
import {
  agentProducts,
  consumedMetrics,
  unmatched,
  type ConsumedMetric,
  type ProducedMetric,
} from './support/metric-contracts';
import { startRedis, type LocalRedis } from './support/redis-server';
import { Testing } from 'cdktf';
import { buildTestApp, synthStack } from './support/app';
import { resourcesOf, type Json } from './support/synth';

/**
 * Metric contracts: every metric an alarm, a scaling policy or the dashboard reads has a producer
 * in the stack that puts it with the same namespace, name, dimensions and (where the reader names
 * one) unit. A reader naming a unit sees only data points put with that unit (GetMetricStatistics
 * and PutMetricAlarm, Unit); one naming none reads whatever unit was put.
 */

const STACKS = ['staging', 'production'] as const;
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

let redis: LocalRedis;
let aws: FakeAws;

beforeAll(async () => {
  [redis, aws] = await Promise.all([startRedis(), startFakeAws()]);
});

afterAll(async () => {
  await Promise.all([redis?.stop(), aws?.stop()]);
});

/**
 * What the queue-depth publisher puts, found by running it: its handler's configuration from the
 * function's synthesized environment (Redis moved to the loopback server), against real Redis and
 * the fake CloudWatch endpoint.
 */
async function publisherProducts(json: Json): Promise<ProducedMetric[]> {
  const out: ProducedMetric[] = [];
  for (const [name, fn] of Object.entries(resourcesOf(json, 'aws_lambda_function'))) {
    const env = fn.environment?.variables as Record<string, string> | undefined;
    if (!env?.METRIC_NAMESPACE) continue;
    const config = configFromEnv({ ...env, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redis.port) });
    aws.secrets.set(config.authSecretArn, redis.password);
    aws.calls.length = 0;
    const client = { region: 'ap-northeast-2', endpoint: aws.endpoint, credentials: CREDENTIALS };
    await publishOnce({
      config,
      secrets: new SecretsManagerClient(client),
      cloudwatch: new CloudWatchClient(client),
      tls: { ca: redis.ca },
      log: () => undefined,
    });
    for (const call of aws.calls.filter((c) => c.target.endsWith('.PutMetricData'))) {
      for (const d of call.body.MetricData as Json[]) {
        out.push({
          source: `queue-depth publisher aws_lambda_function.${name}`,
          namespace: call.body.Namespace as string,
          metricName: d.MetricName,
          dimensions: Object.fromEntries((d.Dimensions as Json[]).map((x) => [x.Name, x.Value])),
          unit: d.Unit ?? 'None',
        });
      }
    }
  }
  return out;
}

/** Each consumer with no producer, and why. */
function problems(
  json: Json,
  produced: readonly ProducedMetric[],
  consumed = consumedMetrics(json),
): string[] {
  return consumed.flatMap((c) => {
    const why = unmatched(c, json, produced);
    return why ? [`${c.where}: ${why}`] : [];
  });
}

describe.each(STACKS)('metric contracts (%s)', (stack) => {
  const json = synthStack(stack);
  let produced: ProducedMetric[];
  beforeAll(async () => {
    produced = [...agentProducts(json), ...(await publisherProducts(json))];
  });

  it('finds a producer for every metric an alarm, a scaling policy or the dashboard reads', () => {
    expect(problems(json, produced)).toEqual([]);
  });

  it('reads alarms (metric queries too), both kinds of scaling policy and the dashboard', () => {
    const kinds = new Set(consumedMetrics(json).map((c) => c.where.split('.')[0]));
    expect([...kinds].sort()).toEqual([
      'aws_appautoscaling_policy',
      'aws_autoscaling_policy',
      'aws_cloudwatch_dashboard',
      'aws_cloudwatch_metric_alarm',
    ]);
    const gpu = consumedMetrics(json).filter((c) => c.metricName === 'nvidia_smi_utilization_gpu');
    expect(gpu.map((c) => c.where.replace(/_[0-9A-F]{8}\b/g, '')).sort()).toEqual([
      'aws_autoscaling_policy.model-server_scaling',
      'aws_cloudwatch_dashboard.monitoring_dashboard widget 7 metric 0',
      'aws_cloudwatch_dashboard.monitoring_dashboard widget 7 metric 1',
      'aws_cloudwatch_metric_alarm.monitoring_model-server-gpu-utilization',
      'aws_cloudwatch_metric_alarm.monitoring_render-worker-gpu-utilization',
    ]);
  });

  it('knows what each GPU group publishes from the agent config in its user data', () => {
    const group = Object.keys(resourcesOf(json, 'aws_autoscaling_group')).find((k) =>
      k.startsWith('model-server'),
    );
    const perGroup = agentProducts(json).filter(
      (p) =>
        p.source === `CloudWatch agent of aws_autoscaling_group.${group}` &&
        Object.keys(p.dimensions).length === 1,
    );
    expect(perGroup.map((p) => [p.metricName, p.unit, p.dimensions.AutoScalingGroupName])).toEqual([
      ['nvidia_smi_utilization_gpu', 'Percent', `\${aws_autoscaling_group.${group}.name}`],
      ['nvidia_smi_utilization_memory', 'Percent', `\${aws_autoscaling_group.${group}.name}`],
      ['nvidia_smi_memory_used', 'Megabytes', `\${aws_autoscaling_group.${group}.name}`],
      ['nvidia_smi_memory_total', 'Megabytes', `\${aws_autoscaling_group.${group}.name}`],
      ['mem_used_percent', 'Percent', `\${aws_autoscaling_group.${group}.name}`],
      ['disk_used_percent', 'Percent', `\${aws_autoscaling_group.${group}.name}`],
    ]);
  });

  it('knows what the queue-depth publisher puts by running it', () => {
    const group = `ecg-video-pipeline-${stack}-render-worker`;
    expect(produced.filter((p) => p.source.startsWith('queue-depth'))).toEqual(
      ['QueueDepth', 'JobsQueued', 'JobsInProgress'].map((metricName) => ({
        source: expect.stringMatching(/^queue-depth publisher aws_lambda_function\./),
        namespace: 'ECG/RenderWorker',
        metricName,
        dimensions: { AutoScalingGroupName: group },
        unit: 'Count',
      })),
    );
  });

  describe('fails when a producer or a consumer changes alone', () => {
    const policy = (c: ConsumedMetric) => c.where.startsWith('aws_autoscaling_policy.model-server_scaling');

    it('a GPU policy naming Percent over an agent that declares no unit (the INSUFFICIENT_DATA bug)', () => {
      const unitless = produced.map((p) =>
        p.metricName.startsWith('nvidia_smi_') ? { ...p, unit: 'None' } : p,
      );
      const consumed = consumedMetrics(json).map((c) => (policy(c) ? { ...c, unit: 'Percent' } : c));
      expect(problems(json, unitless, consumed)).toEqual([
        expect.stringMatching(
          /^aws_autoscaling_policy\.model-server_scaling_\w+: CWAgent nvidia_smi_utilization_gpu unit Percent: put with unit None/,
        ),
      ]);
    });

    it('a consumer naming another unit than the agent declares', () => {
      const consumed = consumedMetrics(json).map((c) => (policy(c) ? { ...c, unit: 'Count' } : c));
      expect(problems(json, produced, consumed)).toHaveLength(1);
    });

    it('an agent config without a measurement the alarms and dashboard read', () => {
      const less = produced.filter((p) => p.metricName !== 'nvidia_smi_memory_total');
      expect(problems(json, less).join('\n')).toMatch(
        /gpu-memory\w* metric_query total: CWAgent nvidia_smi_memory_total: no producer/,
      );
    });

    it('an agent config that no longer aggregates per group', () => {
      const rawOnly = produced.filter(
        (p) => Object.keys(p.dimensions).length !== 1 || !p.source.startsWith('CloudWatch'),
      );
      expect(problems(json, rawOnly).join('\n')).toMatch(
        /nvidia_smi_utilization_gpu \{"AutoScalingGroupName":.*put only with \{"host":"\*"/,
      );
    });

    it('a publisher putting another dimension value than the alarms and render policy read', () => {
      const moved = produced.map((p) =>
        p.source.startsWith('queue-depth') ? { ...p, dimensions: { AutoScalingGroupName: 'other' } } : p,
      );
      const found = problems(json, moved);
      expect(found.some((f) => f.startsWith('aws_autoscaling_policy.render-worker_scaling'))).toBe(true);
      expect(found.some((f) => f.includes('render-queue-depth'))).toBe(true);
    });

    it('an AWS metric read with a dimension set the service does not publish', () => {
      const consumed = consumedMetrics(json).map((c) =>
        c.where.includes('alb-unhealthy-targets') && c.where.endsWith('metric_query blue')
          ? { ...c, dimensions: { LoadBalancer: c.dimensions.LoadBalancer } }
          : c,
      );
      expect(problems(json, produced, consumed)).toEqual([
        expect.stringContaining(
          'UnHealthyHostCount: AWS publishes it with [TargetGroup, LoadBalancer], not [LoadBalancer]',
        ),
      ]);
    });

    it('a group metric of a group that does not collect it', () => {
      const copy = structuredClone(json);
      for (const g of Object.values(resourcesOf(copy, 'aws_autoscaling_group')))
        g.enabled_metrics = ['GroupMinSize'];
      expect(problems(copy, produced).join('\n')).toMatch(
        /GroupInServiceInstances: the group does not collect it/,
      );
    });
  });
});

/**
 * The synthesized stack with the CloudWatch agent configuration in every GPU launch template's user
 * data replaced by `edit(config)`: the agent changing alone, alarms untouched.
 */
function withAgentConfig(json: Json, edit: (config: Json) => void): Json {
  const copy = structuredClone(json);
  for (const template of Object.values(resourcesOf(copy, 'aws_launch_template'))) {
    if (!template.user_data) continue;
    let script = userDataText(template.user_data as string);
    for (const config of loadedAgentConfigs(script)) {
      const text = JSON.stringify(config, null, 2);
      const changed = structuredClone(config);
      edit(changed);
      script = script.replace(text, JSON.stringify(changed, null, 2));
    }
    template.user_data = Buffer.from(script).toString('base64');
  }
  return copy;
}

describe.each(STACKS)('the GPU disk alarms and the agent that feeds them (%s)', (stack) => {
  const json = synthStack(stack);
  const diskAlarms = (found: readonly string[]) =>
    found.filter((f) => /^aws_cloudwatch_metric_alarm\.monitoring_\S+-disk-used_/.test(f));

  it('read CWAgent disk_used_percent per Auto Scaling group in Percent, which the agent puts', () => {
    const consumed = consumedMetrics(json).filter((c) => c.metricName === 'disk_used_percent');
    expect(consumed.map((c) => [c.where.replace(/_[0-9A-F]{8}$/, ''), c.namespace, c.unit])).toEqual([
      ['aws_cloudwatch_metric_alarm.monitoring_model-server-disk-used', 'CWAgent', 'Percent'],
      ['aws_cloudwatch_metric_alarm.monitoring_render-worker-disk-used', 'CWAgent', 'Percent'],
    ]);
    for (const c of consumed)
      expect(c.dimensions).toEqual({
        AutoScalingGroupName: expect.stringMatching(
          /^\$\{aws_autoscaling_group\.(model-server|render-worker)_\w+\.name\}$/,
        ),
      });
    expect(diskAlarms(problems(json, agentProducts(json)))).toEqual([]);
  });

  describe('fail when the agent config changes alone', () => {
    const check = (edit: (config: Json) => void, why: RegExp) => {
      const changed = withAgentConfig(json, edit);
      const found = diskAlarms(problems(changed, agentProducts(changed)));
      expect(found).toHaveLength(2);
      for (const f of found) expect(f).toMatch(why);
    };

    it('no disk section', () => {
      check((c) => delete c.metrics.metrics_collected.disk, /CWAgent disk_used_percent: no producer/);
    });

    it('the disk measurement declaring another unit than the alarm reads', () => {
      check(
        (c) => (c.metrics.metrics_collected.disk.measurement = [{ name: 'used_percent', unit: 'None' }]),
        /disk_used_percent unit Percent: put with unit None/,
      );
    });

    it('no per-group aggregation (only the host, device, fstype and path sets)', () => {
      check(
        (c) => delete c.metrics.aggregation_dimensions,
        /disk_used_percent \{"AutoScalingGroupName":.*put only with \{"host":"\*"/,
      );
    });

    it('another namespace', () => {
      check((c) => (c.metrics.namespace = 'GPU/Hosts'), /CWAgent disk_used_percent: no producer/);
    });
  });
});

describe('the CloudWatch agent rules', () => {
  it('name a measurement <plugin>_<field>, take the declared unit or the default, and add one set per aggregation', () => {
    const metrics = agentMetrics({
      metrics: {
        append_dimensions: {
          AutoScalingGroupName: '${aws:AutoScalingGroupName}',
          InstanceId: '${aws:InstanceId}',
        },
        aggregation_dimensions: [
          ['AutoScalingGroupName'],
          ['InstanceId', 'AutoScalingGroupName'],
          ['Absent'],
          [],
        ],
        metrics_collected: {
          nvidia_gpu: {
            measurement: [
              { name: 'utilization_gpu', unit: 'Percent' },
              'nvidia_smi_temperature_gpu',
              { name: 'power_draw', rename: 'Power' },
            ],
          },
          mem: { measurement: ['mem_used_percent'] },
          disk: { measurement: ['used_percent'], resources: ['/'] },
        },
      },
    });
    const gpuSets = [
      ['host', 'arch', 'index', 'name', 'AutoScalingGroupName', 'InstanceId'],
      ['AutoScalingGroupName'],
      ['InstanceId', 'AutoScalingGroupName'],
      [],
    ];
    expect(metrics.map((m) => [m.namespace, m.metricName, m.unit])).toEqual([
      ['CWAgent', 'nvidia_smi_utilization_gpu', 'Percent'],
      ['CWAgent', 'nvidia_smi_temperature_gpu', 'None'],
      ['CWAgent', 'Power', 'None'],
      ['CWAgent', 'mem_used_percent', 'Percent'],
      ['CWAgent', 'disk_used_percent', 'Percent'],
    ]);
    expect(metrics[0].dimensionSets).toEqual(gpuSets);
    // mem has no tags of its own: host and the two appended dimensions.
    expect(metrics[3].dimensionSets).toEqual([
      ['host', 'AutoScalingGroupName', 'InstanceId'],
      ['AutoScalingGroupName'],
      ['InstanceId', 'AutoScalingGroupName'],
      [],
    ]);
    expect(metrics[4].dimensionSets[0]).toEqual([
      'host',
      'device',
      'fstype',
      'path',
      'AutoScalingGroupName',
      'InstanceId',
    ]);
  });

  it('fails on a measurement, unit or appended dimension the agent does not have', () => {
    const config = (section: Json, append: Json = {}) => ({
      metrics: { append_dimensions: append, metrics_collected: section },
    });
    expect(() => agentMetrics(config({ nvidia_gpu: { measurement: ['gpu_utilization'] } }))).toThrow(
      'not one the agent knows',
    );
    expect(() =>
      agentMetrics(config({ nvidia_gpu: { measurement: [{ name: 'utilization_gpu', unit: '%' }] } })),
    ).toThrow('not a CloudWatch unit');
    expect(() => agentMetrics(config({ mem: { measurement: ['used'] } }, { Team: 'x' }))).toThrow(
      'not one the agent supports',
    );
  });

  it('decode Terraform user data to the script the instance runs, references kept', () => {
    const text = userDataText(
      '${base64encode(join("", ["a \\"b\\"\\n$${aws:X} %%{y}", aws_ecr_repository.r.repository_url, ":v1\\n"]))}',
    );
    expect(text).toBe('a "b"\n${aws:X} %{y}${aws_ecr_repository.r.repository_url}:v1\n');
    expect(userDataText(Buffer.from('#!/bin/bash\n').toString('base64'))).toBe('#!/bin/bash\n');
  });

  it('read only a config the agent is told to load', () => {
    const script = `cat > "$A/etc/x.json" <<'EOF'\n{"metrics":{}}\nEOF\n"$A/bin/amazon-cloudwatch-agent-ctl" -a fetch-config -m ec2 -s -c "file:$A/etc/y.json"\n`;
    expect(() => loadedAgentConfigs(script)).toThrow(
      'the agent loads $A/etc/y.json, which the script does not write',
    );
  });
});

describe('metric contracts with the custom domain (production)', () => {
  const built = buildTestApp({ ECG_DOMAIN_NAME: 'example.com', ECG_HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ' });
  const json = JSON.parse(Testing.synth(built.platforms.production)) as Json;
  let produced: ProducedMetric[];
  beforeAll(async () => {
    produced = [...agentProducts(json), ...(await publisherProducts(json))];
  });

  it('reads the health check status Route 53 publishes, with the HealthCheckId dimension', () => {
    const route53 = consumedMetrics(json).filter((c) => c.namespace === 'AWS/Route53');
    expect(route53.map((c) => [c.metricName, Object.keys(c.dimensions)])).toEqual([
      ['HealthCheckStatus', ['HealthCheckId']],
    ]);
    expect(problems(json, produced)).toEqual([]);
  });

  it('fails when the alarm names a dimension Route 53 does not publish', () => {
    const consumed = consumedMetrics(json).map((c) =>
      c.namespace === 'AWS/Route53' ? { ...c, dimensions: { HealthCheck: 'x' } } : c,
    );
    expect(problems(json, produced, consumed)).toEqual([
      expect.stringContaining('HealthCheckStatus: AWS publishes it with [HealthCheckId], not [HealthCheck]'),
    ]);
  });
});

describe('the AWS metrics table', () => {
  it(`is dated (${AWS_METRICS_CHECKED}) and names the documentation page of every namespace it holds`, () => {
    expect(AWS_METRICS_CHECKED).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const m of SERVICE_METRICS)
      expect(NAMESPACE_DOCS[m.namespace]).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });
});
