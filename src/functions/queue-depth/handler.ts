/**
 * Queue-depth publisher: run every minute by EventBridge Scheduler, it counts the Celery backlog
 * in Redis and puts it to CloudWatch, where the render fleet's scaling policy and alarms read it.
 * Bundled with its dependencies into one file at synth (src/lib/function-bundle.ts).
 *
 * Environment (set by the queue-depth-publisher module):
 * - REDIS_HOST, REDIS_PORT, REDIS_TLS ("true" unless "false")
 * - REDIS_AUTH_SECRET_ARN: Secrets Manager secret holding the AUTH token alone
 * - CELERY_QUEUES: comma-separated queue names
 * - the workers' kombu transport options that name the keys (kombu's default when unset):
 *   CELERY_PRIORITY_STEPS (`priority_steps`, comma-separated), CELERY_SEP_JSON (`sep` as a JSON
 *   string: the default is two control characters), CELERY_KEY_PREFIX (`global_keyprefix`),
 *   CELERY_UNACKED_KEY (`unacked_key`)
 * - METRIC_NAMESPACE, METRIC_NAME (the backlog), METRIC_DIMENSIONS (JSON object)
 *
 * It fails loudly: when Redis or an AWS call fails it throws, publishes nothing (a 0 would tell
 * the scaling policy that no work waits) and the Lambda Errors alarm fires.
 */
import type { ConnectionOptions } from 'node:tls';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createClient } from '@redis/client';
import { KOMBU_KEY_LAYOUT_DEFAULTS, type KombuKeyLayout } from '../../lib/celery-broker';
import { readBacklog, type Backlog } from './backlog';

/** Metric names published next to the backlog metric, in the same namespace and dimensions. */
export const QUEUED_METRIC = 'JobsQueued';
export const IN_PROGRESS_METRIC = 'JobsInProgress';

export interface PublisherConfig {
  readonly redisHost: string;
  readonly redisPort: number;
  readonly redisTls: boolean;
  readonly authSecretArn: string;
  readonly queues: readonly string[];
  /** How the workers' kombu names the keys of those queues. */
  readonly broker: KombuKeyLayout;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Reads and checks the environment; throws naming every missing or malformed variable. */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): PublisherConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set`);
    return value ?? '';
  };
  const redisHost = required('REDIS_HOST');
  const authSecretArn = required('REDIS_AUTH_SECRET_ARN');
  const namespace = required('METRIC_NAMESPACE');
  const metricName = required('METRIC_NAME');
  const queues = required('CELERY_QUEUES')
    .split(',')
    .map((q) => q.trim())
    .filter((q) => q !== '');
  const redisPort = Number(env.REDIS_PORT ?? '6379');
  if (!Number.isInteger(redisPort) || redisPort < 1 || redisPort > 65535) {
    problems.push(`REDIS_PORT ${env.REDIS_PORT} is not a port`);
  }
  let dimensions: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(env.METRIC_DIMENSIONS ?? '{}');
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      Object.values(parsed).some((v) => typeof v !== 'string')
    ) {
      throw new Error('not an object of strings');
    }
    dimensions = parsed as Record<string, string>;
  } catch (error) {
    problems.push(`METRIC_DIMENSIONS is not a JSON object of strings (${(error as Error).message})`);
  }
  const broker = brokerFromEnv(env, problems);
  if (problems.length > 0) throw new Error(`queue-depth publisher misconfigured: ${problems.join('; ')}`);
  return {
    redisHost,
    redisPort,
    redisTls: env.REDIS_TLS !== 'false',
    authSecretArn,
    queues,
    broker,
    namespace,
    metricName,
    dimensions,
  };
}

/** The kombu key layout from the environment; unset variables take kombu's defaults. */
function brokerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): KombuKeyLayout {
  const defaults = KOMBU_KEY_LAYOUT_DEFAULTS;
  const stepsText = env.CELERY_PRIORITY_STEPS ?? defaults.prioritySteps.join(',');
  const prioritySteps = stepsText.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (
    !prioritySteps.every(
      (step, i) => Number.isInteger(step) && step >= 0 && (i === 0 || step > prioritySteps[i - 1]),
    )
  ) {
    problems.push(`CELERY_PRIORITY_STEPS ${stepsText} is not ascending integers like 0,3,6,9`);
  }
  let sep = defaults.sep;
  if (env.CELERY_SEP_JSON !== undefined) {
    try {
      const parsed: unknown = JSON.parse(env.CELERY_SEP_JSON);
      if (typeof parsed !== 'string' || parsed === '') throw new Error('not a non-empty string');
      sep = parsed;
    } catch (error) {
      problems.push(`CELERY_SEP_JSON is not a JSON string like ":" (${(error as Error).message})`);
    }
  }
  const unackedKey = env.CELERY_UNACKED_KEY ?? defaults.unackedKey;
  if (unackedKey === '') problems.push('CELERY_UNACKED_KEY is empty');
  return {
    prioritySteps,
    sep,
    globalKeyprefix: env.CELERY_KEY_PREFIX ?? defaults.globalKeyprefix,
    unackedKey,
  };
}

/** The data points of one run: the backlog (what scaling reads) and its two parts. */
export function metricData(config: PublisherConfig, backlog: Backlog, at: Date): MetricDatum[] {
  const Dimensions = Object.entries(config.dimensions).map(([Name, Value]) => ({ Name, Value }));
  const datum = (MetricName: string, Value: number): MetricDatum => ({
    MetricName,
    Dimensions,
    Value,
    Unit: 'Count',
    Timestamp: at,
    StorageResolution: 60,
  });
  return [
    datum(config.metricName, backlog.total),
    datum(QUEUED_METRIC, backlog.queued),
    datum(IN_PROGRESS_METRIC, backlog.inProgress),
  ];
}

export interface PublisherDeps {
  readonly config: PublisherConfig;
  readonly secrets: Pick<SecretsManagerClient, 'send'>;
  readonly cloudwatch: Pick<CloudWatchClient, 'send'>;
  /** Extra TLS options (a private CA in tests); the system CAs verify ElastiCache. @default none */
  readonly tls?: ConnectionOptions;
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
  readonly now?: () => Date;
  readonly log?: (entry: Record<string, unknown>) => void;
}

/** What one run published. */
export interface PublishResult {
  readonly backlog: Backlog;
  readonly metrics: readonly MetricDatum[];
}

async function authToken(deps: PublisherDeps): Promise<string> {
  const out = await deps.secrets.send(new GetSecretValueCommand({ SecretId: deps.config.authSecretArn }));
  if (!out.SecretString) throw new Error(`secret ${deps.config.authSecretArn} has no string value`);
  return out.SecretString;
}

async function countBacklog(deps: PublisherDeps, password: string): Promise<Backlog> {
  const { config } = deps;
  let socketError: Error | undefined;
  const socket = {
    host: config.redisHost,
    port: config.redisPort,
    connectTimeout: deps.connectTimeoutMs ?? 5000,
    // One attempt per run: the next run is a minute away, and a failure must surface now.
    reconnectStrategy: false as const,
  };
  const client = createClient({
    password,
    socket: config.redisTls ? { ...deps.tls, ...socket, tls: true as const } : socket,
  });
  client.on('error', (error: Error) => {
    socketError = error;
  });
  try {
    await client.connect();
    return await readBacklog(client, config.queues, config.broker);
  } catch (error) {
    const cause = socketError && socketError !== error ? ` (${socketError.message})` : '';
    throw new Error(
      `cannot read the backlog from Redis ${config.redisHost}:${config.redisPort}: ${(error as Error).message}${cause}`,
      { cause: error },
    );
  } finally {
    if (client.isOpen) await client.close().catch(() => client.destroy());
  }
}

/** One run: read the token, count the backlog, put the metrics. Throws on any failure. */
export async function publishOnce(deps: PublisherDeps): Promise<PublishResult> {
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const backlog = await countBacklog(deps, await authToken(deps));
  const metrics = metricData(deps.config, backlog, (deps.now ?? (() => new Date()))());
  await deps.cloudwatch.send(
    new PutMetricDataCommand({ Namespace: deps.config.namespace, MetricData: metrics }),
  );
  log({
    message: 'published the Celery backlog',
    namespace: deps.config.namespace,
    queued: backlog.queued,
    inProgress: backlog.inProgress,
    total: backlog.total,
    queues: backlog.queues,
    unreadable: backlog.unreadable,
  });
  return { backlog, metrics };
}

let clients: { secrets: SecretsManagerClient; cloudwatch: CloudWatchClient } | undefined;

/** The Lambda entry point (`index.handler`); the SDK clients are reused across warm invocations. */
export async function handler(): Promise<{ queued: number; inProgress: number; total: number }> {
  const config = configFromEnv(process.env);
  clients ??= { secrets: new SecretsManagerClient({}), cloudwatch: new CloudWatchClient({}) };
  const { backlog } = await publishOnce({ config, ...clients });
  return { queued: backlog.queued, inProgress: backlog.inProgress, total: backlog.total };
}
