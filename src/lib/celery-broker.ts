/**
 * The Celery broker's key layout in Redis: kombu's Redis transport names a queue's keys after
 * four of its transport options (Celery's `broker_transport_options`). Anything that reads the
 * queues outside Celery (the queue-depth publisher) must use the same four values as the workers.
 *
 * Sources, kombu/transport/redis.py as Debian bookworm's python3-kombu 5.2.4 ships it (line numbers;
 * kombu's main branch, commit 9ee8595, keeps the same layout):
 * - PRIORITY_STEPS = [0, 3, 6, 9] (line 97); Channel.sep = '\x06\x16' (617);
 *   Channel.unacked_key = 'unacked' (622); Channel.global_keyprefix = '' (655);
 * - Channel._q_for_pri (997): a message of step 0 goes to the list named after the queue, any
 *   other step to `<queue><sep><step>`; Channel.priority (1003) picks the step by bisecting the
 *   steps; Channel._size (988) is the sum of LLEN over the steps;
 * - GlobalKeyPrefixMixin (181): the prefix goes before the key of LLEN, LPUSH, BRPOP, HSET, HGET...
 *   so the queue lists and the unacked hash are all prefixed;
 * - Channel._brpop_read (952) names the queue of a popped message by splitting its key at the last
 *   `sep`; kombu/transport/virtual/base.py Channel._get_message_priority (823) clamps a message's
 *   priority to 0-9.
 */
import type { IssueCollector } from './validation';

export interface KombuKeyLayout {
  /** `priority_steps`: the priority lists of each queue, ascending; step 0 is the queue's own list. */
  readonly prioritySteps: readonly number[];
  /** `sep`: between a queue name and its step in the key of a priority list. */
  readonly sep: string;
  /** `global_keyprefix`: before every key kombu writes; '' for none. */
  readonly globalKeyprefix: string;
  /** `unacked_key`: the hash of the messages workers took and have not acknowledged. */
  readonly unackedKey: string;
}

/** kombu's defaults: what a Celery app that sets none of the four options uses. */
export const KOMBU_KEY_LAYOUT_DEFAULTS: KombuKeyLayout = {
  prioritySteps: [0, 3, 6, 9],
  sep: '\x06\x16',
  globalKeyprefix: '',
  unackedKey: 'unacked',
};

/** kombu clamps a message's priority to this range (virtual/base.py, min/max_priority). */
export const KOMBU_MAX_PRIORITY = 9;

/**
 * Printable ASCII without spaces, at most 128 characters. kombu itself takes any string; the
 * limit keeps the value readable in the function's environment (4 KB for all variables).
 */
const KEY_PART_PATTERN = /^[\x21-\x7e]*$/;
const KEY_PART_MAX = 128;

/**
 * Reports, under `at`, whatever in `layout` kombu cannot use or the publisher cannot mirror:
 * fields `prioritySteps`, `sep`, `globalKeyprefix` and `unackedKey`. `queues` are the queue names
 * the layout applies to (a queue name must not contain `sep`).
 */
export function checkKombuKeyLayout(
  at: IssueCollector,
  layout: KombuKeyLayout,
  queues: readonly string[],
): void {
  const steps = layout.prioritySteps;
  at.at('prioritySteps').check(
    Array.isArray(steps) && steps.length > 0,
    steps,
    "must list at least one step, like kombu's default [0, 3, 6, 9]",
  );
  (Array.isArray(steps) ? steps : []).forEach((step, i) =>
    at
      .at('prioritySteps')
      .at(i)
      .check(
        Number.isInteger(step) && step >= 0 && step <= KOMBU_MAX_PRIORITY,
        step,
        `must be an integer from 0 to ${KOMBU_MAX_PRIORITY}: kombu clamps a message's priority to 0-9, so no message reaches a higher step`,
      ),
  );
  if (Array.isArray(steps)) {
    at.at('prioritySteps').check(
      steps.every((step, i) => i === 0 || step > steps[i - 1]),
      steps,
      'must be in ascending order with no step twice: kombu picks the list of a message by bisecting the steps',
    );
  }

  const sep = layout.sep;
  at.at('sep').check(
    typeof sep === 'string' && sep.length > 0 && sep.length <= 16,
    JSON.stringify(sep),
    'must be 1 to 16 characters: kombu splits the queue name off a key at the last separator',
  );
  if (typeof sep === 'string' && sep.length > 0) {
    for (const queue of queues.filter((q) => q.includes(sep))) {
      at.at('sep').report(
        JSON.stringify(sep),
        `occurs in the queue name ${queue}: kombu names the queue of a message after its key up to the last separator, so the jobs of ${queue} would be delivered as another queue's`,
      );
    }
  }

  at.at('globalKeyprefix').check(
    typeof layout.globalKeyprefix === 'string' &&
      layout.globalKeyprefix.length <= KEY_PART_MAX &&
      KEY_PART_PATTERN.test(layout.globalKeyprefix),
    layout.globalKeyprefix,
    `must be '' or up to ${KEY_PART_MAX} printable ASCII characters without spaces`,
  );
  at.at('unackedKey').check(
    typeof layout.unackedKey === 'string' &&
      layout.unackedKey.length > 0 &&
      layout.unackedKey.length <= KEY_PART_MAX &&
      KEY_PART_PATTERN.test(layout.unackedKey),
    layout.unackedKey,
    `must be 1 to ${KEY_PART_MAX} printable ASCII characters without spaces, like kombu's default unacked`,
  );
}
