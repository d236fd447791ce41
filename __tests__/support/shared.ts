import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import {
  TerraformCommandError,
  offlinePlan,
  offlinePlanSummary,
  readSynthesizedStack,
  type OfflinePlanOptions,
  type OfflinePlanResult,
  type OfflinePlanSummary,
} from '../../src/tools/offline-plan';
import type { Diagnostic } from '../../src/tools/terraform-cli';
import { testInitCache, testProviderMirror } from './provider';

/**
 * What the files of one `npm test` run share: work done once per run, whichever file asks first,
 * kept in the run's temporary folder (removed when the run ends, so nothing carries over to the
 * next run). The default app is synthesized by the global setup; offline plans and app-command
 * synths are computed by the first worker that needs them while the others wait for the result.
 */

/** Where a run keeps what its files share (under the run's temporary folder). */
export function sharedDir(): string {
  return inject('sharedDir');
}

const pause = new Int32Array(new SharedArrayBuffer(4));
let defaultSynthOutcome: { error?: string } | undefined;

/**
 * The cdktf.out of the default app (no tfvars, no ECG_* variables, the context defaults), once the
 * child process the global setup started has written it: callers are synchronous (describe-level
 * synths), so this blocks its worker until then, as the synth itself would have.
 */
export function defaultSynthDir(): string {
  const { dir, result } = inject('defaultSynth');
  if (!defaultSynthOutcome) {
    for (let waited = 0; !existsSync(result); waited += 20) {
      if (waited > 300_000)
        throw new Error(`the default app's synth gave no result in 5 minutes (${result})`);
      Atomics.wait(pause, 0, 0, 20);
    }
    defaultSynthOutcome = JSON.parse(readFileSync(result, 'utf8')) as { error?: string };
  }
  if (defaultSynthOutcome.error !== undefined)
    throw new Error(`the global setup could not synthesize the default app: ${defaultSynthOutcome.error}`);
  return dir;
}

type Encoded<T> =
  | { ok: T }
  | {
      error: { name: string; message: string; command?: string; output?: string; diagnostics?: Diagnostic[] };
    };

function encodeError(error: unknown): Encoded<never> {
  if (error instanceof TerraformCommandError) {
    const { name, message, command, output, diagnostics } = error;
    return { error: { name, message, command, output, diagnostics: [...diagnostics] } };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { error: { name: e.name, message: e.message } };
}

function decode<T>(encoded: Encoded<T>): T {
  if ('ok' in encoded) return encoded.ok;
  const { name, message, command, output, diagnostics } = encoded.error;
  if (name === 'TerraformCommandError' && command !== undefined && output !== undefined) {
    throw new TerraformCommandError(command, output, diagnostics);
  }
  const error = new Error(message);
  error.name = name;
  throw error;
}

const inWorker = new Map<string, Promise<unknown>>();

/**
 * `compute()` once per run for `key` (a hash of everything the result depends on): the first
 * caller, in any worker, computes and publishes the result (a failure too); every other caller
 * waits for it and gets the same value, or the same error. The result must survive JSON.
 */
export function once<T>(kind: string, key: string, compute: () => Promise<T>): Promise<T> {
  const id = `${kind}/${key}`;
  const known = inWorker.get(id);
  if (known) return known as Promise<T>;
  const promise = (async () => {
    const dir = join(sharedDir(), kind);
    mkdirSync(dir, { recursive: true });
    const result = join(dir, `${key}.json`);
    let owner = true;
    try {
      mkdirSync(join(dir, `${key}.lock`));
    } catch {
      owner = false;
    }
    if (owner) {
      const encoded: Encoded<T> = await compute().then(
        (ok) => ({ ok }),
        (error: unknown) => encodeError(error),
      );
      const partial = `${result}.${process.pid}.partial`;
      writeFileSync(partial, JSON.stringify(encoded));
      renameSync(partial, result);
      return decode(encoded);
    }
    for (let waited = 0; ; waited += 200) {
      try {
        return decode(JSON.parse(readFileSync(result, 'utf8')) as Encoded<T>);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (waited > 600_000) throw new Error(`${id}: no result after 10 minutes from the worker computing it`);
      await sleep(200);
    }
  })();
  inWorker.set(id, promise);
  return promise;
}

/** A hash of JSON-able inputs, for {@link once}. */
export function keyOf(...inputs: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 32);
}

/**
 * {@link offlinePlan}, computed once per run for the same inputs (stack JSON, extra files,
 * human plan, provider mirror): files that plan the same configuration share one plan.
 */
export function sharedOfflinePlan(options: OfflinePlanOptions): Promise<OfflinePlanResult> {
  const { stack, stackJson, providerMirror, extraFiles, humanPlan } = options;
  const key = keyOf(stack, stackJson, providerMirror, extraFiles ?? {}, humanPlan ?? false);
  return once('plans', key, () => offlinePlan(options));
}

export type DefaultStack = 'state-backend' | 'staging' | 'production';

/**
 * The offline plan (init, plan, `show -json`) of one stack of the default app, against the real
 * hashicorp/aws provider from the mirror the global setup found: once per run, shared by every
 * file that asserts on it. No separate `terraform validate`: `terraform plan` runs the same
 * validation walk first (offline-plan.test.ts pins that), and a second command would start the
 * provider again for nothing.
 */
export async function defaultStackPlan(stack: DefaultStack): Promise<OfflinePlanResult> {
  return sharedOfflinePlan({
    stack,
    stackJson: await readSynthesizedStack(defaultSynthDir(), stack),
    providerMirror: testProviderMirror(),
    initCache: testInitCache(),
  });
}

/**
 * {@link defaultStackPlan} without `terraform show` (a provider start less): counts, resource types
 * and warnings, for a stack whose planned values no test reads.
 */
export async function defaultStackPlanSummary(stack: DefaultStack): Promise<OfflinePlanSummary> {
  const options: OfflinePlanOptions = {
    stack,
    stackJson: await readSynthesizedStack(defaultSynthDir(), stack),
    providerMirror: testProviderMirror(),
    initCache: testInitCache(),
  };
  return once('plan-summaries', keyOf(stack, options.stackJson, options.providerMirror), () =>
    offlinePlanSummary(options),
  );
}
