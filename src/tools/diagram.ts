/**
 * Architecture diagram generated from a synthesized stack (`cdk.tf.json`), never drawn by hand:
 * everything shown (tiers, labels, traffic paths and their ports) is read from the resources, so
 * the picture cannot drift from what Terraform would create. Pure functions from JSON to text
 * (only `formatMarkdown` reads the Prettier config); the CLI (scripts/diagram.ts) does the
 * synthesis and the file writing.
 *
 * Where things come from:
 * - tiers: the `Tier` tag of the subnets a resource is placed in (directly, or through a DB /
 *   cache subnet group); CloudFront, WAF and S3 form the edge tier;
 * - traffic between resources: `aws_vpc_security_group_ingress_rule` (source group or CIDR to the
 *   rule's group), mapped to the resources that use those groups (a load balancer, an ECS service,
 *   an Auto Scaling group through its launch template, a DB instance, a replication group);
 * - outbound internet: egress rules to 0.0.0.0/0, through the NAT gateway the subnet routes to;
 * - CloudFront: its origins, with the path patterns of the behaviors that target each one.
 *
 * Markdown output goes through the repository's Prettier config (`formatMarkdown`) before it is
 * written or compared, so `prettier --check` and the freshness test agree on the same bytes.
 */

import { formatLikeRepo } from './format';
import { parseSizeOnceTagged } from '../stacks/variables';

type Json = Record<string, unknown>;

/** The parts of a synthesized stack the generator reads. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Json>>;
  readonly provider?: Record<string, unknown>;
  readonly variable?: Record<string, Json>;
}

export type NodeShape = 'box' | 'store' | 'circle';

export interface DiagramNode {
  /**
   * Mermaid id: the main resource's Terraform name without cdktf's hash suffix, i.e. its
   * construct path, which never contains the environment (so ids match across stacks).
   */
  readonly id: string;
  /** What the node is, for the differences table (e.g. `Auto Scaling group`). */
  readonly kind: string;
  /** Label lines, plain text (escaped when rendered). */
  readonly label: readonly string[];
  readonly shape: NodeShape;
  /** Id of the subgraph the node sits in, or undefined for nodes outside every subgraph. */
  readonly group?: string;
}

/** `traffic`: a network path that is allowed; `relation`: attachment, logs, IAM, optional paths. */
export type EdgeStyle = 'traffic' | 'relation';

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly style: EdgeStyle;
}

export interface DiagramGroup {
  readonly id: string;
  readonly title: string;
  readonly parent?: string;
}

export interface ArchitectureModel {
  /** The stack's `Environment` default tag (used to compare environments). */
  readonly environment: string;
  readonly groups: readonly DiagramGroup[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

/** One line of the environment comparison. */
export interface Difference {
  readonly item: string;
  readonly production: string;
  readonly other: string;
}

export const ARCHITECTURE_MARKERS = {
  start: '<!-- architecture:start -->',
  end: '<!-- architecture:end -->',
} as const;

const EDGE_GROUP = 'tier_edge';
const VPC_GROUP = 'vpc';
const INTERNET = 'internet';
const NAT_NODE = 'nat_gateways';
const ENDPOINTS_NODE = 'interface_endpoints';
const TIER_ORDER = ['public', 'private', 'gpu', 'data'];
const TIER_TITLES: Record<string, string> = {
  public: 'Public tier',
  private: 'Private tier',
  gpu: 'GPU tier',
  data: 'Data tier',
};
const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

// ---------------------------------------------------------------------------------------------
// Reading the JSON

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly body: Json;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A nested block: Terraform JSON allows an object or a list of objects. */
function block(v: unknown): Json | undefined {
  if (Array.isArray(v)) return isObject(v[0]) ? v[0] : undefined;
  return isObject(v) ? v : undefined;
}

function blocks(v: unknown): Json[] {
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** An Auto Scaling group size: the literal, or the size a tag-gated expression takes once the tag is set. */
function groupSize(v: unknown): string {
  const gated = parseSizeOnceTagged(v);
  return gated ? String(gated.size) : (text(v) ?? '?');
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

function tags(body: Json): Json {
  return isObject(body.tags) ? body.tags : {};
}

const REFERENCE = /\b((?:aws|random)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

/** Human form of a value that may hold interpolations: `${random_id.suffix.hex}` -> `{suffix}`. */
function display(value: string): string {
  return value.replace(/\$\{([^{}]*)\}/g, (_, expr: string) => {
    const parts = expr.split('.');
    return `{${parts.length >= 2 ? parts[1] : expr}}`;
  });
}

/**
 * Natural order (`tcp 80` before `tcp 443`) by code points, not locale collation, so the output
 * is the same on every machine and Node version.
 */
function compare(a: string, b: string): number {
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

class StackIndex {
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
function nodeId(resource: Resource): string {
  return resource.name.replace(/_[0-9A-F]{8}$/, '').replace(/[^A-Za-z0-9_]/g, '_');
}

function environmentOf(json: StackJson): string {
  for (const provider of blocks(json.provider?.aws)) {
    const tagsBlock = block(provider.default_tags);
    const env = tagsBlock && isObject(tagsBlock.tags) ? text(tagsBlock.tags.Environment) : undefined;
    if (env) return env;
  }
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Labels

function listenerSummary(index: StackIndex, listener: Resource): string {
  const b = listener.body;
  const action = (a: Json | undefined): string => {
    if (!a) return 'no action';
    if (a.type === 'forward') return 'forward';
    if (a.type === 'redirect') {
      const r = block(a.redirect) ?? {};
      return `redirect to ${text(r.protocol) ?? ''} ${text(r.port) ?? ''}`.trim();
    }
    if (a.type === 'fixed-response')
      return `fixed ${text(block(a.fixed_response)?.status_code) ?? ''}`.trim();
    return text(a.type) ?? 'action';
  };
  const conditional = index.referrers('aws_lb_listener_rule', listener).flatMap((rule) =>
    blocks(rule.body.condition).flatMap((c) => {
      const header = block(c.http_header);
      return header
        ? [`${action(block(rule.body.action))} with header ${text(header.http_header_name)}`]
        : [];
    }),
  );
  const fallback = action(block(b.default_action));
  const head = `${text(b.protocol) ?? 'HTTP'} ${text(b.port) ?? ''}`.trim();
  return conditional.length > 0
    ? `${head}: ${conditional.join(', ')}, else ${fallback.replace(/^fixed /, '')}`
    : `${head}: ${fallback}`;
}

function loadBalancerLabel(index: StackIndex, lb: Resource): string[] {
  const b = lb.body;
  const kind = b.load_balancer_type === 'network' ? 'Network Load Balancer' : 'Application Load Balancer';
  const listeners = index
    .referrers('aws_lb_listener', lb)
    .map((l) => listenerSummary(index, l))
    .sort(compare);
  return [
    `${kind} (${truthy(b.internal) ? 'internal' : 'internet-facing'})`,
    display(text(tags(b).Name) ?? text(b.name) ?? lb.name),
    ...listeners,
  ];
}

/** `CPU 60 %` or `10 jobs per in-service instance` from a target-tracking policy. */
function scalingSummary(policy: Json): string | undefined {
  // EC2 Auto Scaling and Application Auto Scaling name the block differently.
  const tt =
    block(policy.target_tracking_configuration) ?? block(policy.target_tracking_scaling_policy_configuration);
  if (!tt) return undefined;
  const target = text(tt.target_value) ?? '?';
  const predefined = text(block(tt.predefined_metric_specification)?.predefined_metric_type);
  if (predefined) {
    const metric = /CPU/i.test(predefined) ? 'CPU' : /Memory/i.test(predefined) ? 'memory' : predefined;
    return `${metric} ${target} %`;
  }
  const custom = block(tt.customized_metric_specification);
  if (custom) {
    const returned = blocks(custom.metrics).find((m) => truthy(m.return_data));
    const name = text(returned?.label) ?? text(returned?.id) ?? text(custom.metric_name) ?? 'custom metric';
    return `${target} ${name.toLowerCase()}`;
  }
  return undefined;
}

function ecsServiceLabel(index: StackIndex, service: Resource): string[] {
  const b = service.body;
  const task = index.refs(b.task_definition, 'aws_ecs_task_definition')[0]?.body ?? {};
  const providers = blocks(b.capacity_provider_strategy)
    .filter((s) => Number(s.weight ?? 0) > 0 || Number(s.base ?? 0) > 0)
    .map((s) => text(s.capacity_provider) ?? '')
    .sort(compare);
  const launch = providers.length > 0 ? providers.join(' + ') : (text(b.launch_type) ?? 'EC2').toUpperCase();
  const lb = block(b.load_balancer);
  const lines = [
    `ECS service (${launch})`,
    display(text(b.name) ?? service.name),
    `task ${text(task.cpu) ?? '?'} CPU units / ${text(task.memory) ?? '?'} MiB`,
  ];
  if (lb) lines.push(`container ${text(lb.container_name)}:${text(lb.container_port)}`);
  const target = index
    .referrers('aws_appautoscaling_target', service)
    .find((t) => t.body.scalable_dimension === 'ecs:service:DesiredCount');
  const autoscaling = target
    ? `, autoscaling ${text(target.body.min_capacity)}-${text(target.body.max_capacity)}`
    : '';
  lines.push(`desired ${text(b.desired_count) ?? '?'}${autoscaling}`);
  const targets = target
    ? index
        .referrers('aws_appautoscaling_policy', target)
        .map((p) => scalingSummary(p.body))
        .filter((s): s is string => s !== undefined)
        .sort(compare)
    : [];
  if (targets.length > 0) lines.push(`target ${targets.join(', ')}`);
  return lines;
}

function asgLabel(index: StackIndex, asg: Resource): string[] {
  const b = asg.body;
  const mixed = block(b.mixed_instances_policy);
  const templates = index.refs(b, 'aws_launch_template');
  let types = mixed
    ? blocks(block(mixed.launch_template)?.override)
        .map((o) => text(o.instance_type))
        .filter((t): t is string => t !== undefined)
    : [];
  if (types.length === 0)
    types = templates.map((t) => text(t.body.instance_type)).filter((t): t is string => t !== undefined);
  let market = 'on demand';
  const distribution = block(mixed?.instances_distribution);
  if (distribution) {
    const base = Number(distribution.on_demand_base_capacity ?? 0);
    const above = Number(distribution.on_demand_percentage_above_base_capacity ?? 100);
    if (base === 0 && above === 0) market = 'spot';
    else if (above < 100) market = `on demand base ${base}, ${100 - above} % spot above it`;
  } else if (templates.some((t) => block(t.body.instance_market_options)?.market_type === 'spot')) {
    market = 'spot';
  }
  const lines = [
    'EC2 Auto Scaling group',
    display(text(b.name) ?? asg.name),
    `${types.join(', ') || 'instance type ?'}, ${market}`,
    `min ${groupSize(b.min_size)}, desired ${groupSize(b.desired_capacity)}, max ${groupSize(b.max_size)}`,
  ];
  // A fleet held at zero until its image tag is set shows its sizes once set, and says so.
  const gate = [b.min_size, b.desired_capacity, b.max_size].map(parseSizeOnceTagged).find((g) => g);
  if (gate) lines.push(`0 instances while ${gate.variable} is empty`);
  const targets = index
    .referrers('aws_autoscaling_policy', asg)
    .map((p) => scalingSummary(p.body))
    .filter((s): s is string => s !== undefined)
    .sort(compare);
  if (targets.length > 0) lines.push(`target ${targets.join(', ')}`);
  return lines;
}

const ENGINE_NAMES: Record<string, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  redis: 'Redis',
  valkey: 'Valkey',
  memcached: 'Memcached',
};

function engineName(engine: unknown): string {
  const e = text(engine) ?? '?';
  return ENGINE_NAMES[e] ?? e;
}

function dbInstanceLabel(db: Resource): string[] {
  const b = db.body;
  const storage = [
    b.max_allocated_storage
      ? `${text(b.allocated_storage)}-${text(b.max_allocated_storage)} GB`
      : `${text(b.allocated_storage) ?? '?'} GB`,
    text(b.storage_type),
    truthy(b.storage_encrypted) ? 'encrypted' : 'unencrypted',
  ].filter(Boolean);
  return [
    `RDS ${engineName(b.engine)} ${text(b.engine_version) ?? ''}`.trim(),
    `${text(b.instance_class) ?? '?'}, ${truthy(b.multi_az) ? 'Multi-AZ' : 'single-AZ'}`,
    storage.join(', '),
  ];
}

function replicationGroupLabel(rg: Resource): string[] {
  const b = rg.body;
  const nodes = Number(b.num_cache_clusters ?? 1);
  const failover = truthy(b.automatic_failover_enabled)
    ? `${truthy(b.multi_az_enabled) ? 'Multi-AZ, ' : ''}automatic failover`
    : 'no failover';
  const security = [
    truthy(b.transit_encryption_enabled) ? 'TLS' : undefined,
    b.auth_token ? 'AUTH' : undefined,
    truthy(b.at_rest_encryption_enabled) ? 'encrypted at rest' : undefined,
  ].filter(Boolean);
  return [
    `ElastiCache ${engineName(b.engine)} ${text(b.engine_version) ?? ''}`.trim(),
    `${text(b.node_type) ?? '?'} x${nodes} (${nodes === 1 ? 'single node' : `primary + ${nodes - 1} ${nodes === 2 ? 'replica' : 'replicas'}`})`,
    failover,
    ...(security.length > 0 ? [security.join(', ')] : []),
  ];
}

function bucketLabel(index: StackIndex, bucket: Resource): string[] {
  const versioned = index
    .referrers('aws_s3_bucket_versioning', bucket)
    .some((v) => block(v.body.versioning_configuration)?.status === 'Enabled');
  const sse = index
    .referrers('aws_s3_bucket_server_side_encryption_configuration', bucket)
    .flatMap((e) => blocks(e.body.rule))
    .map((r) => text(block(r.apply_server_side_encryption_by_default)?.sse_algorithm))
    .filter((s): s is string => s !== undefined);
  const blocked = index
    .referrers('aws_s3_bucket_public_access_block', bucket)
    .some((p) =>
      ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every(
        (k) => truthy(p.body[k]),
      ),
    );
  const traits = [
    versioned ? 'versioned' : 'unversioned',
    sse.length > 0 ? `SSE ${sse.join('/')}` : 'no default encryption',
    blocked ? 'public access blocked' : 'public access not blocked',
  ];
  return ['S3 bucket', display(text(bucket.body.bucket) ?? bucket.name), traits.join(', ')];
}

function distributionLabel(distribution: Resource): string[] {
  const b = distribution.body;
  const cert = block(b.viewer_certificate);
  return [
    'CloudFront distribution',
    [text(b.price_class), text(b.http_version), truthy(b.is_ipv6_enabled) ? 'IPv6' : undefined]
      .filter(Boolean)
      .join(', '),
    cert && truthy(cert.cloudfront_default_certificate)
      ? 'default *.cloudfront.net certificate'
      : `certificate ${text(cert?.minimum_protocol_version) ?? ''}`.trim(),
  ];
}

function webAclLabel(acl: Resource): string[] {
  const b = acl.body;
  const rules = blocks(b.rule).sort((x, y) => Number(x.priority ?? 0) - Number(y.priority ?? 0));
  const lines = [`WAF web ACL (${text(b.scope) ?? '?'} scope)`];
  const managed: string[] = [];
  let other = 0;
  for (const rule of rules) {
    const statement = block(rule.statement) ?? {};
    const rate = block(statement.rate_based_statement);
    const group = text(block(statement.managed_rule_group_statement)?.name);
    if (rate) {
      const minutes = Number(rate.evaluation_window_sec ?? 300) / 60;
      lines.push(
        `rate limit ${text(rate.limit)} per ${minutes} min per ${text(rate.aggregate_key_type) ?? 'IP'}`,
      );
    } else if (group) {
      managed.push(group.replace(/^AWSManagedRules/, '').replace(/RuleSet$/, ''));
    } else {
      other++;
    }
  }
  if (managed.length > 0) lines.push(`managed rules: ${managed.join(', ')}`);
  if (other > 0) lines.push(`${other} other rule(s)`);
  lines.push(`default ${Object.keys(block(b.default_action) ?? {})[0] ?? '?'}`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The model

interface Placed {
  readonly node: DiagramNode;
  /** Security groups of the node's resource (through launch templates too). */
  readonly securityGroups: readonly string[];
  readonly subnets: readonly Resource[];
  readonly resource?: Resource;
}

function portLabel(rule: Json): string {
  const protocol = text(rule.ip_protocol) ?? 'tcp';
  if (protocol === '-1' || protocol === 'all') return 'all traffic';
  const from = text(rule.from_port);
  const to = text(rule.to_port);
  if (from === undefined) return protocol;
  return from === to || to === undefined ? `${protocol} ${from}` : `${protocol} ${from}-${to}`;
}

/** `tcp 80` + `tcp 443` -> `tcp 80, 443`; other parts kept, sorted. */
function mergeLabels(parts: readonly string[]): string {
  const ports = new Map<string, string[]>();
  const rest: string[] = [];
  for (const part of new Set(parts)) {
    const m = /^(tcp|udp|icmp) (\S+)$/.exec(part);
    if (m) ports.set(m[1], [...(ports.get(m[1]) ?? []), m[2]]);
    else rest.push(part);
  }
  const merged = [...ports.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([p, list]) => `${p} ${list.sort(compare).join(', ')}`);
  return [...merged, ...rest.sort(compare)].join('; ');
}

function viewerLabel(policies: ReadonlySet<string>): string {
  if (policies.has('allow-all')) return 'http 80, https 443';
  return policies.has('redirect-to-https') ? 'https 443 (http 80 redirected)' : 'https 443';
}

/**
 * How CloudFront talks to an origin: `http 80`, `https, OAC`, `VPC origin, http 80` ... A VPC
 * origin's protocol settings live on its `aws_cloudfront_vpc_origin` (`vpcOrigin`).
 */
function originProtocol(origin: Json, vpcOrigin?: Json): string {
  if (vpcOrigin) {
    const endpoint = block(vpcOrigin.vpc_origin_endpoint_config);
    return `VPC origin, ${endpoint ? originProtocol({ custom_origin_config: endpoint }) : 'private'}`;
  }
  const custom = block(origin.custom_origin_config);
  if (!custom) return origin.origin_access_control_id ? 'https, OAC' : 'https';
  const http = `http ${text(custom.http_port) ?? 80}`;
  const https = `https ${text(custom.https_port) ?? 443}`;
  const policy = text(custom.origin_protocol_policy);
  return policy === 'http-only' ? http : policy === 'https-only' ? https : `${http} / ${https}`;
}

/** Collects nodes and edges; one method per source of edges. */
class ModelBuilder {
  private readonly placed: Placed[] = [];
  private readonly nodes = new Map<string, DiagramNode>();
  private readonly edges = new Map<string, { from: string; to: string; style: EdgeStyle; parts: string[] }>();

  constructor(
    private readonly index: StackIndex,
    private readonly json: StackJson,
  ) {}

  build(): ArchitectureModel {
    this.placeResources();
    this.securityGroupIngress();
    this.egressToAnywhere();
    this.cloudfront();
    this.accessLogs();
    this.iamBucketAccess();
    return {
      environment: environmentOf(this.json),
      groups: groupsOf(this.index, [...this.nodes.values()]),
      nodes: [...this.nodes.values()].sort((a, b) => compare(a.id, b.id)),
      edges: [...this.edges.values()]
        .map((e) => ({ from: e.from, to: e.to, style: e.style, label: mergeLabels(e.parts) }))
        .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.style, b.style)),
    };
  }

  private tierOf(subnets: readonly Resource[]): string | undefined {
    const found = [...new Set(subnets.map((s) => text(tags(s.body).Tier) ?? 'subnets'))].sort(compare);
    return found.length === 0 ? undefined : found.join('_');
  }

  private add(entry: Placed): void {
    this.placed.push(entry);
    this.nodes.set(entry.node.id, entry.node);
  }

  private place(resource: Resource, kind: string, label: string[], shape: NodeShape, edge = false): void {
    const subnets = this.index.subnetsOf(resource.body);
    const tier = edge ? undefined : this.tierOf(subnets);
    this.add({
      node: {
        id: nodeId(resource),
        kind,
        label,
        shape,
        group: edge ? EDGE_GROUP : tier ? `tier_${tier}` : VPC_GROUP,
      },
      securityGroups: this.index.securityGroupsOf(resource.body).map((g) => g.name),
      subnets,
      resource,
    });
  }

  private placeResources(): void {
    const index = this.index;
    for (const d of index.all('aws_cloudfront_distribution'))
      this.place(d, 'CloudFront distribution', distributionLabel(d), 'box', true);
    for (const acl of index.all('aws_wafv2_web_acl'))
      this.place(acl, 'WAF web ACL', webAclLabel(acl), 'box', true);
    for (const b of index.all('aws_s3_bucket'))
      this.place(b, 'S3 bucket', bucketLabel(index, b), 'store', true);
    for (const lb of index.all('aws_lb'))
      this.place(lb, 'Load balancer', loadBalancerLabel(index, lb), 'box');
    for (const s of index.all('aws_ecs_service'))
      this.place(s, 'ECS service', ecsServiceLabel(index, s), 'box');
    for (const asg of index.all('aws_autoscaling_group'))
      this.place(asg, 'Auto Scaling group', asgLabel(index, asg), 'box');
    for (const db of index.all('aws_db_instance'))
      this.place(db, 'RDS instance', dbInstanceLabel(db), 'store');
    for (const rg of index.all('aws_elasticache_replication_group'))
      this.place(rg, 'ElastiCache replication group', replicationGroupLabel(rg), 'store');

    // Interface endpoints are one node too: the services they carry are the interesting part.
    const endpoints = index.all('aws_vpc_endpoint').filter((e) => e.body.vpc_endpoint_type === 'Interface');
    if (endpoints.length > 0) {
      const subnets = [...new Set(endpoints.flatMap((e) => index.subnetsOf(e.body)))];
      const services = endpoints.map((e) =>
        (text(e.body.service_name) ?? '?').replace(/^com\.amazonaws\.[^.]+\./, ''),
      );
      const tier = this.tierOf(subnets);
      this.add({
        node: {
          id: ENDPOINTS_NODE,
          kind: 'Interface VPC endpoints',
          label: [`Interface endpoints x${endpoints.length}`, services.sort(compare).join(', ')],
          shape: 'box',
          group: tier ? `tier_${tier}` : VPC_GROUP,
        },
        securityGroups: [
          ...new Set(endpoints.flatMap((e) => index.securityGroupsOf(e.body).map((g) => g.name))),
        ],
        subnets,
      });
    }

    // NAT gateways are one node: their count and AZs are the interesting part.
    const nats = index.all('aws_nat_gateway');
    if (nats.length === 0) return;
    const subnets = nats.flatMap((n) => index.subnetsOf(n.body));
    const azs = [...new Set(subnets.map((s) => text(s.body.availability_zone) ?? '?'))].sort(compare);
    const tier = this.tierOf(subnets);
    this.add({
      node: {
        id: NAT_NODE,
        kind: 'NAT gateways',
        label: [`NAT gateway x${nats.length}`, azs.join(', ')],
        shape: 'box',
        group: tier ? `tier_${tier}` : VPC_GROUP,
      },
      securityGroups: [],
      subnets,
    });
  }

  private extra(node: DiagramNode): string {
    this.nodes.set(node.id, node);
    return node.id;
  }

  private internet(): string {
    return this.extra({ id: INTERNET, kind: 'Internet', label: ['Internet'], shape: 'circle' });
  }

  private connect(from: string, to: string, part: string, style: EdgeStyle): void {
    if (from === to) return;
    const key = `${from}\u0000${to}\u0000${style}`;
    const edge = this.edges.get(key) ?? { from, to, style, parts: [] };
    edge.parts.push(part);
    this.edges.set(key, edge);
  }

  private users(groupName: string): Placed[] {
    return this.placed.filter((p) => p.securityGroups.includes(groupName));
  }

  /** Who may open connections to whom, and on which ports. */
  private securityGroupIngress(): void {
    for (const rule of this.index.all('aws_vpc_security_group_ingress_rule')) {
      const target = this.index.refs(rule.body.security_group_id, 'aws_security_group')[0];
      if (!target) continue;
      const port = portLabel(rule.body);
      const sources: { id: string; style: EdgeStyle }[] = [];
      const referenced = this.index.refs(rule.body.referenced_security_group_id, 'aws_security_group')[0];
      const cidr = text(rule.body.cidr_ipv4) ?? text(rule.body.cidr_ipv6);
      if (referenced) {
        for (const p of this.users(referenced.name)) sources.push({ id: p.node.id, style: 'traffic' });
      } else if (cidr && ANYWHERE.has(cidr)) {
        sources.push({ id: this.internet(), style: 'traffic' });
      } else if (cidr && cidr.includes('${')) {
        sources.push({ id: this.variableSource(rule.body, cidr), style: 'relation' });
      } else if (cidr) {
        // A subnet's own range stands for what runs in that subnet.
        // Load balancers only forward to their targets: they open no connection of their own.
        const inSubnet = this.placed.filter(
          (p) => p.resource?.type !== 'aws_lb' && p.subnets.some((s) => text(s.body.cidr_block) === cidr),
        );
        for (const p of inSubnet) sources.push({ id: p.node.id, style: 'traffic' });
        if (inSubnet.length === 0) {
          const id = `cidr_${cidr.replace(/[^0-9A-Za-z]/g, '_')}`;
          sources.push({
            id: this.extra({ id, kind: 'CIDR', label: [cidr], shape: 'box' }),
            style: 'traffic',
          });
        }
      }
      for (const to of this.users(target.name))
        for (const source of sources) this.connect(source.id, to.node.id, port, source.style);
    }
  }

  /** A CIDR from a variable (for_each over var.x): optional, shown with the variable's default. */
  private variableSource(rule: Json, cidr: string): string {
    const variable = /var\.([A-Za-z0-9_]+)/.exec(`${text(rule.for_each) ?? ''} ${cidr}`)?.[1];
    const fallback = variable ? this.json.variable?.[variable]?.default : undefined;
    const none = fallback === undefined || (Array.isArray(fallback) && fallback.length === 0);
    return this.extra({
      id: `var_${variable ?? 'cidrs'}`,
      kind: 'Variable CIDRs',
      label: [`var.${variable ?? '?'}`, none ? 'empty by default' : `default ${JSON.stringify(fallback)}`],
      shape: 'box',
    });
  }

  /** Egress rules to anywhere: through the NAT gateway, or straight out from public subnets. */
  private egressToAnywhere(): void {
    for (const rule of this.index.all('aws_vpc_security_group_egress_rule')) {
      const cidr = text(rule.body.cidr_ipv4) ?? text(rule.body.cidr_ipv6);
      if (!cidr || !ANYWHERE.has(cidr)) continue;
      const group = this.index.refs(rule.body.security_group_id, 'aws_security_group')[0];
      if (!group) continue;
      for (const p of this.users(group.name)) {
        const route = this.index.defaultRoute(p.subnets);
        if (route === 'nat' && this.nodes.has(NAT_NODE))
          this.connect(p.node.id, NAT_NODE, portLabel(rule.body), 'traffic');
        else if (route === 'igw') this.connect(p.node.id, this.internet(), portLabel(rule.body), 'traffic');
      }
    }
    if (this.nodes.has(NAT_NODE) && this.index.all('aws_internet_gateway').length > 0)
      this.connect(NAT_NODE, this.internet(), 'outbound via internet gateway', 'traffic');
  }

  /** Viewers, the WAF, origins by the path patterns of their behaviors, access logs. */
  private cloudfront(): void {
    for (const d of this.index.all('aws_cloudfront_distribution')) {
      const id = nodeId(d);
      const behaviors: (Json & { path: string })[] = [
        { path: 'default (*)', ...(block(d.body.default_cache_behavior) ?? {}) },
        ...blocks(d.body.ordered_cache_behavior).map((b) => ({ path: text(b.path_pattern) ?? '?', ...b })),
      ];
      const viewer = new Set(behaviors.map((b) => text(b.viewer_protocol_policy) ?? 'allow-all'));
      this.connect(this.internet(), id, viewerLabel(viewer), 'traffic');
      for (const acl of this.index.refs(d.body.web_acl_id, 'aws_wafv2_web_acl'))
        this.connect(nodeId(acl), id, 'inspects viewer requests', 'relation');
      for (const origin of blocks(d.body.origin)) {
        const targets = [
          ...this.index.refs(origin.domain_name, 'aws_lb'),
          ...this.index.bucketsIn(origin.domain_name),
        ].filter((r) => this.nodes.has(nodeId(r)));
        const paths = behaviors.filter((b) => b.target_origin_id === origin.origin_id).map((b) => b.path);
        const headers = blocks(origin.custom_header).map((h) => `${text(h.name)} header`);
        const vpcOrigin = block(origin.vpc_origin_config)
          ? this.index.refs(block(origin.vpc_origin_config)?.vpc_origin_id, 'aws_cloudfront_vpc_origin')[0]
              ?.body
          : undefined;
        const protocol = originProtocol(origin, vpcOrigin);
        const label = `${paths.join(', ') || 'no behavior'}: ${[protocol, ...headers].join(', ')}`;
        for (const t of targets) this.connect(id, nodeId(t), label, 'traffic');
      }
      const logging = block(d.body.logging_config);
      if (logging)
        for (const b of this.index.bucketsIn(logging.bucket))
          this.connect(id, nodeId(b), `access logs ${text(logging.prefix) ?? ''}`.trim(), 'relation');
    }
  }

  /** Load balancer and S3 server access logs written into buckets. */
  private accessLogs(): void {
    for (const lb of this.index.all('aws_lb')) {
      const logs = block(lb.body.access_logs);
      if (!logs || !truthy(logs.enabled)) continue;
      const prefix = text(logs.prefix);
      for (const b of this.index.bucketsIn(logs.bucket))
        this.connect(nodeId(lb), nodeId(b), prefix ? `access logs ${prefix}/` : 'access logs', 'relation');
    }
    // Cross-region replication: the copy a disaster-recovery restore starts from.
    for (const replication of this.index.all('aws_s3_bucket_replication_configuration')) {
      const rules = blocks(replication.body.rule);
      const prefixes = rules.map((r) => text(block(r.filter)?.prefix) ?? '*').sort(compare);
      const rtc = rules.some((r) => block(block(r.destination)?.replication_time) !== undefined);
      const label = `replication ${prefixes.join(', ')}${rtc ? ' (RTC 15 min)' : ''}`;
      for (const source of this.index.refs(replication.body.bucket, 'aws_s3_bucket'))
        for (const r of rules)
          for (const target of this.index.refs(block(r.destination)?.bucket, 'aws_s3_bucket'))
            this.connect(nodeId(source), nodeId(target), label, 'relation');
    }
    for (const logging of this.index.all('aws_s3_bucket_logging')) {
      const label = `server access logs ${text(logging.body.target_prefix) ?? ''}`.trim();
      for (const source of this.index.refs(logging.body.bucket, 'aws_s3_bucket'))
        for (const target of this.index.bucketsIn(logging.body.target_bucket))
          this.connect(nodeId(source), nodeId(target), label, 'relation');
    }
  }

  /** S3 access granted to the compute by inline role policies naming a bucket. */
  private iamBucketAccess(): void {
    const endpointTables = new Set(
      this.index
        .all('aws_vpc_endpoint')
        .filter(
          (e) => /\.s3$/.test(text(e.body.service_name) ?? '') && e.body.vpc_endpoint_type === 'Gateway',
        )
        .flatMap((e) => this.index.refs(e.body.route_table_ids, 'aws_route_table').map((rt) => rt.name)),
    );
    for (const p of this.placed) {
      if (!p.resource) continue;
      const buckets = new Map<string, Resource>();
      for (const role of rolesOf(this.index, p.resource))
        for (const policy of this.index.referrers('aws_iam_role_policy', role))
          for (const b of this.index.bucketsIn(policy.body.policy)) buckets.set(b.name, b);
      const tables = this.index.routeTablesOf(p.subnets);
      const viaEndpoint = tables.length > 0 && tables.every((rt) => endpointTables.has(rt.name));
      const label = viaEndpoint ? 'S3 API (IAM), gateway endpoint' : 'S3 API (IAM)';
      for (const b of buckets.values()) this.connect(p.node.id, nodeId(b), label, 'relation');
    }
  }
}

/**
 * Reads the architecture out of one synthesized platform stack. Throws when the JSON holds no
 * resources (an empty or wrong file), since an empty diagram would silently pass as "up to date".
 */
export function architectureModel(json: StackJson): ArchitectureModel {
  const index = new StackIndex(json);
  if (index.size === 0) throw new Error('diagram: the stack JSON has no resources (is this a cdk.tf.json?)');
  return new ModelBuilder(index, json).build();
}

/** IAM roles whose permissions the resource runs with (ECS task role, EC2 instance profile). */
function rolesOf(index: StackIndex, resource: Resource): Resource[] {
  if (resource.type === 'aws_ecs_service') {
    return index
      .refs(resource.body.task_definition, 'aws_ecs_task_definition')
      .flatMap((t) => index.refs(t.body.task_role_arn, 'aws_iam_role'));
  }
  if (resource.type === 'aws_autoscaling_group') {
    return index
      .refs(resource.body, 'aws_launch_template')
      .flatMap((t) => index.refs(t.body.iam_instance_profile, 'aws_iam_instance_profile'))
      .flatMap((p) => index.refs(p.body.role, 'aws_iam_role'));
  }
  return [];
}

function groupsOf(index: StackIndex, nodes: readonly DiagramNode[]): DiagramGroup[] {
  const used = new Set(nodes.map((n) => n.group).filter((g): g is string => g !== undefined));
  const groups: DiagramGroup[] = [];
  if (used.has(EDGE_GROUP)) groups.push({ id: EDGE_GROUP, title: 'Edge and storage (outside the VPC)' });
  const tiers = [...used]
    .filter((g) => g.startsWith('tier_') && g !== EDGE_GROUP)
    .map((g) => g.slice('tier_'.length));
  const ordered = [
    ...TIER_ORDER.filter((t) => tiers.includes(t)),
    ...tiers.filter((t) => !TIER_ORDER.includes(t)).sort(compare),
  ];
  if (ordered.length > 0 || used.has(VPC_GROUP)) {
    const vpcs = index.all('aws_vpc');
    const cidr = vpcs.length === 1 ? text(vpcs[0].body.cidr_block) : undefined;
    groups.push({ id: VPC_GROUP, title: cidr ? `VPC ${cidr}` : 'VPC' });
  }
  const subnets = index.all('aws_subnet');
  for (const tier of ordered) {
    const cidrs = subnets
      .filter((s) => tier.split('_').includes(text(tags(s.body).Tier) ?? 'subnets'))
      .map((s) => text(s.body.cidr_block) ?? '?')
      .sort(compare);
    const title = TIER_TITLES[tier] ?? `${tier} tier`;
    groups.push({ id: `tier_${tier}`, title: `${title}: ${cidrs.join(', ')}`, parent: VPC_GROUP });
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Text safe inside a double-quoted Mermaid label. */
function escapeLabel(value: string): string {
  return value.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function renderNode(node: DiagramNode): string {
  const label = `"${node.label.map(escapeLabel).join('<br/>')}"`;
  if (node.shape === 'store') return `${node.id}[(${label})]`;
  if (node.shape === 'circle') return `${node.id}((${label}))`;
  return `${node.id}[${label}]`;
}

/** The Mermaid flowchart of a model: subgraphs per tier, nodes sorted by id, edges sorted. */
export function renderMermaid(model: ArchitectureModel): string {
  const lines = ['flowchart TB'];
  const write = (parent: string | undefined, indent: string) => {
    for (const node of model.nodes.filter((n) => n.group === parent))
      lines.push(`${indent}${renderNode(node)}`);
    for (const group of model.groups.filter((g) => g.parent === parent)) {
      lines.push(`${indent}subgraph ${group.id}["${escapeLabel(group.title)}"]`);
      write(group.id, `${indent}  `);
      lines.push(`${indent}end`);
    }
  };
  write(undefined, '  ');
  for (const edge of model.edges) {
    const arrow = edge.style === 'traffic' ? '-->' : '-.->';
    lines.push(`  ${edge.from} ${arrow}|"${escapeLabel(edge.label)}"| ${edge.to}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Comparing environments and the documents

function normalise(lines: readonly string[], environment: string): string[] {
  return lines.map((l) => l.split(environment).join('{env}'));
}

function cell(lines: readonly string[]): string {
  return lines.length === 0 ? 'absent' : lines.join('; ').replace(/\|/g, '\\|');
}

/**
 * What differs between production and another environment: tiers (CIDRs), nodes present in only
 * one, label lines that differ (environment names normalised away), and traffic paths.
 */
export function environmentDifferences(
  production: ArchitectureModel,
  other: ArchitectureModel,
): Difference[] {
  const out: Difference[] = [];
  const groupTitles = (m: ArchitectureModel) => new Map(m.groups.map((g) => [g.id, g.title]));
  const pg = groupTitles(production);
  const og = groupTitles(other);
  // In diagram order (edge, VPC, then tiers outside-in), not alphabetical.
  for (const id of new Set([...pg.keys(), ...og.keys()])) {
    const a = pg.get(id);
    const b = og.get(id);
    if (a !== b) out.push({ item: `subgraph \`${id}\``, production: a ?? 'absent', other: b ?? 'absent' });
  }
  const pn = new Map(production.nodes.map((n) => [n.id, n]));
  const on = new Map(other.nodes.map((n) => [n.id, n]));
  for (const id of [...new Set([...pn.keys(), ...on.keys()])].sort(compare)) {
    const a = pn.get(id);
    const b = on.get(id);
    const la = a ? normalise(a.label, production.environment) : [];
    const lb = b ? normalise(b.label, other.environment) : [];
    const onlyA = a && b ? la.filter((l) => !lb.includes(l)) : la;
    const onlyB = a && b ? lb.filter((l) => !la.includes(l)) : lb;
    if (onlyA.length === 0 && onlyB.length === 0) continue;
    const kind = (a ?? b)?.kind ?? id;
    out.push({ item: `${kind} \`${id}\``, production: cell(onlyA), other: cell(onlyB) });
  }
  const edgeKey = (e: DiagramEdge) => `${e.from} -> ${e.to} (${e.style})`;
  const pe = new Map(production.edges.map((e) => [edgeKey(e), e.label]));
  const oe = new Map(other.edges.map((e) => [edgeKey(e), e.label]));
  for (const key of [...new Set([...pe.keys(), ...oe.keys()])].sort(compare)) {
    const a = pe.get(key);
    const b = oe.get(key);
    if (a === b) continue;
    const [path] = key.split(' (');
    out.push({
      item: `${key.endsWith('(traffic)') ? 'path' : 'relation'} \`${path.replace(' -> ', '` to `')}\``,
      production: cell(a ? [a] : []),
      other: cell(b ? [b] : []),
    });
  }
  return out;
}

const GENERATED_NOTE =
  '<!-- Generated by `npm run diagram` from the synthesized stacks; do not edit by hand. -->';

function mermaidBlock(model: ArchitectureModel): string {
  return `\`\`\`mermaid\n${renderMermaid(model)}\`\`\``;
}

/** docs/architecture.md: the production diagram, a legend and the differences of `other`. */
export function architectureDocument(production: ArchitectureModel, other: ArchitectureModel): string {
  const differences = environmentDifferences(production, other);
  const rows = differences.map((d) => `| ${d.item} | ${d.production} | ${d.other} |`);
  return [
    '# Architecture',
    '',
    GENERATED_NOTE,
    '',
    `The \`${production.environment}\` stack as synthesized (\`npm run diagram\` regenerates this file;`,
    'a test fails when it is out of date). Every label and port is read from the Terraform JSON.',
    '',
    mermaidBlock(production),
    '',
    '## Legend',
    '',
    '- Subgraphs are tiers: the `Tier` tag of the subnets a resource is placed in, titled with the',
    '  subnet CIDRs; the edge tier holds CloudFront, WAF and the S3 buckets (outside the VPC).',
    '- Solid arrow: a network path that is allowed. Between resources it is a security-group ingress',
    '  rule (`aws_vpc_security_group_ingress_rule` whose source is another group or a CIDR), drawn',
    "  from the resources using the source group to those using the rule's group, labelled with",
    '  protocol and ports; egress rules to `0.0.0.0/0` go through the NAT gateway their subnets',
    '  route to; CloudFront arrows are its origins, labelled with the path patterns of the',
    '  behaviors that use them.',
    '- Dotted arrow: not a connection the resource opens on its own: the WAF attached to CloudFront,',
    '  access logs written to a bucket, S3 API access granted by an IAM role, or a path that only',
    '  exists when a variable is set (its default shown).',
    '- Cylinders are data stores; boxes are compute, load balancers and gateways.',
    '',
    `## Differences in \`${other.environment}\``,
    '',
    `Same resources and paths as \`${production.environment}\` except (environment names omitted;`,
    'only the differing label lines are shown):',
    '',
    `| item | ${production.environment} | ${other.environment} |`,
    '| --- | --- | --- |',
    ...(rows.length > 0 ? rows : ['| (none) | | |']),
    '',
  ].join('\n');
}

/** What the README shows between the architecture markers. */
export function readmeBlock(production: ArchitectureModel): string {
  return [
    GENERATED_NOTE,
    '',
    mermaidBlock(production),
    '',
    `The \`${production.environment}\` stack; legend and the differences of staging in`,
    '[docs/architecture.md](docs/architecture.md).',
  ].join('\n');
}

/**
 * `text` with the part between the architecture markers replaced by `content`; undefined when
 * the markers are missing, so the caller leaves the file alone. Throws on misplaced markers.
 */
export function replaceMarkedBlock(text: string, content: string): string | undefined {
  const { start, end } = ARCHITECTURE_MARKERS;
  const count = (marker: string) => text.split(marker).length - 1;
  const starts = count(start);
  const ends = count(end);
  if (starts === 0 && ends === 0) return undefined;
  if (starts !== 1 || ends !== 1)
    throw new Error(`README markers: expected one ${start} and one ${end}, found ${starts} and ${ends}`);
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (j < i) throw new Error(`README markers: ${end} comes before ${start}`);
  return `${text.slice(0, i + start.length)}\n${content}\n${text.slice(j)}`;
}

/** The text between the architecture markers (without the newlines next to them), if both exist. */
export function markedBlock(text: string): string | undefined {
  const { start, end } = ARCHITECTURE_MARKERS;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return undefined;
  return text.slice(i + start.length, j).replace(/^\n+|\n+$/g, '');
}

/** Markdown formatted as the repository's Prettier config formats `filePath` (lint checks it). */
export const formatMarkdown = (markdown: string, filePath: string): Promise<string> =>
  formatLikeRepo(markdown, filePath);
