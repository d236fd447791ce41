import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { buildApp, loadConfiguration, type BuiltApp, type ConfigurationOptions } from '../../src/app';
import { defaultSynthDir, type DefaultStack } from './shared';

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
 * mutation testing it is synthesized in-process on every call instead.
 */
export function synthStack(stack: DefaultStack): Json {
  if (!memoize) {
    const built = buildTestApp();
    const target = stack === 'state-backend' ? built.stateBackend : built.platforms[stack];
    return JSON.parse(Testing.synth(target)) as Json;
  }
  const hit = cache.get(stack);
  if (hit) return hit;
  const file = join(defaultSynthDir(), 'stacks', stack, 'cdk.tf.json');
  const json = withoutMetadata(JSON.parse(readFileSync(file, 'utf8'))) as Json;
  cache.set(stack, json);
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
  return JSON.parse(replaceTerraformExpressions(text, () => 'REF')) as Json;
}

/** `text` with every `${...}` expression (nested ones whole) replaced by what `replace` returns. */
export function replaceTerraformExpressions(text: string, replace: (expression: string) => string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      if (j === text.length) throw new Error(`unterminated \${ at ${i}`);
      out += replace(text.slice(i, j + 1));
      i = j;
    } else {
      out += text[i];
    }
  }
  return out;
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
