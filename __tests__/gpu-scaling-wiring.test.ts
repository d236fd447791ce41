import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { productionConfig, stagingConfig, type EnvironmentConfig } from '../src/config';
import { buildTestApp, synthStack } from './support/app';
import { parseInterpolatedJson, resourcesOf, type Json } from './support/synth';

/** `${type.name.attr}` of a resource found by a predicate. */
function refOf(json: Json, type: string, match: (r: Json) => boolean, attr: string): string {
  const entries = Object.entries(resourcesOf(json, type)).filter(([, r]) => match(r));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return `\${${type}.${entries[0][0]}.${attr}}`;
}

const byName = (name: string) => (r: Json) =>
  r.name === name || r.function_name === name || r.alarm_name === name;

/**
 * The wake-up and scaling path end to end in the synthesized JSON: EventBridge Scheduler runs the
 * function, the function puts exactly the metric (namespace, name, dimensions) that the render
 * fleet's target tracking, its wake-up alarm and the monitoring alarms read, and it may put only
 * there. A rename on either side breaks this test instead of silently blinding the scaling.
 */
describe.each(['staging', 'production'] as const)(
  '%s: schedule -> function -> metric -> scaling',
  (stack) => {
    const json = synthStack(stack);
    const prefix = `ecg-video-pipeline-${stack}`;
    const group = `${prefix}-render-worker`;
    const fn = Object.values(resourcesOf(json, 'aws_lambda_function'))[0];
    const env = fn.environment.variables;
    const published = {
      namespace: env.METRIC_NAMESPACE,
      metricName: env.METRIC_NAME,
      dimensions: JSON.parse(env.METRIC_DIMENSIONS) as Record<string, string>,
    };

    it('runs the function every minute through a role that may invoke only it', () => {
      const fnArn = refOf(json, 'aws_lambda_function', byName(`${prefix}-queue-depth`), 'arn');
      const schedule = Object.values(resourcesOf(json, 'aws_scheduler_schedule'))[0];
      expect(schedule.schedule_expression).toBe('rate(1 minute)');
      expect(schedule.target.arn).toBe(fnArn);
      expect(schedule.target.role_arn).toBe(
        refOf(json, 'aws_iam_role', byName(`${prefix}-queue-depth-scheduler`), 'arn'),
      );
      const invoke = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find(
        (p) => p.name === 'invoke-queue-depth',
      );
      expect(parseInterpolatedJson((invoke as Json).policy).Statement).toEqual([
        { Sid: 'InvokeFunction', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: 'REF' },
      ]);
      expect((invoke as Json).policy).toContain(fnArn.slice(2, -1));
    });

    it("publishes the backlog of the render group's queues from this environment's Redis", () => {
      expect(published).toEqual({
        namespace: 'ECG/RenderWorker',
        metricName: 'QueueDepth',
        dimensions: { AutoScalingGroupName: group },
      });
      expect(env.CELERY_QUEUES).toBe('celery');
      // kombu's default key layout, as workers that set no broker_transport_options use.
      expect(env).toMatchObject({
        CELERY_PRIORITY_STEPS: '0,3,6,9',
        CELERY_SEP_JSON: '"\\u0006\\u0016"',
        CELERY_KEY_PREFIX: '',
        CELERY_UNACKED_KEY: 'unacked',
      });
      expect(env.REDIS_HOST).toMatch(
        /^\$\{aws_elasticache_replication_group\.cache_replication-group_[0-9A-F]+\.primary_endpoint_address\}$/,
      );
      const tokenSecret = refOf(
        json,
        'aws_secretsmanager_secret',
        (s) => String(s.name).endsWith('/redis/auth-token'),
        'arn',
      );
      expect(env.REDIS_AUTH_SECRET_ARN).toBe(tokenSecret);
      const access = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find(
        (p) => p.name === 'queue-depth',
      ) as Json;
      const statements = parseInterpolatedJson(access.policy).Statement as Json[];
      expect(statements.find((s) => s.Sid === 'QueueMetrics')?.Condition).toEqual({
        StringEquals: { 'cloudwatch:namespace': published.namespace },
      });
      expect(access.policy).toContain(tokenSecret.slice(2, -1));
    });

    it('is the metric the render target tracking divides by in-service instances', () => {
      const policy = Object.values(resourcesOf(json, 'aws_autoscaling_policy')).find(
        (p) => p.name === `${group}-queue-depth`,
      ) as Json;
      const backlog = policy.target_tracking_configuration.customized_metric_specification.metrics.find(
        (m: Json) => m.id === 'backlog',
      );
      expect(backlog.metric_stat.metric).toEqual({
        namespace: published.namespace,
        metric_name: published.metricName,
        dimensions: Object.entries(published.dimensions).map(([name, value]) => ({ name, value })),
      });
    });

    it('is the metric the alarms read: queue depth, metric missing, and (staging, min 0) the wake-up alarm', () => {
      const alarms = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm'));
      for (const name of [`${prefix}-render-queue-depth`, `${prefix}-queue-depth-metric-missing`]) {
        expect(alarms.find(byName(name))).toMatchObject({
          namespace: published.namespace,
          metric_name: published.metricName,
          dimensions: published.dimensions,
        });
      }
      const wake = alarms.find(byName(`${group}-wake-from-zero`));
      if (stack === 'production') {
        expect(wake).toBeUndefined();
        return;
      }
      const query = (wake as Json).metric_query.find((q: Json) => q.id === 'backlog');
      expect(query.metric).toMatchObject({
        namespace: published.namespace,
        metric_name: published.metricName,
        dimensions: published.dimensions,
      });
      expect((wake as Json).alarm_actions).toEqual([
        refOf(json, 'aws_autoscaling_policy', byName(`${group}-wake-from-zero`), 'arn'),
      ]);
    });

    it("scales the model server on the agent's GPU utilization of its own group", () => {
      const modelGroup = refOf(json, 'aws_autoscaling_group', byName(`${prefix}-model-server`), 'name');
      const policy = Object.values(resourcesOf(json, 'aws_autoscaling_policy')).find(
        (p) => p.name === `${prefix}-model-server-gpu-utilization`,
      ) as Json;
      expect(policy.target_tracking_configuration).toMatchObject({
        target_value: 70,
        customized_metric_specification: {
          namespace: 'CWAgent',
          metric_name: 'nvidia_smi_utilization_gpu',
          metric_dimension: [{ name: 'AutoScalingGroupName', value: modelGroup }],
        },
      });
      const alarm = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).find(
        byName(`${prefix}-model-server-gpu-utilization`),
      ) as Json;
      expect(alarm).toMatchObject({
        metric_name: 'nvidia_smi_utilization_gpu',
        dimensions: { AutoScalingGroupName: modelGroup },
      });
    });
  },
);

describe("the render workers' broker_transport_options reach the function", () => {
  it('passes gpu.renderWorker.scaling.brokerTransportOptions to the publisher as its environment', () => {
    const withRecipe = (config: EnvironmentConfig): EnvironmentConfig => {
      const scaling = config.gpu.renderWorker.scaling;
      if (scaling.kind !== 'queue-depth') throw new Error('the render workers scale on queue depth');
      const brokerTransportOptions = {
        prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        sep: ':',
        globalKeyprefix: 'ecg:',
        unackedKey: 'render-unacked',
      };
      return {
        ...config,
        gpu: {
          ...config.gpu,
          renderWorker: { ...config.gpu.renderWorker, scaling: { ...scaling, brokerTransportOptions } },
        },
      };
    };
    const built = buildTestApp(
      {},
      {},
      {
        environments: (settings) => [withRecipe(stagingConfig(settings)), productionConfig(settings)],
      },
    );
    const json = JSON.parse(Testing.synth(built.platforms.staging)) as Json;
    const fn = Object.values(resourcesOf(json, 'aws_lambda_function'))[0];
    expect(fn.environment.variables).toMatchObject({
      CELERY_PRIORITY_STEPS: '0,1,2,3,4,5,6,7,8,9',
      CELERY_SEP_JSON: '":"',
      CELERY_KEY_PREFIX: 'ecg:',
      CELERY_UNACKED_KEY: 'render-unacked',
    });
  });
});

describe('the broker settings table of both READMEs', () => {
  it("shows the render config's brokerTransportOptions, which are kombu's defaults", () => {
    for (const name of ['staging', 'production'] as const) {
      const config = (name === 'staging' ? stagingConfig : productionConfig)({ region: 'ap-northeast-2' });
      const scaling = config.gpu.renderWorker.scaling;
      expect(scaling.kind === 'queue-depth' && scaling.brokerTransportOptions).toEqual({
        prioritySteps: [0, 3, 6, 9],
        sep: '\x06\x16',
        globalKeyprefix: '',
        unackedKey: 'unacked',
      });
    }
    for (const readme of ['README.md', 'README.ko.md']) {
      const lines = readFileSync(join(__dirname, '..', readme), 'utf8').split('\n');
      // The broker table only: the contiguous table lines around its priority_steps row.
      const at = lines.findIndex((line) => line.startsWith('| `priority_steps`'));
      let start = at;
      while (start > 0 && lines[start - 1].startsWith('|')) start -= 1;
      let end = at;
      while (end < lines.length && lines[end].startsWith('|')) end += 1;
      const text = lines.slice(start, end).join('\n');
      const rows = [...text.matchAll(/^\| `(\w+)` +\| `(\w+)` +\| `([^`]+)` +\|/gm)].map((m) => m.slice(1));
      expect(rows, readme).toEqual([
        ['priority_steps', 'prioritySteps', '[0, 3, 6, 9]'],
        ['sep', 'sep', "'\\x06\\x16'"],
        ['global_keyprefix', 'globalKeyprefix', "''"],
        ['unacked_key', 'unackedKey', "'unacked'"],
      ]);
    }
  });
});
