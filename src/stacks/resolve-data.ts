import { Token } from 'cdktf';

/**
 * Strings cdktf's resolver may change: a token marker or an escape sequence (both hold `{`), or
 * the decimal form of a number token inside a string (a digit followed by `e`).
 */
const MAY_HOLD_TOKEN = /\{|\de/;
/** Number tokens are doubles far outside this range (about ±1e289 and beyond). */
const PLAIN_NUMBER_LIMIT = 1e200;

/** The depth past which cdktf's resolve reports a circular reference. */
const MAX_DEPTH = 200;

function plainNumber(value: number): boolean {
  return Math.abs(value) < PLAIN_NUMBER_LIMIT && value !== Token.NUMBER_MAP_TOKEN_VALUE;
}

function plainString(value: string): boolean {
  return (
    !MAY_HOLD_TOKEN.test(value) &&
    value !== Token.STRING_MAP_TOKEN_VALUE &&
    value !== Token.ANY_MAP_TOKEN_VALUE
  );
}

/** cdktf's resolve of one value found at `path` (its error messages name the path). */
export type ResolveToken = (value: unknown, path: readonly string[]) => unknown;

/**
 * cdktf's resolve of an element's JSON, with the token-free part copied directly: plain strings,
 * numbers, booleans, arrays and object literals are what cdktf's resolver returns unchanged (less
 * `undefined` values), but it builds two resolve contexts and runs its token regexes for each of
 * them, about half of a stack's resolve time. Anything that may hold a token (a marker in a string
 * or a key, an encoded number, a class instance such as a lazy value, a function) goes to
 * `resolveToken` with its path, for cdktf's own resolve of that value: that is what cdktf would do
 * at that place, since below the root its contexts carry nothing but the scope and the path.
 * __tests__/resolve-data.test.ts holds each case to cdktf's resolver, and
 * __tests__/standalone-stack.test.ts whole stacks.
 */
export function resolveData(value: unknown, resolveToken: ResolveToken): unknown {
  return walk(value, resolveToken, []);
}

function walk(value: unknown, resolveToken: ResolveToken, path: string[]): unknown {
  // cdktf stops a walk deeper than 200 levels (a cyclic value) with an error naming the path.
  if (path.length > MAX_DEPTH) return resolveToken(value, [...path]);
  switch (typeof value) {
    case 'string':
      return plainString(value) ? value : resolveToken(value, [...path]);
    case 'number':
      return plainNumber(value) ? value : resolveToken(value, [...path]);
    case 'object':
      break;
    case 'function':
      return resolveToken(value, [...path]);
    default:
      return value;
  }
  if (value === null) return null;
  if (Array.isArray(value)) {
    // A list token is an array element (a marked string or number): cdktf resolves the whole list.
    for (const item of value) {
      if (
        (typeof item === 'string' && !plainString(item)) ||
        (typeof item === 'number' && !plainNumber(item))
      ) {
        return resolveToken(value, [...path]);
      }
    }
    const list: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      const resolved = walk(value[i], resolveToken, path);
      path.pop();
      if (resolved !== undefined) list.push(resolved);
    }
    return list;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  const record = value as Record<string, unknown>;
  if ((proto !== Object.prototype && proto !== null) || typeof record.resolve === 'function') {
    return resolveToken(value, [...path]);
  }
  const keys = Object.keys(record);
  for (const key of keys) if (!plainString(key)) return resolveToken(value, [...path]);
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    path.push(key);
    const resolved = walk(record[key], resolveToken, path);
    path.pop();
    if (resolved !== undefined) result[key] = resolved;
  }
  return result;
}
