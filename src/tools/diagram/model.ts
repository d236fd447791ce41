/** The architecture model: nodes placed in tiers, and edges from rules, origins, logs and IAM. */
import {
  asgLabel,
  bucketLabel,
  dbInstanceLabel,
  distributionLabel,
  ecsServiceLabel,
  loadBalancerLabel,
  replicationGroupLabel,
  webAclLabel,
} from './labels';
import {
  block,
  blocks,
  compare,
  environmentOf,
  nodeId,
  type Resource,
  StackIndex,
  tags,
  text,
  truthy,
} from './stack-index';
import {
  ANYWHERE,
  type ArchitectureModel,
  type DiagramGroup,
  type DiagramNode,
  EDGE_GROUP,
  type EdgeStyle,
  ENDPOINTS_NODE,
  INTERNET,
  type Json,
  NAT_NODE,
  type NodeShape,
  type StackJson,
  TIER_ORDER,
  TIER_TITLES,
  VPC_GROUP,
} from './types';

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
    this.traces();
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

  /**
   * Where traces go: ECS services whose task runs an OTLP collector (AOT_CONFIG_CONTENT) and
   * Auto Scaling groups whose user data configures the CloudWatch agent's `traces_collected`,
   * to one X-Ray node labelled with the sampling rules' reservoir and rate.
   */
  private traces(): void {
    const senders: { id: string; via: string }[] = [];
    for (const s of this.index.all('aws_ecs_service')) {
      const task = this.index.refs(s.body.task_definition, 'aws_ecs_task_definition')[0];
      if (task && String(task.body.container_definitions ?? '').includes('AOT_CONFIG_CONTENT'))
        senders.push({ id: nodeId(s), via: 'traces (OTLP collector sidecar)' });
    }
    for (const g of this.index.all('aws_autoscaling_group')) {
      const userData = this.index
        .refs(g.body, 'aws_launch_template')
        .map((t) => String(t.body.user_data ?? ''))
        .map((u) => (u.startsWith('${') ? u : Buffer.from(u, 'base64').toString('utf8')))
        .join('');
      if (userData.includes('traces_collected'))
        senders.push({ id: nodeId(g), via: 'traces (CloudWatch agent)' });
    }
    if (senders.length === 0) return;
    const rules = this.index
      .all('aws_xray_sampling_rule')
      .filter((r) => r.body.url_path === '*')
      .map((r) => `sampling ${text(r.body.reservoir_size) ?? '?'}/s + ${Number(r.body.fixed_rate) * 100} %`);
    const id = this.extra({
      id: 'xray',
      kind: 'AWS X-Ray',
      label: ['AWS X-Ray', ...rules],
      shape: 'box',
    });
    for (const sender of senders) this.connect(sender.id, id, sender.via, 'relation');
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
        // A behavior may target an origin group: its first member is the primary, the rest
        // answer on failover.
        const groups = blocks(d.body.origin_group).filter((g) =>
          blocks(g.member).some((m) => m.origin_id === origin.origin_id),
        );
        const paths = behaviors.flatMap((b) => {
          if (b.target_origin_id === origin.origin_id) return [b.path];
          const group = groups.find((g) => g.origin_id === b.target_origin_id);
          if (!group) return [];
          const primary = blocks(group.member)[0]?.origin_id === origin.origin_id;
          return [primary ? b.path : `${b.path} failover`];
        });
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
