/** Reading a synthesized stack: resources by address, the references between them, placement. */
import { parseSizeOnceTagged } from '../../stacks/variables';
import type { Json, StackJson } from './types';

export interface Resource {
  readonly type: string;
  readonly name: string;
  readonly body: Json;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A nested block: Terraform JSON allows an object or a list of objects. */
export function block(v: unknown): Json | undefined {
  if (Array.isArray(v)) return isObject(v[0]) ? v[0] : undefined;
  return isObject(v) ? v : undefined;
}

export function blocks(v: unknown): Json[] {
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

export function text(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** An Auto Scaling group size: the literal, or the size a tag-gated expression takes once the tag is set. */
export function groupSize(v: unknown): string {
  const gated = parseSizeOnceTagged(v);
  return gated ? String(gated.size) : (text(v) ?? '?');
}

export function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

export function tags(body: Json): Json {
  return isObject(body.tags) ? body.tags : {};
}

const REFERENCE = /\b((?:aws|random)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

/** Human form of a value that may hold interpolations: `${random_id.suffix.hex}` -> `{suffix}`. */
export function display(value: string): string {
  return value.replace(/\$\{([^{}]*)\}/g, (_, expr: string) => {
    const parts = expr.split('.');
    return `{${parts.length >= 2 ? parts[1] : expr}}`;
  });
}

/**
 * Natural order (`tcp 80` before `tcp 443`) by code points, not locale collation, so the output
 * is the same on every machine and Node version.
 */
export function compare(a: string, b: string): number {
  const chunks = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const x = chunks(a);
  const y = chunks(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    if (/^\d/.test(x[i]) && /^\d/.test(y[i])) return Number(x[i]) - Number(y[i]) || (x[i] < y[i] ? -1 : 1);
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

export class StackIndex {
  private readonly byAddress = new Map<string, Resource>();

  constructor(json: StackJson) {
    for (const [type, instances] of Object.entries(json.resource ?? {})) {
      for (const [name, body] of Object.entries(instances)) {
        this.byAddress.set(`${type}.${name}`, { type, name, body });
      }
    }
  }

  get size(): number {
    return this.byAddress.size;
  }

  all(type: string): Resource[] {
    return [...this.byAddress.values()]
      .filter((r) => r.type === type)
      .sort((a, b) => compare(a.name, b.name));
  }

  /** Resources referenced anywhere inside `value` (interpolations only), optionally of one type. */
  refs(value: unknown, type?: string): Resource[] {
    const found = new Map<string, Resource>();
    const visit = (v: unknown): void => {
      if (typeof v === 'string') {
        if (!v.includes('${')) return;
        for (const m of v.matchAll(REFERENCE)) {
          const r = this.byAddress.get(`${m[1]}.${m[2]}`);
          if (r && (!type || r.type === type)) found.set(`${r.type}.${r.name}`, r);
        }
      } else if (Array.isArray(v)) {
        v.forEach(visit);
      } else if (isObject(v)) {
        for (const [k, child] of Object.entries(v)) if (k !== '//') visit(child);
      }
    };
    visit(value);
    return [...found.values()].sort((a, b) => compare(a.name, b.name));
  }

  /** Resources whose body references `target`. */
  referrers(type: string, target: Resource): Resource[] {
    return this.all(type).filter((r) =>
      this.refs(r.body).some((x) => x.type === target.type && x.name === target.name),
    );
  }

  /** The bucket behind a reference to a bucket or to one of its sub-resources (policy, ...). */
  bucketsIn(value: unknown): Resource[] {
    const out = new Map<string, Resource>();
    for (const r of this.refs(value)) {
      if (r.type === 'aws_s3_bucket') out.set(r.name, r);
      else if (r.type.startsWith('aws_s3_bucket_'))
        for (const b of this.refs(r.body.bucket, 'aws_s3_bucket')) out.set(b.name, b);
    }
    return [...out.values()];
  }

  /** Subnets a resource is placed in, directly or through a subnet group. */
  subnetsOf(body: Json): Resource[] {
    const out = new Map<string, Resource>();
    for (const r of this.refs(body)) {
      if (r.type === 'aws_subnet') out.set(r.name, r);
      else if (r.type.endsWith('_subnet_group'))
        for (const s of this.refs(r.body, 'aws_subnet')) out.set(s.name, s);
    }
    return [...out.values()].sort((a, b) => compare(a.name, b.name));
  }

  /** Security groups a resource uses, directly or through its launch template(s). */
  securityGroupsOf(body: Json): Resource[] {
    const out = new Map<string, Resource>();
    for (const r of this.refs(body)) {
      if (r.type === 'aws_security_group') out.set(r.name, r);
      else if (r.type === 'aws_launch_template')
        for (const g of this.refs(r.body, 'aws_security_group')) out.set(g.name, g);
    }
    return [...out.values()];
  }

  /** The route tables associated with the given subnets. */
  routeTablesOf(subnets: readonly Resource[]): Resource[] {
    const names = new Set(subnets.map((s) => s.name));
    const out = new Map<string, Resource>();
    for (const assoc of this.all('aws_route_table_association')) {
      if (!this.refs(assoc.body.subnet_id, 'aws_subnet').some((s) => names.has(s.name))) continue;
      for (const rt of this.refs(assoc.body.route_table_id, 'aws_route_table')) out.set(rt.name, rt);
    }
    return [...out.values()];
  }

  /** How the subnets reach 0.0.0.0/0: through a NAT gateway, an internet gateway, or not at all. */
  defaultRoute(subnets: readonly Resource[]): 'nat' | 'igw' | undefined {
    const tables = new Set(this.routeTablesOf(subnets).map((rt) => rt.name));
    const kinds = new Set<'nat' | 'igw'>();
    const consider = (route: Json, tableName: string | undefined) => {
      if (!tableName || !tables.has(tableName) || route.destination_cidr_block !== '0.0.0.0/0') return;
      if (this.refs(route.nat_gateway_id, 'aws_nat_gateway').length > 0) kinds.add('nat');
      else if (this.refs(route.gateway_id, 'aws_internet_gateway').length > 0) kinds.add('igw');
    };
    for (const route of this.all('aws_route'))
      consider(route.body, this.refs(route.body.route_table_id, 'aws_route_table')[0]?.name);
    for (const rt of this.all('aws_route_table'))
      for (const route of blocks(rt.body.route)) consider(route, rt.name);
    if (kinds.has('nat')) return 'nat';
    return kinds.has('igw') ? 'igw' : undefined;
  }
}

/** Mermaid id of a resource: its name without cdktf's hash suffix, alphanumerics and `_` only. */
export function nodeId(resource: Resource): string {
  return resource.name.replace(/_[0-9A-F]{8}$/, '').replace(/[^A-Za-z0-9_]/g, '_');
}

export function environmentOf(json: StackJson): string {
  for (const provider of blocks(json.provider?.aws)) {
    const tagsBlock = block(provider.default_tags);
    const env = tagsBlock && isObject(tagsBlock.tags) ? text(tagsBlock.tags.Environment) : undefined;
    if (env) return env;
  }
  return 'unknown';
}
