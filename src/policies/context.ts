import type { Finding, Json, PolicyEnvironment, Rule, RuleContext, TfResource } from './types';

/** Every managed resource of a synthesized stack, in address order (the `//` metadata left out). */
export function stackResources(stackJson: Json): TfResource[] {
  const result: TfResource[] = [];
  const byType = (stackJson.resource ?? {}) as Record<string, Record<string, Json>>;
  for (const type of Object.keys(byType).sort()) {
    for (const name of Object.keys(byType[type]).sort()) {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { '//': _metadata, ...values } = byType[type][name];
      result.push({ type, name, address: `${type}.${name}`, values });
    }
  }
  return result;
}

// `<type>.<name>` of a managed resource: types always contain `_`; `data.` sources are excluded.
const REFERENCE = /(?<![\w.-])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)/g;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** A stack's resources by address and by type, built once and shared by every rule's context. */
export interface ResourceIndex {
  readonly byAddress: ReadonlyMap<string, TfResource>;
  readonly byType: ReadonlyMap<string, readonly TfResource[]>;
}

export function indexResources(resources: readonly TfResource[]): ResourceIndex {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const byType = new Map<string, TfResource[]>();
  for (const r of resources) {
    const ofType = byType.get(r.type);
    if (ofType) ofType.push(r);
    else byType.set(r.type, [r]);
  }
  return { byAddress, byType };
}

/** The context a rule's `check` runs in, over one stack's resources. */
export function createContext(
  resources: readonly TfResource[],
  environment: PolicyEnvironment,
  rule: Rule,
  { byAddress, byType }: ResourceIndex = indexResources(resources),
): RuleContext {
  return {
    environment,
    isProduction: environment === 'production',
    resources: (type) => byType.get(type) ?? [],
    resource: (address) => byAddress.get(address),
    references(value) {
      const found = new Set<string>();
      for (const text of strings(value)) {
        if (!text.includes('${')) continue;
        for (const match of text.matchAll(REFERENCE)) {
          const address = `${match[1]}.${match[2]}`;
          if (byAddress.has(address)) found.add(address);
        }
      }
      return [...found];
    },
    finding(resource, check, message): Finding {
      if (!(check in rule.checks)) throw new Error(`rule ${rule.id} reported undeclared check "${check}"`);
      const address = typeof resource === 'string' ? resource : resource.address;
      return { ruleId: rule.id, address, check, message };
    },
  };
}
