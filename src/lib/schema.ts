/**
 * Runtime schemas (valibot) and their problems as {@link ConfigIssue}s. The app runs through a
 * loader that does not type-check (tsx, esbuild), so a misspelt key or a value of the wrong type in
 * a configuration file would otherwise pass silently: `transferAccelaration: true` leaves the real
 * switch at its default, `spot: 'false'` is a non-empty string and so truthy. The schema names
 * each such problem as the field the user edits, the value, and the rule.
 */
import * as v from 'valibot';
import { type ConfigIssue } from './validation';
import { invisibleCharacterNote, suggestion } from './suggest';

export type Schema = v.GenericSchema;

/** Rule text of a leaf, for the generated reference: `integer from 1 to 100`. */
export function ruleOf(schema: Schema): string | undefined {
  const pipe = (schema as { pipe?: readonly { type: string; description?: string }[] }).pipe ?? [];
  return pipe.find((a) => a.type === 'description')?.description;
}

/** An integer from `min` to `max`, with the rule the hand-written checks always used. */
export function int(min: number, max: number) {
  return v.pipe(
    v.number(),
    v.check((n) => Number.isInteger(n) && n >= min && n <= max, `must be an integer from ${min} to ${max}`),
    v.description(`integer from ${min} to ${max}`),
  );
}

/** A number greater than 0 (and at most 100 for a percentage). */
export function positive(percent = false) {
  return v.pipe(
    v.number(),
    v.check(
      (n) => Number.isFinite(n) && n > 0 && (!percent || n <= 100),
      percent ? 'is a percentage: must be more than 0 and at most 100' : 'must be a positive number',
    ),
    v.description(percent ? 'percentage, more than 0 and at most 100' : 'number, more than 0'),
  );
}

/** One of `values`; a near miss is named (`PriceClass_10` -> did you mean PriceClass_100?). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return v.pipe(v.picklist(values), v.description(`one of ${values.join(', ')}`));
}

type PathItem = { readonly key: unknown };

function pathText(prefix: string, path: readonly PathItem[] | undefined): string {
  return (path ?? []).reduce<string>(
    (p, item) => (typeof item.key === 'number' ? `${p}[${item.key}]` : `${p}.${String(item.key)}`),
    prefix,
  );
}

/** The schema that judges the value at `keys`, following the input through variants. */
function schemaAt(schema: Schema, input: unknown, keys: readonly unknown[]): Schema | undefined {
  let s: Schema | undefined = schema;
  let value = input;
  for (const key of keys) {
    s = unwrap(s, value);
    const entries = (s as { entries?: Record<string, Schema> } | undefined)?.entries;
    const item = (s as { item?: Schema } | undefined)?.item;
    s = typeof key === 'number' ? item : entries?.[String(key)];
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[String(key)]
        : undefined;
  }
  return unwrap(s, value);
}

function unwrap(schema: Schema | undefined, value: unknown): Schema | undefined {
  let s = schema as
    | (Schema & { wrapped?: Schema; options?: Schema[]; key?: string; entries?: Record<string, Schema> })
    | undefined;
  while (s?.wrapped) s = s.wrapped as typeof s;
  if (s?.type === 'variant' && s.options && s.key && value !== null && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[s.key];
    const match = s.options.find((o) => {
      const literal = (o as { entries?: Record<string, { literal?: unknown }> }).entries?.[s!.key!];
      return literal?.literal === tag;
    });
    if (match) s = match as typeof s;
  }
  return s;
}

function describeInput(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** What a schema takes, in words: `a number`, `true or false`, `one of single, one-per-az`. */
export function expectedWord(schema: Schema | undefined): string {
  const s = schema as
    (Schema & { options?: readonly unknown[]; literal?: unknown; key?: string }) | undefined;
  switch (s?.type) {
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'array':
      return 'a list';
    case 'picklist':
      return `one of ${(s.options ?? []).map(String).join(', ')}`;
    case 'literal':
      return JSON.stringify(s.literal);
    default:
      return 'an object';
  }
}

/** The rule of a value of the wrong type, told as what it is and what it must be. */
function typeRule(expected: Schema | undefined, input: unknown): string {
  const s = expected as (Schema & { options?: readonly unknown[]; literal?: unknown }) | undefined;
  switch (s?.type) {
    case 'number':
      return typeof input === 'string'
        ? `is a string: must be a number, written without quotes${/[%a-z]/i.test(input) ? ' or a unit' : ''}`
        : `is ${describeInput(input)}: must be a number`;
    case 'boolean':
      return typeof input === 'string'
        ? 'is a string: must be true or false without quotes (any non-empty string counts as true)'
        : `is ${describeInput(input)}: must be true or false`;
    case 'string':
      return `is ${describeInput(input)}: must be a string`;
    case 'array':
      return `is ${describeInput(input)}: must be a list`;
    case 'object':
    case 'strict_object':
      return `is ${describeInput(input)}: must be an object`;
    case 'picklist': {
      const options = (s.options ?? []).map(String);
      const near = typeof input === 'string' ? suggestion(input, options) : '';
      return `must be one of ${options.join(', ')}${near}`;
    }
    case 'literal':
      return `must be ${JSON.stringify(s.literal)}`;
    case 'variant': {
      const node = s as unknown as {
        key: string;
        options: { entries: Record<string, { literal?: unknown }> }[];
      };
      const tags = node.options.map((o) => String(o.entries[node.key]?.literal));
      return `must be an object whose ${node.key} is one of ${tags.join(', ')}`;
    }
    default:
      return `is ${describeInput(input)} of the wrong type`;
  }
}

export interface SchemaIssueOptions {
  /**
   * Keys that were removed, by dotted path below the root (`security.sshAllowedCidrs`), with what
   * to do instead: reported as such rather than as an unknown key.
   */
  readonly removed?: Readonly<Record<string, string>>;
}

/**
 * Every problem `schema` finds in `input`, under `prefix` (`staging`): unknown keys with a "did
 * you mean", missing keys, values of the wrong type, and the rules of the leaves.
 */
export function schemaIssues(
  schema: Schema,
  input: unknown,
  prefix: string,
  options: SchemaIssueOptions = {},
): ConfigIssue[] {
  const result = v.safeParse(schema, input);
  if (result.success) return [];
  return result.issues.map((issue): ConfigIssue => {
    const keys = (issue.path ?? []).map((p) => p.key);
    const path = pathText(prefix, issue.path as readonly PathItem[] | undefined);
    if (issue.kind === 'validation' || issue.type === 'custom')
      return { path, value: issue.input, rule: issue.message };
    if (issue.expected === 'never' && /object$/.test(issue.type)) {
      const key = String(keys[keys.length - 1]);
      const parentKeys = keys.slice(0, -1);
      const parent = schemaAt(schema, input, parentKeys) as { entries?: Record<string, Schema> } | undefined;
      const value = (
        parentKeys.reduce<unknown>((o, k) => (o as Record<string, unknown>)[String(k)], input) as Record<
          string,
          unknown
        >
      )[key];
      const removed = options.removed?.[[...parentKeys, key].join('.')];
      if (removed) return { path, value, rule: removed };
      const known = Object.keys(parent?.entries ?? {});
      const hint = suggestion(key, known);
      return {
        path,
        value,
        rule: `is not a setting here${hint !== '' ? hint : `; known: ${known.join(', ')}`}`,
      };
    }
    const expected = schemaAt(schema, input, keys);
    if (issue.input === undefined)
      return { path, value: undefined, rule: `is required: ${expectedWord(expected)}` };
    return { path, value: issue.input, rule: typeRule(expected, issue.input) };
  });
}

/** `is listed twice` for the second and later copies of a value in a list (or of a key of its items). */
export function duplicateIssues(path: string, list: unknown, key?: string): ConfigIssue[] {
  if (!Array.isArray(list)) return [];
  const seen = new Set<unknown>();
  const issues: ConfigIssue[] = [];
  list.forEach((item: unknown, i) => {
    const value =
      key !== undefined && item !== null && typeof item === 'object'
        ? (item as Record<string, unknown>)[key]
        : item;
    if (seen.has(value)) {
      issues.push({
        path: `${path}[${i}]${key !== undefined ? `.${key}` : ''}`,
        value,
        rule: 'is listed twice',
      });
    }
    seen.add(value);
  });
  return issues;
}

/** A string holding no character a reader cannot see (a trailing space, a zero-width space). */
export function visibleString() {
  return v.pipe(
    v.string(),
    v.check(
      (s) => invisibleCharacterNote(s) === undefined,
      (issue) => `${invisibleCharacterNote(String(issue.input))}: remove it`,
    ),
  );
}
