import { Testing } from 'cdktf';
import type { Construct } from 'constructs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

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
