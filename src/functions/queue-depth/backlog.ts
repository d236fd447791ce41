/**
 * The Celery backlog as kombu's Redis transport stores it (kombu/transport/redis.py; the facts and
 * line numbers are in src/lib/celery-broker.ts):
 * - a queue is a Redis list named after it; a message with a priority goes to `<queue><sep><step>`
 *   for every priority step but 0, so the waiting jobs of a queue are the sum of LLEN over the
 *   keys of all steps (kombu's own Channel._size);
 * - a message a worker has taken but not acknowledged (running, or prefetched by a busy worker) is
 *   a field of the hash `unacked` (`unacked_key`), whose value is the JSON
 *   `[message, exchange, routing_key]`, and leaves it on ack. With Celery's default routing the
 *   routing key is the queue name;
 * - the `global_keyprefix` goes before every one of those keys, the unacked hash's included.
 * The steps, `sep`, prefix and hash name are the workers' transport options (KombuKeyLayout).
 */
import { KOMBU_KEY_LAYOUT_DEFAULTS, type KombuKeyLayout } from '../../lib/celery-broker';

/** The few Redis commands the count needs (satisfied by a node-redis client). */
export interface BacklogRedis {
  lLen(key: string): Promise<number>;
  hVals(key: string): Promise<string[]>;
}

export interface Backlog {
  /** Messages waiting in the queues' lists. */
  readonly queued: number;
  /** Messages taken by a worker and not yet acknowledged. */
  readonly inProgress: number;
  /** queued + inProgress: what the render fleet must have capacity for. */
  readonly total: number;
  /** Waiting and taken messages per queue. */
  readonly queues: Readonly<Record<string, { readonly queued: number; readonly inProgress: number }>>;
  /** Unacknowledged entries that could not be read; counted as in progress of no queue. */
  readonly unreadable: number;
}

/**
 * The Redis keys of one queue's lists, one per priority step, as kombu's `_q_for_pri` names them:
 * step 0 is the queue's own key (`if pri:` is false for 0), any other `<queue><sep><step>`; the
 * global key prefix goes before each (GlobalKeyPrefixMixin prefixes LLEN and LPUSH alike).
 */
export function queueKeys(queue: string, layout: KombuKeyLayout = KOMBU_KEY_LAYOUT_DEFAULTS): string[] {
  const { prioritySteps, sep, globalKeyprefix } = layout;
  return prioritySteps.map((step) =>
    step === 0 ? `${globalKeyprefix}${queue}` : `${globalKeyprefix}${queue}${sep}${step}`,
  );
}

/** The key of the unacknowledged messages' hash (HSET is prefixed like the lists). */
export function unackedHashKey(layout: KombuKeyLayout = KOMBU_KEY_LAYOUT_DEFAULTS): string {
  return `${layout.globalKeyprefix}${layout.unackedKey}`;
}

/** The routing key of an `unacked` hash value, or undefined when it is not kombu's triple. */
export function routingKeyOf(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.length === 3 && typeof parsed[2] === 'string') return parsed[2];
  } catch {
    // Not JSON: reported as unreadable by the caller.
  }
  return undefined;
}

/**
 * Counts the backlog of `queues`. An unreadable unacknowledged entry counts as in progress: a
 * host that may be working is worth more than the minute of GPU time it costs.
 */
export async function readBacklog(
  redis: BacklogRedis,
  queues: readonly string[],
  layout: KombuKeyLayout = KOMBU_KEY_LAYOUT_DEFAULTS,
): Promise<Backlog> {
  if (queues.length === 0) throw new Error('no queue to count: set at least one queue name');
  const perQueue: Record<string, { queued: number; inProgress: number }> = {};
  for (const queue of queues) {
    const lengths = await Promise.all(queueKeys(queue, layout).map((key) => redis.lLen(key)));
    perQueue[queue] = { queued: lengths.reduce((a, b) => a + b, 0), inProgress: 0 };
  }
  let unreadable = 0;
  for (const value of await redis.hVals(unackedHashKey(layout))) {
    const routingKey = routingKeyOf(value);
    if (routingKey === undefined) unreadable++;
    else if (routingKey in perQueue) perQueue[routingKey].inProgress++;
  }
  const queued = Object.values(perQueue).reduce((s, q) => s + q.queued, 0);
  const inProgress = Object.values(perQueue).reduce((s, q) => s + q.inProgress, 0) + unreadable;
  return { queued, inProgress, total: queued + inProgress, queues: perQueue, unreadable };
}
