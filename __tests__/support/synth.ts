import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { buildApp, loadConfiguration, type BuiltApp, type ConfigurationOptions } from '../../src/app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

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
/** Off under mutation testing (vitest.mutation.config.mts), where each test must run the code it reads. */
const memoize = process.env.ECG_TEST_SYNTH_CACHE !== 'off';

/** The synthesized JSON of one stack of the default app (memoized per test file). */
export function synthStack(stack: 'state-backend' | 'staging' | 'production'): Json {
  const hit = memoize ? cache.get(stack) : undefined;
  if (hit) return hit;
  const built = buildTestApp();
  const target = stack === 'state-backend' ? built.stateBackend : built.platforms[stack];
  const json = JSON.parse(Testing.synth(target)) as Json;
  if (memoize) cache.set(stack, json);
  return json;
}

/** Synthesizes whatever `fn` adds to a fresh stack, as parsed JSON. */
export function synthScope(fn: (scope: Construct) => void): Json {
  return JSON.parse(Testing.synthScope(fn)) as Json;
}

/** Resources of one type, by name. */
export function resourcesOf(json: Json, type: string): Record<string, Json> {
  return (json.resource?.[type] ?? {}) as Record<string, Json>;
}

/** The single resource of a type; fails when there is not exactly one. */
export function onlyResource(json: Json, type: string): Json {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * Parses a JSON document that Terraform will interpolate (a policy, container definitions):
 * every `${...}` expression, nested ones included, becomes the string `REF`.
 */
export function parseInterpolatedJson(text: string): Json {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      out += 'REF';
      i = j;
    } else {
      out += text[i];
    }
  }
  return JSON.parse(out) as Json;
}

/** The message `fn` throws; fails the test when it does not throw. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}
