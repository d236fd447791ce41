/**
 * EventBridge event-pattern matching, as the EventBridge User Guide defines it ("Creating event
 * patterns", "Content filtering", "Arrays in event patterns"):
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 *
 * - Every field the pattern names must match (AND); a leaf is an array of alternatives (OR).
 * - A leaf matches an event array when any element matches (the intersection is non-empty).
 * - Exact values compare by JSON type and value, case-sensitively; null matches null.
 * - Operators: prefix, suffix, equals-ignore-case, anything-but (value, list, or prefix/suffix),
 *   exists, numeric. Any other operator, or `$or`, throws: a rule using it needs this matcher
 *   extended (against the guide) before its contract can be tested.
 */

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'exists', 'numeric'];

/** True when `event` matches `pattern` under EventBridge's rules; throws on what it cannot judge. */
export function matchesPattern(pattern: JsonObject, event: JsonObject): boolean {
  return matchObject(pattern, event, '');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchObject(pattern: JsonObject, event: JsonValue | undefined, path: string): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const at = path ? `${path}.${key}` : key;
    if (key.startsWith('$')) throw new Error(`event pattern: unsupported operator ${key} at ${at}`);
    const actual = fieldOf(event, key);
    if (Array.isArray(expected)) return matchLeaf(expected, actual, at);
    if (isObject(expected)) {
      // EventBridge flattens arrays of objects: any element may satisfy the nested pattern.
      if (Array.isArray(actual)) return actual.some((item) => matchObject(expected, item, at));
      return matchObject(expected, actual, at);
    }
    throw new Error(
      `event pattern: the value at ${at} must be an array or an object, got ${JSON.stringify(expected)}`,
    );
  });
}

function fieldOf(event: JsonValue | undefined, key: string): JsonValue | undefined {
  return isObject(event) ? event[key] : undefined;
}

function matchLeaf(alternatives: JsonValue[], actual: JsonValue | undefined, at: string): boolean {
  if (alternatives.length === 0) throw new Error(`event pattern: empty array at ${at}`);
  return alternatives.some((alternative) => {
    if (isObject(alternative)) return matchOperator(alternative, actual, at);
    if (Array.isArray(alternative)) throw new Error(`event pattern: nested array at ${at}`);
    return leafValues(actual).some((value) => value === alternative);
  });
}

/** The scalar values an event field offers a leaf: an array offers each of its scalar elements. */
function leafValues(actual: JsonValue | undefined): JsonValue[] {
  if (actual === undefined) return [];
  const values = Array.isArray(actual) ? actual : [actual];
  return values.filter((v) => !isObject(v) && !Array.isArray(v));
}

function matchOperator(operator: JsonObject, actual: JsonValue | undefined, at: string): boolean {
  const keys = Object.keys(operator);
  if (keys.length !== 1 || !OPERATORS.includes(keys[0])) {
    throw new Error(`event pattern: unsupported operator ${JSON.stringify(operator)} at ${at}`);
  }
  const [name] = keys;
  const argument = operator[name];
  const values = leafValues(actual);
  switch (name) {
    case 'exists':
      if (typeof argument !== 'boolean')
        throw new Error(`event pattern: exists takes true or false at ${at}`);
      // Existence applies to leaves: an object or an empty array is not a present leaf value.
      return argument ? values.length > 0 : values.length === 0;
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      return values.some((v) => typeof v === 'string' && stringTest(name, argument, at)(v));
    case 'anything-but':
      // A value the field must not take: the field must still be present.
      return values.length > 0 && values.every((v) => !anythingButHit(argument, v, at));
    case 'numeric':
      return values.some((v) => typeof v === 'number' && numericTest(argument, at)(v));
    default:
      throw new Error(`event pattern: unsupported operator ${name} at ${at}`);
  }
}

function stringTest(name: string, argument: JsonValue, at: string): (v: string) => boolean {
  if (typeof argument !== 'string') {
    throw new Error(`event pattern: ${name} with ${JSON.stringify(argument)} is not supported here (${at})`);
  }
  if (name === 'prefix') return (v) => v.startsWith(argument);
  if (name === 'suffix') return (v) => v.endsWith(argument);
  return (v) => v.toLowerCase() === argument.toLowerCase();
}

function anythingButHit(argument: JsonValue, value: JsonValue, at: string): boolean {
  if (Array.isArray(argument)) return argument.some((a) => a === value);
  if (isObject(argument)) {
    const keys = Object.keys(argument);
    if (keys.length !== 1 || !['prefix', 'suffix', 'equals-ignore-case'].includes(keys[0])) {
      throw new Error(`event pattern: unsupported anything-but ${JSON.stringify(argument)} at ${at}`);
    }
    return typeof value === 'string' && stringTest(keys[0], argument[keys[0]], at)(value);
  }
  return argument === value;
}

function numericTest(argument: JsonValue, at: string): (v: number) => boolean {
  if (!Array.isArray(argument) || argument.length === 0 || argument.length % 2 !== 0) {
    throw new Error(`event pattern: numeric takes operator/number pairs at ${at}`);
  }
  const tests: ((v: number) => boolean)[] = [];
  for (let i = 0; i < argument.length; i += 2) {
    const [op, bound] = [argument[i], argument[i + 1]];
    if (typeof bound !== 'number')
      throw new Error(`event pattern: numeric bound ${JSON.stringify(bound)} at ${at}`);
    const compare: Record<string, (v: number) => boolean> = {
      '=': (v) => v === bound,
      '<': (v) => v < bound,
      '<=': (v) => v <= bound,
      '>': (v) => v > bound,
      '>=': (v) => v >= bound,
    };
    if (typeof op !== 'string' || !(op in compare)) {
      throw new Error(`event pattern: numeric operator ${JSON.stringify(op)} at ${at}`);
    }
    tests.push(compare[op]);
  }
  return (v) => tests.every((t) => t(v));
}

/** detail-type values of events that AWS services deliver through CloudTrail (EventBridge User Guide). */
export const CLOUDTRAIL_DETAIL_TYPES = [
  'AWS API Call via CloudTrail',
  'AWS Console Signin via CloudTrail',
  'AWS Console Action via CloudTrail',
  'AWS Service Event via CloudTrail',
  'AWS Insight via CloudTrail',
];

/**
 * Whether a pattern's events arrive through CloudTrail. A pattern without `detail-type` would match
 * CloudTrail-delivered events of its source too, so it counts as depending on them.
 */
export function dependsOnCloudTrail(pattern: JsonObject): boolean {
  const types = pattern['detail-type'];
  if (types === undefined) return true;
  if (!Array.isArray(types)) throw new Error('event pattern: detail-type must be an array');
  return types.some(
    (t) => typeof t !== 'string' || CLOUDTRAIL_DETAIL_TYPES.includes(t) || t.endsWith('via CloudTrail'),
  );
}

/**
 * Whether a synthesized stack has a trail that would feed CloudTrail-delivered management events
 * to EventBridge: logging on (the provider's default) and management events recorded (the default
 * without selectors; otherwise a basic selector that includes them for writes).
 */
export function hasManagementTrail(stack: {
  resource?: Record<string, Record<string, JsonObject>>;
}): boolean {
  const trails = Object.values(stack.resource?.aws_cloudtrail ?? {});
  return trails.some((trail) => {
    if (trail.enable_logging === false) return false;
    const selectors = trail.event_selector;
    if (trail.advanced_event_selector !== undefined) return false;
    if (selectors === undefined) return true;
    return (Array.isArray(selectors) ? selectors : [selectors]).some(
      (s) =>
        isObject(s) &&
        s.include_management_events !== false &&
        (s.read_write_type === undefined || s.read_write_type === 'All' || s.read_write_type === 'WriteOnly'),
    );
  });
}
