import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QueueDepthPublisher, type QueueDepthPublisherProps } from '../src/modules/queue-depth-publisher';
import { onlyResource, synthScope } from './support/synth';
import { startFakeAws, type FakeAws } from './support/fake-aws';
import { startRedis, type LocalRedis } from './support/redis-server';
import { runBundledHandler } from './support/run-bundle';

/**
 * The publisher against a real Celery producer: Debian bookworm's python3-celery 5.2.6 with
 * python3-kombu 5.2.4 and python3-redis sends render tasks to the TLS Redis on 127.0.0.1 with the
 * workers' broker_transport_options, and a kombu consumer takes some without acknowledging them.
 * The function then runs as it ships (the bundled index.js) with the environment the module
 * synthesizes from the same options, and must count every job.
 *
 * /usr/bin/python3 on purpose: Debian's packages are installed for the system interpreter, and a
 * pyenv or venv python3 earlier on PATH would not see them.
 */
const PYTHON = '/usr/bin/python3';
const PRODUCER = join(__dirname, 'support', 'celery-producer.py');

const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:p-e/redis/auth-token-AbCdEf';
const NAMESPACE = 'ECG/RenderWorker';

const PROPS: QueueDepthPublisherProps = {
  namePrefix: 'p-e',
  region: 'ap-northeast-2',
  accountId: '123456789012',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-private-a'],
  redisHost: 'master.p-e-redis.abc.apn2.cache.amazonaws.com',
  authTokenSecretArn: SECRET_ARN,
  queues: ['render'],
  metricNamespace: NAMESPACE,
  metricName: 'QueueDepth',
  alarmTopicArn: 'arn:aws:sns:ap-northeast-2:123456789012:p-e-alarms',
};

/** The priority recipe of Celery's docs ("Redis Message Priorities"). */
const RECIPE = { queue_order_strategy: 'priority', sep: ':', priority_steps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] };
/** 12 render jobs, 7 of them without a priority or at 0 (the queue's own list). */
const TWELVE_JOBS = [null, null, null, 0, 0, 0, 0, 1, 3, 5, 8, 9];

interface Run {
  readonly queued: number;
  readonly inProgress: number;
  readonly total: number;
}

describe('queue-depth publisher against a real Celery producer (python3-celery, TLS Redis on 127.0.0.1)', () => {
  let redis: LocalRedis;
  let aws: FakeAws;

  beforeAll(async () => {
    [redis, aws] = await Promise.all([startRedis(), startFakeAws()]);
    aws.secrets.set(SECRET_ARN, redis.password);
  });

  afterAll(async () => {
    await Promise.all([redis?.stop(), aws?.stop()]);
  });

  beforeEach(() => {
    redis.cli('FLUSHALL');
  });

  /** Celery sends one task per entry of `priorities`; a consumer then takes `take` without acking. */
  async function produce(
    transportOptions: Record<string, unknown>,
    priorities: readonly (number | null)[],
    take = 0,
  ): Promise<{ sent: number; taken: number }> {
    const spec = JSON.stringify({ queue: 'render', priorities, transportOptions, take });
    const { stdout } = await promisify(execFile)(PYTHON, [PRODUCER, spec], {
      env: {
        PATH: process.env.PATH,
        BROKER_URL: `rediss://:${redis.password}@127.0.0.1:${redis.port}/0`,
        BROKER_CA_FILE: redis.caFile,
      },
      timeout: 60_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop() as string);
  }

  /** Synthesizes the module with `props` and runs its bundled function with that environment. */
  async function publish(props: Partial<QueueDepthPublisherProps> = {}): Promise<Run> {
    let publisher: QueueDepthPublisher | undefined;
    const json = synthScope((scope) => {
      publisher = new QueueDepthPublisher(scope, 'publisher', { ...PROPS, ...props });
    });
    const variables = onlyResource(json, 'aws_lambda_function').environment.variables as Record<
      string,
      string
    >;
    const index = join((publisher as QueueDepthPublisher).bundle.directory, 'index.js');
    return (await runBundledHandler(index, { redis, aws }, variables)) as Run;
  }

  it("counts 12 of 12 jobs with kombu's default options (priority lists 0, 3, 6, 9)", async () => {
    expect(await produce({}, [null, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9])).toEqual({ sent: 12, taken: 0 });
    expect(redis.cli('LLEN', 'render\x06\x169')).toBe('2');
    expect(await publish()).toEqual({ queued: 12, inProgress: 0, total: 12 });
  });

  it("counts 12 of 12 jobs with the priority recipe of Celery's docs (sep ':', ten steps), not 7", async () => {
    expect(await produce(RECIPE, TWELVE_JOBS)).toEqual({ sent: 12, taken: 0 });
    expect(redis.cli('LLEN', 'render')).toBe('7');
    expect(await publish({ sep: ':', prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual({
      queued: 12,
      inProgress: 0,
      total: 12,
    });
  });

  it('counts 12 of 12 jobs under a global_keyprefix, not 0', async () => {
    expect(await produce({ global_keyprefix: 'ecg:' }, TWELVE_JOBS)).toEqual({ sent: 12, taken: 0 });
    expect(redis.cli('LLEN', 'render')).toBe('0');
    expect(await publish({ globalKeyprefix: 'ecg:' })).toEqual({ queued: 12, inProgress: 0, total: 12 });
  });

  it('counts jobs a worker took and has not acknowledged, in the prefixed unacked hash, with the recipe', async () => {
    const options = { ...RECIPE, global_keyprefix: 'ecg:' };
    expect(await produce(options, TWELVE_JOBS, 3)).toEqual({ sent: 12, taken: 3 });
    expect(redis.cli('HLEN', 'ecg:unacked')).toBe('3');
    expect(
      await publish({ sep: ':', prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], globalKeyprefix: 'ecg:' }),
    ).toEqual({ queued: 9, inProgress: 3, total: 12 });
  });

  it('finds the unacked hash under another unacked_key', async () => {
    expect(await produce({ unacked_key: 'render-unacked' }, [null, 0, 5, 9], 2)).toEqual({
      sent: 4,
      taken: 2,
    });
    expect(redis.cli('HLEN', 'render-unacked')).toBe('2');
    expect(await publish({ unackedKey: 'render-unacked' })).toEqual({ queued: 2, inProgress: 2, total: 4 });
  });
});
