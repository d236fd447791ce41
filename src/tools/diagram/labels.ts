/** Node labels, one function per resource kind, read from the resource bodies. */
import { parseSizeOnceTagged } from '../../stacks/variables';
import {
  block,
  blocks,
  compare,
  display,
  groupSize,
  type Resource,
  StackIndex,
  tags,
  text,
  truthy,
} from './stack-index';
import type { Json } from './types';

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

export function loadBalancerLabel(index: StackIndex, lb: Resource): string[] {
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

export function ecsServiceLabel(index: StackIndex, service: Resource): string[] {
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

export function asgLabel(index: StackIndex, asg: Resource): string[] {
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

export function dbInstanceLabel(db: Resource): string[] {
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

export function replicationGroupLabel(rg: Resource): string[] {
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

export function bucketLabel(index: StackIndex, bucket: Resource): string[] {
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

export function distributionLabel(distribution: Resource): string[] {
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

export function webAclLabel(acl: Resource): string[] {
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
