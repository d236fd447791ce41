/**
 * The whole app, built or synthesized (support/synth.ts has the helpers for a single construct).
 * Kept apart so that a test file of one module does not load the whole app: under mutation
 * testing, Stryker runs a mutant against the test files that import its source file, and a file
 * that imports this one imports every module.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { inject } from 'vitest';
import { buildApp, loadConfiguration, type BuiltApp, type ConfigurationOptions } from '../../src/app';
import { defaultSynthDir, type DefaultStack } from './shared';
import type { Json } from './synth';

/** Builds the whole app as main.ts does, with the given environment variables and context. */
export function buildTestApp(
  env: Record<string, string> = {},
  context: Record<string, unknown> = {},
  options: ConfigurationOptions = {},
): BuiltApp {
  const configuration = loadConfiguration({ context: (k) => context[k], env }, options);
  return buildApp(Testing.app(), configuration);
}

const cache = new Map<string, Json>();
/**
 * Under mutation testing (vitest.mutation.config.mts) the stacks are synthesized in-process, so
 * their JSON holds the active mutant, instead of being read from the global setup's synth.
 */
const inProcess = process.env.ECG_TEST_SYNTH === 'in-process';

/**
 * True during Stryker's dry run, which records which tests execute each mutant: there every call
 * synthesizes, so every test that reads the code is credited with it, not only the first one that
 * filled the cache. In a mutant's run (a fresh module graph per test file and run) one synth per
 * file and stack holds the mutant for every test of the file. Stryker's vitest runner provides
 * `mode` to the tests ('dry-run' or 'mutant').
 */
function strykerDryRun(): boolean {
  return (inject as (key: string) => unknown)('mode') === 'dry-run';
}

/** `json` without cdktf's `//` metadata blocks, at any depth (what `Testing.synth` leaves out). */
function withoutMetadata(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(withoutMetadata);
  if (json === null || typeof json !== 'object') return json;
  return Object.fromEntries(
    Object.entries(json)
      .filter(([key]) => key !== '//')
      .map(([key, value]) => [key, withoutMetadata(value)]),
  );
}

/**
 * The synthesized JSON of one stack of the default app, as `Testing.synth` gives it (no `//`
 * metadata): read from the one synth of the default app the global setup made for the whole run
 * (support/shared.ts), parsed once per worker. Treat it as read-only: files share it. Under
 * mutation testing it is synthesized in-process instead.
 */
export function synthStack(stack: DefaultStack): Json {
  if (inProcess && strykerDryRun()) return synthInProcess(stack);
  const hit = cache.get(stack);
  if (hit) return hit;
  const json = inProcess
    ? synthInProcess(stack)
    : (withoutMetadata(
        JSON.parse(readFileSync(join(defaultSynthDir(), 'stacks', stack, 'cdk.tf.json'), 'utf8')),
      ) as Json);
  cache.set(stack, json);
  return json;
}

function synthInProcess(stack: DefaultStack): Json {
  const built = buildTestApp();
  const target = stack === 'state-backend' ? built.stateBackend : built.platforms[stack];
  return JSON.parse(Testing.synth(target)) as Json;
}
