import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  IN_PROGRESS_METRIC,
  QUEUED_METRIC,
  configFromEnv,
  publishOnce,
  type PublisherConfig,
  type PublisherDeps,
} from '../src/functions/queue-depth/handler';
import { queueKeys, routingKeyOf, unackedHashKey } from '../src/functions/queue-depth/backlog';
import { bundleFunction } from '../src/lib/function-bundle';
import { startFakeAws, type FakeAws } from './support/fake-aws';
import { startRedis, type LocalRedis } from './support/redis-server';
import { FAKE_CREDENTIALS, runBundledHandler } from './support/run-bundle';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:p-e/redis/auth-token-AbCdEf';
const NAMESPACE = 'ECG/RenderWorker';
const DIMENSIONS = { AutoScalingGroupName: 'p-e-render-worker' };
const CREDENTIALS = FAKE_CREDENTIALS;
/** kombu's defaults (kombu/transport/redis.py). */
const KOMBU_DEFAULTS = {
  prioritySteps: [0, 3, 6, 9],
  sep: '\x06\x16',
  globalKeyprefix: '',
  unackedKey: 'unacked',
};
/** The priority recipe of Celery's docs: sep ':' and ten steps. */
const RECIPE = { ...KOMBU_DEFAULTS, prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], sep: ':' };

/** A kombu `unacked` hash value: [message, exchange, routing key]. */
function unacked(routingKey: string): string {
  return JSON.stringify([{ body: 'e30=', headers: { task: 'render' } }, routingKey, routingKey]);
}

describe('queue-depth publisher against Redis (TLS, AUTH) on 127.0.0.1', () => {
  let redis: LocalRedis;
  let aws: FakeAws;
  let config: PublisherConfig;
  let deps: PublisherDeps;

  beforeAll(async () => {
    [redis, aws] = await Promise.all([startRedis(), startFakeAws()]);
    aws.secrets.set(SECRET_ARN, redis.password);
    config = {
      redisHost: '127.0.0.1',
      redisPort: redis.port,
      redisTls: true,
      authSecretArn: SECRET_ARN,
      queues: ['render', 'celery'],
      broker: KOMBU_DEFAULTS,
      namespace: NAMESPACE,
      metricName: 'QueueDepth',
      dimensions: DIMENSIONS,
    };
    const client = { region: 'ap-northeast-2', endpoint: aws.endpoint, credentials: CREDENTIALS };
    deps = {
      config,
      secrets: new SecretsManagerClient(client),
      cloudwatch: new CloudWatchClient(client),
      tls: { ca: redis.ca },
      log: () => undefined,
    };
  });

  afterAll(async () => {
    await Promise.all([redis?.stop(), aws?.stop()]);
  });

  beforeEach(() => {
    redis.cli('FLUSHALL');
    aws.calls.length = 0;
  });

  /** The PutMetricData calls, as metric name -> value. */
  function published(): Record<string, number>[] {
    return aws.calls
      .filter((c) => c.target === 'GraniteServiceVersion20100801.PutMetricData')
      .map((c) => {
        expect(c.body.Namespace).toBe(NAMESPACE);
        const data = c.body.MetricData as { MetricName: string; Value: number; Dimensions: unknown }[];
        for (const d of data)
          expect(d.Dimensions).toEqual([{ Name: 'AutoScalingGroupName', Value: 'p-e-render-worker' }]);
        return Object.fromEntries(data.map((d) => [d.MetricName, d.Value]));
      });
  }

  it('publishes 0 for empty queues (the wake-up alarm and target tracking get a data point every minute)', async () => {
    const result = await publishOnce(deps);
    expect(result.backlog).toMatchObject({ queued: 0, inProgress: 0, total: 0 });
    expect(published()).toEqual([{ QueueDepth: 0, [QUEUED_METRIC]: 0, [IN_PROGRESS_METRIC]: 0 }]);
    expect(aws.calls[0]).toEqual({ target: 'secretsmanager.GetSecretValue', body: { SecretId: SECRET_ARN } });
  });

  it('counts queued jobs over the queue list and its priority lists', async () => {
    redis.cli('LPUSH', 'render', 'a', 'b', 'c');
    redis.cli('LPUSH', 'render\x06\x166', 'd');
    redis.cli('LPUSH', 'celery', 'e');
    redis.cli('LPUSH', 'other-queue', 'not counted');
    const result = await publishOnce(deps);
    expect(result.backlog.queues).toEqual({
      render: { queued: 4, inProgress: 0 },
      celery: { queued: 1, inProgress: 0 },
    });
    expect(published()).toEqual([{ QueueDepth: 5, [QUEUED_METRIC]: 5, [IN_PROGRESS_METRIC]: 0 }]);
  });

  it('adds jobs taken but not acknowledged (kombu unacked hash) so busy workers are not scaled in', async () => {
    redis.cli('LPUSH', 'render', 'waiting');
    redis.cli('HSET', 'unacked', 'tag-1', unacked('render'), 'tag-2', unacked('render'));
    redis.cli('HSET', 'unacked', 'tag-3', unacked('other-queue'), 'tag-4', 'not json');
    const result = await publishOnce(deps);
    expect(result.backlog).toMatchObject({ queued: 1, inProgress: 3, total: 4, unreadable: 1 });
    expect(result.backlog.queues.render).toEqual({ queued: 1, inProgress: 2 });
    expect(published()).toEqual([{ QueueDepth: 4, [QUEUED_METRIC]: 1, [IN_PROGRESS_METRIC]: 3 }]);
  });

  it('honours a kombu global_keyprefix, on the lists and the unacked hash', async () => {
    redis.cli('LPUSH', 'app:render', 'a', 'b');
    redis.cli('LPUSH', 'app:render\x06\x163', 'c');
    redis.cli('LPUSH', 'render', 'not counted: no prefix');
    redis.cli('HSET', 'app:unacked', 'tag', unacked('render'));
    redis.cli('HSET', 'unacked', 'other', unacked('render'));
    const broker = { ...KOMBU_DEFAULTS, globalKeyprefix: 'app:' };
    const result = await publishOnce({ ...deps, config: { ...config, broker } });
    expect(result.backlog).toMatchObject({ queued: 3, inProgress: 1 });
  });

  it("counts the ten lists of the priority recipe of Celery's docs (sep ':'), and only those", async () => {
    redis.cli('LPUSH', 'render', 'a', 'b');
    for (const step of ['1', '2', '4', '5', '7', '8', '9']) redis.cli('LPUSH', `render:${step}`, 'x');
    redis.cli('LPUSH', 'render\x06\x163', 'not counted: the default separator');
    redis.cli('LPUSH', 'render:10', 'not counted: no step 10');
    const result = await publishOnce({ ...deps, config: { ...config, broker: RECIPE } });
    expect(result.backlog.queues.render).toEqual({ queued: 9, inProgress: 0 });
  });

  it('reads the unacked hash named by unacked_key', async () => {
    redis.cli('HSET', 'render-unacked', 'tag-1', unacked('render'), 'tag-2', unacked('celery'));
    redis.cli('HSET', 'unacked', 'tag-3', unacked('render'));
    const broker = { ...KOMBU_DEFAULTS, unackedKey: 'render-unacked' };
    const result = await publishOnce({ ...deps, config: { ...config, broker } });
    expect(result.backlog).toMatchObject({ queued: 0, inProgress: 2 });
  });

  it('fails and publishes nothing when the AUTH token is wrong', async () => {
    aws.secrets.set(SECRET_ARN, 'wrong-token');
    try {
      await expect(publishOnce(deps)).rejects.toThrow(
        /cannot read the backlog from Redis 127\.0\.0\.1:\d+: .*(WRONGPASS|invalid)/i,
      );
    } finally {
      aws.secrets.set(SECRET_ARN, redis.password);
    }
    expect(published()).toEqual([]);
  });

  it('fails and publishes nothing when the server certificate is not trusted', async () => {
    await expect(publishOnce({ ...deps, tls: undefined })).rejects.toThrow(/cannot read the backlog/);
    expect(published()).toEqual([]);
  });

  it('runs as the bundled index.js the function ships, with the SDK endpoints on loopback', async () => {
    const bundle = bundleFunction(
      'queue-depth',
      join(__dirname, '..', 'src', 'functions', 'queue-depth', 'handler.ts'),
    );
    redis.cli('LPUSH', 'render', 'a', 'b');
    redis.cli('HSET', 'unacked', 'tag', unacked('render'));
    const result = await runBundledHandler(
      join(bundle.directory, 'index.js'),
      { redis, aws },
      {
        REDIS_AUTH_SECRET_ARN: SECRET_ARN,
        CELERY_QUEUES: 'render',
        METRIC_NAMESPACE: NAMESPACE,
        METRIC_NAME: 'QueueDepth',
        METRIC_DIMENSIONS: JSON.stringify(DIMENSIONS),
      },
    );
    expect(result).toEqual({
      queued: 2,
      inProgress: 1,
      total: 3,
    });
    expect(published()).toEqual([{ QueueDepth: 3, [QUEUED_METRIC]: 2, [IN_PROGRESS_METRIC]: 1 }]);
  });

  it('fails loudly when Redis is down: throws, and nothing is published', async () => {
    const down = await startRedis();
    await down.stop();
    await expect(
      publishOnce({ ...deps, config: { ...config, redisPort: down.port }, connectTimeoutMs: 1000 }),
    ).rejects.toThrow(new RegExp(`cannot read the backlog from Redis 127\\.0\\.0\\.1:${down.port}`));
    expect(published()).toEqual([]);
  });
});

describe('queue-depth publisher configuration', () => {
  const env = {
    REDIS_HOST: 'master.p-e-redis.abc.apn2.cache.amazonaws.com',
    REDIS_AUTH_SECRET_ARN: SECRET_ARN,
    CELERY_QUEUES: 'render, celery',
    METRIC_NAMESPACE: NAMESPACE,
    METRIC_NAME: 'QueueDepth',
    METRIC_DIMENSIONS: '{"AutoScalingGroupName":"p-e-render-worker"}',
  };

  it('reads the environment the module sets, with TLS on and port 6379 by default', () => {
    expect(configFromEnv(env)).toEqual({
      redisHost: env.REDIS_HOST,
      redisPort: 6379,
      redisTls: true,
      authSecretArn: SECRET_ARN,
      queues: ['render', 'celery'],
      broker: { prioritySteps: [0, 3, 6, 9], sep: '\x06\x16', globalKeyprefix: '', unackedKey: 'unacked' },
      namespace: NAMESPACE,
      metricName: 'QueueDepth',
      dimensions: DIMENSIONS,
    });
  });

  it('reads the key layout the module sets: steps, separator as JSON, prefix, unacked hash', () => {
    const config = configFromEnv({
      ...env,
      CELERY_PRIORITY_STEPS: '0,1,2,3,4,5,6,7,8,9',
      CELERY_SEP_JSON: '":"',
      CELERY_KEY_PREFIX: 'ecg:',
      CELERY_UNACKED_KEY: 'render-unacked',
    });
    expect(config.broker).toEqual({
      prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      sep: ':',
      globalKeyprefix: 'ecg:',
      unackedKey: 'render-unacked',
    });
    expect(configFromEnv({ ...env, CELERY_SEP_JSON: '"\\u0006\\u0016"' }).broker.sep).toBe('\x06\x16');
  });

  it('fails naming a malformed key layout', () => {
    expect(() =>
      configFromEnv({
        ...env,
        CELERY_PRIORITY_STEPS: '0,6,3',
        CELERY_SEP_JSON: ':',
        CELERY_UNACKED_KEY: '',
      }),
    ).toThrow(
      /^queue-depth publisher misconfigured: CELERY_PRIORITY_STEPS 0,6,3 is not ascending integers like 0,3,6,9; CELERY_SEP_JSON is not a JSON string like ":" \(.+\); CELERY_UNACKED_KEY is empty$/,
    );
    expect(() => configFromEnv({ ...env, CELERY_SEP_JSON: '""', CELERY_PRIORITY_STEPS: '' })).toThrow(
      /CELERY_PRIORITY_STEPS {2}is not ascending.*CELERY_SEP_JSON is not a JSON string like ":" \(not a non-empty string\)/,
    );
  });

  it('fails naming every missing or malformed variable', () => {
    expect(() => configFromEnv({ REDIS_PORT: '70000', METRIC_DIMENSIONS: '["x"]' })).toThrow(
      'queue-depth publisher misconfigured: REDIS_HOST is not set; REDIS_AUTH_SECRET_ARN is not set; ' +
        'METRIC_NAMESPACE is not set; METRIC_NAME is not set; CELERY_QUEUES is not set; REDIS_PORT 70000 is not a port; ' +
        'METRIC_DIMENSIONS is not a JSON object of strings (not an object of strings)',
    );
  });

  it('names the priority lists as kombu does and reads the routing key of an unacked entry', () => {
    expect(queueKeys('render')).toEqual(['render', 'render\x06\x163', 'render\x06\x166', 'render\x06\x169']);
    expect(queueKeys('render', { ...RECIPE, globalKeyprefix: 'ecg:' })).toEqual([
      'ecg:render',
      'ecg:render:1',
      'ecg:render:2',
      'ecg:render:3',
      'ecg:render:4',
      'ecg:render:5',
      'ecg:render:6',
      'ecg:render:7',
      'ecg:render:8',
      'ecg:render:9',
    ]);
    expect(queueKeys('render', { ...KOMBU_DEFAULTS, prioritySteps: [3, 6] })).toEqual([
      'render\x06\x163',
      'render\x06\x166',
    ]);
    expect(unackedHashKey({ ...KOMBU_DEFAULTS, globalKeyprefix: 'ecg:' })).toBe('ecg:unacked');
    expect(routingKeyOf(unacked('render'))).toBe('render');
    expect(routingKeyOf('[1, 2]')).toBeUndefined();
  });
});
