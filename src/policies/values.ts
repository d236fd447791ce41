import { readDocument } from './hcl';
import type { Json, RuleContext, TfResource } from './types';

/** Terraform booleans arrive as booleans or, for string-typed arguments, as "true"/"false". */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** A nested block as a list, whether cdktf rendered it as an object, a list or left it out. */
export function blocks(value: unknown): Json[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is Json => v !== null && typeof v === 'object',
  );
}

/** A string or list-of-strings argument as a list. */
export function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

/** Set to something other than an empty string. */
export function isSet(value: unknown): boolean {
  return (
    value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
  );
}

/** A numeric argument (numbers may be rendered as strings); NaN when unset or not numeric. */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** For messages: the value as written, `(unset)` when absent. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return '(unset)';
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** Resources of `types` whose `attribute` refers to `target`. */
export function referrers(
  ctx: RuleContext,
  types: string | readonly string[],
  attribute: string,
  target: TfResource,
): TfResource[] {
  return [types]
    .flat()
    .flatMap((type) => ctx.resources(type))
    .filter((r) => ctx.references(r.values[attribute]).includes(target.address));
}

/** Resources of `type` that `value` refers to. */
export function referenced(ctx: RuleContext, value: unknown, type: string): TfResource[] {
  return ctx
    .references(value)
    .map((address) => ctx.resource(address))
    .filter((r): r is TfResource => r !== undefined && r.type === type);
}

/** A resource `value` names: by reference, or by a literal equal to one of its `nameAttributes`. */
export function resolveTarget(
  ctx: RuleContext,
  value: unknown,
  type: string,
  nameAttributes: readonly string[] = ['name'],
): TfResource | undefined {
  const [byReference] = referenced(ctx, value, type);
  if (byReference) return byReference;
  if (typeof value !== 'string' || value === '') return undefined;
  return ctx.resources(type).find((r) => nameAttributes.some((a) => r.values[a] === value));
}

/** One IAM policy statement, normalized. */
export interface Statement {
  readonly sid?: string;
  readonly effect: string;
  /** Principals as strings: `*` for everyone, otherwise the ARNs / service names given. */
  readonly principals: readonly string[];
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly condition?: Json;
}

/** The statements of a policy document (JSON string, jsonencode expression or object); undefined when unreadable. */
export function policyStatements(value: unknown): Statement[] | undefined {
  const doc = readDocument(value);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const raw = (doc as Json).Statement;
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map((s: Json) => ({
    sid: s.Sid,
    effect: String(s.Effect),
    principals: principalList(s.Principal),
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    condition: s.Condition,
  }));
}

function principalList(principal: unknown): string[] {
  if (principal === undefined) return [];
  if (typeof principal === 'string') return [principal];
  if (principal && typeof principal === 'object') return Object.values(principal).flatMap((v) => list(v));
  return [];
}
