import { MINUTES_PER_WEEK, weeklyLevels } from '../../lib/cron';
import type { UsageAssumptions } from './assumptions';
import { PriceBook, type PriceFile } from './prices';
import { parseSizeOnceTagged } from '../../stacks/variables';

// Synthesized Terraform JSON: resource bodies are free-form.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CATEGORIES = [
  'Network',
  'Load balancing',
  'Containers',
  'Database',
  'Cache',
  'Edge',
  'Storage',
  'Monitoring',
  'Security',
  'GPU',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * `fixed` lines cost the same at any GPU fleet size; GPU lines come at min, at the minimum the
 * scheduled actions keep over a week (`gpu-scheduled`; the group's min all week without
 * schedules) and at max.
 */
export type Scenario = 'fixed' | 'gpu-min' | 'gpu-scheduled' | 'gpu-max';

/** One billed dimension: quantity x unit price = monthly dollars. */
export interface CostLine {
  /** Stable across environments so staging and production rows line up. */
  readonly key: string;
  readonly category: Category;
  readonly item: string;
  readonly scenario: Scenario;
  /** Where the quantity comes from, in words. */
  readonly basis: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  /** Key in the region's price file (`free` for a documented free tier). */
  readonly priceKey: string;
  readonly monthlyUsd: number;
}

export interface CostTotals {
  readonly withoutGpu: number;
  readonly gpuAtMin: number;
  /** GPU fleets at the minimum their schedules keep (scaling above it on load is extra). */
  readonly gpuScheduled: number;
  readonly gpuAtMax: number;
  readonly withGpuAtMin: number;
  readonly withGpuScheduled: number;
  readonly withGpuAtMax: number;
}

/**
 * CloudFront viewer traffic under the distribution's price class, next to the same traffic under
 * PriceClass_100. A price class without the viewers' region serves (and bills) them from the
 * cheapest edges it has; PriceClass_100 has North American and European edges only (CloudFront
 * developer guide, "Choose the price class for a CloudFront distribution").
 */
export interface CloudFrontPricing {
  readonly priceClass: string;
  /** Edge group the viewers are billed at. */
  readonly edge: 'northAmerica' | 'asiaPacific';
  /** Data transfer out and HTTPS requests, as priced on the lines. */
  readonly monthlyUsd: number;
  /** The same data transfer and requests under PriceClass_100 (North American rates). */
  readonly atPriceClass100Usd: number;
}

export interface StackCost {
  readonly stack: string;
  readonly region: string;
  readonly pricesAsOf: string;
  readonly assumptions: UsageAssumptions;
  readonly lines: readonly CostLine[];
  readonly totals: CostTotals;
  /** Resource types present that have no line of their own, with the reason. */
  readonly notBilled: Readonly<Record<string, string>>;
  /** Resource types present that the estimator does not know: a cost may be missing. */
  readonly unpriced: readonly string[];
  /** Charges knowingly left out of the figures. */
  readonly notes: readonly string[];
  /** CloudFront traffic by price class; absent without a distribution. */
  readonly cloudFront?: CloudFrontPricing;
}

/** Resource types with no charge of their own, or one already counted on another line. */
export const NOT_BILLED: Readonly<Record<string, string>> = {
  aws_vpc: 'no charge',
  aws_subnet: 'no charge',
  aws_route: 'no charge',
  aws_route_table: 'no charge',
  aws_route_table_association: 'no charge',
  aws_internet_gateway: 'no charge (data transfer is billed by the resources using it)',
  aws_default_security_group: 'no charge',
  aws_security_group: 'no charge',
  aws_vpc_security_group_ingress_rule: 'no charge',
  aws_vpc_security_group_egress_rule: 'no charge',
  aws_db_subnet_group: 'no charge',
  aws_db_parameter_group: 'no charge',
  aws_elasticache_subnet_group: 'no charge',
  aws_elasticache_parameter_group: 'no charge',
  aws_iam_role: 'IAM has no charge',
  aws_iam_role_policy: 'IAM has no charge',
  aws_iam_role_policy_attachment: 'IAM has no charge',
  aws_iam_instance_profile: 'IAM has no charge',
  aws_iam_policy: 'IAM has no charge',
  aws_iam_openid_connect_provider: 'IAM has no charge',
  aws_ecs_cluster: 'no charge; its Container Insights metrics are in the custom-metrics line',
  aws_ecs_cluster_capacity_providers: 'no charge',
  aws_ecs_task_definition: 'priced through the ECS service that runs it',
  aws_launch_template: 'priced through the Auto Scaling group that uses it',
  aws_appautoscaling_target: 'no charge',
  aws_autoscaling_schedule: 'no charge (its minimums are priced on the GPU lines at schedule)',
  aws_autoscaling_lifecycle_hook: 'no charge',
  aws_lambda_function_event_invoke_config: 'configuration of a function priced on its own lines',
  aws_lb_listener: 'part of its load balancer (rule evaluations count towards LCUs)',
  aws_lb_listener_rule: 'part of its load balancer (rule evaluations count towards LCUs)',
  aws_lb_target_group: 'part of its load balancer',
  aws_cloudfront_origin_access_control: 'no charge',
  aws_cloudfront_vpc_origin:
    'no charge of its own: requests and transfer through it are on the CloudFront lines (CloudFront pricing, VPC origins)',
  aws_s3_bucket_accelerate_configuration:
    'charged per GB only when clients use the accelerate endpoint (about $0.04/GB from the US, Europe and Japan), and only when the path is faster: usage not in the assumptions',
  aws_wafv2_web_acl_logging_configuration:
    'no charge of its own: the log volume is billed as CloudWatch vended-log ingestion, which scales with traffic not in the assumptions',
  aws_cloudfront_function: 'priced per invocation on the CloudFront Functions line',
  aws_ecr_lifecycle_policy: 'no charge',
  aws_s3_bucket_public_access_block: 'configuration of a bucket priced on the S3 lines',
  aws_s3_bucket_versioning:
    'configuration of a bucket priced on the S3 lines (old versions are in the S3 GB)',
  aws_s3_bucket_server_side_encryption_configuration: 'configuration of a bucket priced on the S3 lines',
  aws_s3_bucket_ownership_controls: 'configuration of a bucket priced on the S3 lines',
  aws_s3_bucket_policy: 'configuration of a bucket priced on the S3 lines',
  aws_s3_bucket_lifecycle_configuration: 'configuration of a bucket priced on the S3 lines',
  aws_s3_bucket_cors_configuration: 'configuration of a bucket priced on the S3 lines',
  aws_s3_bucket_logging: 'configuration of a bucket priced on the S3 lines (log objects are in the S3 GB)',
  aws_secretsmanager_secret_version: 'included in the secret',
  aws_secretsmanager_secret_rotation: 'managed rotation of an RDS secret has no charge of its own',
  aws_kms_alias: 'no charge',
  aws_sns_topic: 'alarm notifications stay far inside SNS free usage',
  aws_sns_topic_subscription: 'no charge',
  aws_sns_topic_policy: 'no charge',
  aws_cloudwatch_event_rule: 'AWS service events on the default event bus are free',
  aws_cloudwatch_event_target: 'no charge (its notifications are on the SNS topic)',
  aws_dynamodb_table: 'on-demand lock table: a few requests per deploy, cents a year',
  random_id: 'not an AWS resource',
  random_password: 'not an AWS resource',
};

export const EDGE_NAMES = { northAmerica: 'North American', asiaPacific: 'Asia Pacific' } as const;

/** CloudWatch bills EC2 detailed monitoring as seven metrics per instance. */
const DETAILED_MONITORING_METRICS = 7;
/** Performance Insights' free tier: the last 7 days of history. */
const PERFORMANCE_INSIGHTS_FREE_DAYS = 7;

export interface EstimateInput {
  readonly stack: string;
  /** The synthesized `cdk.tf.json` of the stack. */
  readonly json: Json;
  readonly prices: PriceFile;
  readonly assumptions: UsageAssumptions;
}

/** The region of a stack's default (un-aliased) AWS provider. */
export function stackRegion(json: Json): string {
  const providers = asArray(json.provider?.aws);
  const main = providers.find((p) => !p.alias) ?? providers[0];
  const region = main?.region;
  if (typeof region !== 'string' || region.includes('${')) {
    throw new Error('cannot tell the stack region: the default aws provider has no literal region');
  }
  return region;
}

/** Rounds to cents; every line is rounded and totals add rounded lines, as a bill does. */
export function cents(usd: number): number {
  return Math.round((usd + Number.EPSILON) * 100) / 100;
}

/**
 * The owning construct of a resource, from its logical name: cdktf joins the construct path with
 * `_` and appends an 8-digit hash (`model-server_asg_F1358037` is `asg` inside `model-server`).
 * Construct ids are kebab-case, so `_` only separates path segments. Names without the hash
 * (hand-written JSON, overridden ids) are used as they are.
 */
export function construct(logicalName: string): string {
  const match = /^(.+)_[0-9A-F]{8}$/.exec(logicalName);
  if (!match) return logicalName;
  const segments = match[1].split('_');
  return segments.length > 1 ? segments.slice(0, -1).join('/') : segments[0];
}

function asArray(value: unknown): Json[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Json[];
}

/**
 * Reads what the stack creates and prices it. Counts, classes and sizes must be literals in the
 * JSON (names may be expressions); a count that is an expression fails with the attribute named.
 */
export function estimateStack(input: EstimateInput): StackCost {
  const { stack, json, assumptions: a } = input;
  const book = new PriceBook(input.prices);
  const H = a.hoursPerMonth;
  const lines: CostLine[] = [];
  const notes: string[] = [];
  let cloudFront: CloudFrontPricing | undefined;
  const handled = new Set<string>();
  const all = (json.resource ?? {}) as Record<string, Record<string, Json>>;

  const of = (type: string): [string, Json][] => {
    handled.add(type);
    return Object.entries(all[type] ?? {});
  };
  const resolve = (type: string, token: unknown, where: string): Json => {
    const match = typeof token === 'string' ? /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(token) : null;
    const target = match && match[1] === type ? all[type]?.[match[2]] : undefined;
    if (!target) throw new Error(`${stack}: cannot resolve ${where} (${JSON.stringify(token)}) to a ${type}`);
    return target;
  };
  const num = (value: unknown, where: string): number => {
    const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new Error(`${stack}: cannot price ${where}: ${JSON.stringify(value)} is not a literal number`);
    }
    return n;
  };
  const str = (value: unknown, where: string): string => {
    if (typeof value !== 'string' || value.includes('${')) {
      throw new Error(`${stack}: cannot price ${where}: ${JSON.stringify(value)} is not a literal`);
    }
    return value;
  };
  const add = (
    line: Omit<CostLine, 'unitPriceUsd' | 'monthlyUsd' | 'scenario'> & {
      scenario?: Scenario;
      /** Applied to the listed price (spot discounts). */
      factor?: number;
    },
  ) => {
    const listed = line.priceKey === 'free' ? 0 : book.get(line.priceKey).usd;
    const { factor, ...rest } = line;
    // Ten decimals keep spot rates like 0.647 x 0.4 free of float noise in the JSON.
    const unitPriceUsd = Number((listed * (factor ?? 1)).toFixed(10));
    lines.push({
      ...rest,
      scenario: line.scenario ?? 'fixed',
      unitPriceUsd,
      monthlyUsd: cents(line.quantity * unitPriceUsd),
    });
  };
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

  // Network
  const nats = of('aws_nat_gateway');
  if (nats.length > 0) {
    add({
      key: 'nat-gateway-hours',
      category: 'Network',
      item: 'NAT gateways',
      basis: `${plural(nats.length, 'NAT gateway')} x ${H} h`,
      quantity: nats.length * H,
      unit: 'h',
      priceKey: 'vpc.natGateway.hour',
    });
    add({
      key: 'nat-gateway-data',
      category: 'Network',
      item: 'NAT data processed',
      basis: `${a.natProcessedGb} GB (assumption)`,
      quantity: a.natProcessedGb,
      unit: 'GB',
      priceKey: 'vpc.natGateway.gb',
    });
  }
  const eips = of('aws_eip');
  if (eips.length > 0) {
    add({
      key: 'public-ipv4-eip',
      category: 'Network',
      item: 'Public IPv4: Elastic IPs',
      basis: `${plural(eips.length, 'address', 'addresses')} x ${H} h`,
      quantity: eips.length * H,
      unit: 'h',
      priceKey: 'vpc.publicIpv4.hour',
    });
  }
  const lbs = of('aws_lb').map(([name, body]) => ({
    name,
    body,
    type: str(body.load_balancer_type ?? 'application', `aws_lb.${name}.load_balancer_type`),
    internal: body.internal === true,
    subnets: body.subnets !== undefined ? asArray(body.subnets).length : asArray(body.subnet_mapping).length,
  }));
  const lbAddresses = lbs.filter((lb) => !lb.internal).reduce((sum, lb) => sum + lb.subnets, 0);
  if (lbAddresses > 0) {
    add({
      key: 'public-ipv4-alb',
      category: 'Network',
      item: 'Public IPv4: internet-facing load balancers',
      basis: `${plural(lbAddresses, 'address', 'addresses')} (one per subnet, at least) x ${H} h`,
      quantity: lbAddresses * H,
      unit: 'h',
      priceKey: 'vpc.publicIpv4.hour',
    });
  }
  const interfaceEndpoints = of('aws_vpc_endpoint').filter(
    ([, body]) => (body.vpc_endpoint_type ?? 'Gateway') === 'Interface',
  );
  if (interfaceEndpoints.length > 0) {
    const placements = interfaceEndpoints.reduce((sum, [, body]) => sum + asArray(body.subnet_ids).length, 0);
    add({
      key: 'interface-endpoints',
      category: 'Network',
      item: 'Interface VPC endpoints',
      basis: `${plural(interfaceEndpoints.length, 'endpoint')} in ${plural(placements, 'AZ placement')} x ${H} h`,
      quantity: placements * H,
      unit: 'h',
      priceKey: 'vpc.interfaceEndpoint.azHour',
    });
    add({
      key: 'interface-endpoints-data',
      category: 'Network',
      item: 'Interface VPC endpoints: data processed',
      basis: `${a.endpointProcessedGb} GB (assumption)`,
      quantity: a.endpointProcessedGb,
      unit: 'GB',
      priceKey: 'vpc.interfaceEndpoint.gb',
    });
  }

  // Load balancing. An internal ALB behind a CloudFront VPC origin carries the public API traffic,
  // so it takes the internet-facing LCU assumption.
  const vpcOriginTargets = new Set(
    of('aws_cloudfront_vpc_origin').flatMap(([, body]) =>
      asArray(body.vpc_origin_endpoint_config).map(
        (c) => /\$\{aws_lb\.([^.]+)\.arn\}/.exec(String(c.arn))?.[1],
      ),
    ),
  );
  const lcusOf = (lb: (typeof lbs)[number]) =>
    !lb.internal || vpcOriginTargets.has(lb.name) ? a.albLcus.internetFacing : a.albLcus.internal;
  for (const internal of [false, true]) {
    const kind = internal ? 'internal' : 'internet-facing';
    const group = lbs.filter((lb) => lb.internal === internal);
    for (const type of [...new Set(group.map((lb) => lb.type))].sort()) {
      const n = group.filter((lb) => lb.type === type).length;
      const lcus = group.filter((lb) => lb.type === type).reduce((sum, lb) => sum + lcusOf(lb), 0);
      const what = type === 'application' ? 'ALB' : `${type} LB`;
      add({
        key: `lb-hours:${type}:${kind}`,
        category: 'Load balancing',
        item: `${what} (${kind})`,
        basis: `${plural(n, 'load balancer')} x ${H} h`,
        quantity: n * H,
        unit: 'h',
        priceKey: `elb.${type}.hour`,
      });
      add({
        key: `lb-lcu:${type}:${kind}`,
        category: 'Load balancing',
        item: `${what} capacity units (${kind})`,
        basis: `${plural(n, 'load balancer')}, ${lcus} LCU in all (assumption) x ${H} h`,
        quantity: lcus * H,
        unit: 'LCU-h',
        priceKey: `elb.${type}.lcuHour`,
      });
    }
  }

  // Containers
  for (const [name, svc] of of('aws_ecs_service')) {
    const where = `aws_ecs_service.${name}`;
    const td = resolve('aws_ecs_task_definition', svc.task_definition, `${where}.task_definition`);
    const strategy = asArray(svc.capacity_provider_strategy);
    const fargate =
      svc.launch_type === 'FARGATE' ||
      strategy.some((s) => String(s.capacity_provider).startsWith('FARGATE')) ||
      asArray(td.requires_compatibilities).some((c) => String(c) === 'FARGATE');
    if (!fargate) {
      notes.push(`${where} runs on EC2 capacity, which is not priced here`);
      continue;
    }
    const tasks = num(svc.desired_count ?? 1, `${where}.desired_count`);
    const vcpu = num(td.cpu, `task definition of ${where}: cpu`) / 1024;
    const gb = num(td.memory, `task definition of ${where}: memory`) / 1024;
    const arch = td.runtime_platform?.cpu_architecture === 'ARM64' ? 'arm' : 'x86';
    const { onDemand, spot } = fargateSplit(tasks, strategy, (w) =>
      num(w, `${where}.capacity_provider_strategy`),
    );
    const id = construct(name);
    for (const [purchase, count, factor] of [
      ['on-demand', onDemand, 1],
      ['spot', spot, 1 - a.fargateSpotDiscount],
    ] as const) {
      if (count === 0 && (purchase === 'spot' || spot > 0)) continue;
      const suffix = purchase === 'spot' ? `, Fargate Spot at ${a.fargateSpotDiscount * 100} % off` : '';
      add({
        key: `fargate-vcpu:${purchase}:${id}`,
        category: 'Containers',
        item: `Fargate vCPU (${id}${purchase === 'spot' ? ', spot' : ''})`,
        basis: `${plural(count, 'task')} x ${vcpu} vCPU x ${H} h${suffix}`,
        quantity: count * vcpu * H,
        unit: 'vCPU-h',
        priceKey: `fargate.${arch}.vcpuHour`,
        factor,
      });
      add({
        key: `fargate-memory:${purchase}:${id}`,
        category: 'Containers',
        item: `Fargate memory (${id}${purchase === 'spot' ? ', spot' : ''})`,
        basis: `${plural(count, 'task')} x ${gb} GB x ${H} h${suffix}`,
        quantity: count * gb * H,
        unit: 'GB-h',
        priceKey: `fargate.${arch}.gbHour`,
        factor,
      });
    }
  }

  // Database
  let managedPasswords = 0;
  for (const [name, db] of of('aws_db_instance')) {
    const where = `aws_db_instance.${name}`;
    const engine = str(db.engine, `${where}.engine`);
    const cls = str(db.instance_class, `${where}.instance_class`);
    const multiAz = db.multi_az === true;
    const id = construct(name);
    const multiKey = `rds.${engine}.multiAz.${cls}`;
    if (multiAz && book.has(multiKey)) {
      add({
        key: `rds-instance:${id}`,
        category: 'Database',
        item: `RDS ${engine} instance (${id})`,
        basis: `${cls} Multi-AZ x ${H} h`,
        quantity: H,
        unit: 'h',
        priceKey: multiKey,
      });
    } else {
      add({
        key: `rds-instance:${id}`,
        category: 'Database',
        item: `RDS ${engine} instance (${id})`,
        basis: multiAz ? `${cls} x 2 (Multi-AZ primary and standby) x ${H} h` : `${cls} Single-AZ x ${H} h`,
        quantity: (multiAz ? 2 : 1) * H,
        unit: 'h',
        priceKey: `rds.${engine}.${cls}`,
      });
    }
    const storageGb = num(db.allocated_storage, `${where}.allocated_storage`);
    const storageType = str(db.storage_type ?? 'gp2', `${where}.storage_type`);
    add({
      key: `rds-storage:${id}`,
      category: 'Database',
      item: `RDS storage ${storageType} (${id})`,
      basis: multiAz ? `${storageGb} GB x 2 (Multi-AZ)` : `${storageGb} GB`,
      quantity: storageGb * (multiAz ? 2 : 1),
      unit: 'GB-month',
      priceKey: `rds.storage.${storageType}.gbMonth`,
    });
    if (db.performance_insights_enabled === true) {
      const days = num(
        db.performance_insights_retention_period ?? PERFORMANCE_INSIGHTS_FREE_DAYS,
        `${where}.pi`,
      );
      if (days <= PERFORMANCE_INSIGHTS_FREE_DAYS) {
        add({
          key: `rds-performance-insights:${id}`,
          category: 'Database',
          item: `Performance Insights (${id})`,
          basis: `${days}-day retention: free tier`,
          quantity: 1,
          unit: 'instance',
          priceKey: 'free',
        });
      } else {
        notes.push(`${id}: Performance Insights kept ${days} days is billed per vCPU and not priced here`);
      }
    }
    if (db.manage_master_user_password === true) managedPasswords++;
    const maxStorage = db.max_allocated_storage;
    if (typeof maxStorage === 'number' && maxStorage > storageGb) {
      notes.push(
        `${id}: storage autoscaling may grow ${storageGb} GB up to ${maxStorage} GB; priced at ${storageGb} GB`,
      );
    }
  }

  // Cache
  for (const [name, rg] of of('aws_elasticache_replication_group')) {
    const where = `aws_elasticache_replication_group.${name}`;
    const nodeType = str(rg.node_type, `${where}.node_type`);
    const engine = str(rg.engine ?? 'redis', `${where}.engine`);
    const nodes =
      rg.num_cache_clusters !== undefined
        ? num(rg.num_cache_clusters, `${where}.num_cache_clusters`)
        : num(rg.num_node_groups ?? 1, `${where}.num_node_groups`) *
          (1 + num(rg.replicas_per_node_group ?? 0, `${where}.replicas_per_node_group`));
    const id = construct(name);
    add({
      key: `cache-nodes:${id}`,
      category: 'Cache',
      item: `ElastiCache ${engine} nodes (${id})`,
      basis: `${plural(nodes, 'node')} ${nodeType} x ${H} h`,
      quantity: nodes * H,
      unit: 'h',
      priceKey: `elasticache.${engine}.${nodeType}`,
    });
  }
  for (const [name, cluster] of of('aws_elasticache_cluster')) {
    if (cluster.replication_group_id !== undefined) continue;
    const where = `aws_elasticache_cluster.${name}`;
    const nodeType = str(cluster.node_type, `${where}.node_type`);
    const engine = str(cluster.engine, `${where}.engine`);
    const nodes = num(cluster.num_cache_nodes ?? 1, `${where}.num_cache_nodes`);
    add({
      key: `cache-nodes:${construct(name)}`,
      category: 'Cache',
      item: `ElastiCache ${engine} nodes (${construct(name)})`,
      basis: `${plural(nodes, 'node')} ${nodeType} x ${H} h`,
      quantity: nodes * H,
      unit: 'h',
      priceKey: `elasticache.${engine}.${nodeType}`,
    });
  }

  // Edge
  const distributions = of('aws_cloudfront_distribution');
  if (distributions.length > 0) {
    const classes = [...new Set(distributions.map(([, d]) => String(d.price_class ?? 'PriceClass_All')))];
    if (classes.length > 1) notes.push(`distributions use ${classes.join(', ')}; priced at ${classes[0]}`);
    const edge = classes[0] === 'PriceClass_100' ? 'northAmerica' : a.cloudFrontViewerEdge;
    const where = `${plural(distributions.length, 'distribution')}, ${classes[0]}, ${EDGE_NAMES[edge]} edges`;
    add({
      key: 'cloudfront-data',
      category: 'Edge',
      item: 'CloudFront data transfer out',
      basis: `${a.cloudFrontGb} GB (assumption); ${where}`,
      quantity: a.cloudFrontGb,
      unit: 'GB',
      priceKey: `cloudfront.dataOut.${edge}.gb`,
    });
    add({
      key: 'cloudfront-requests',
      category: 'Edge',
      item: 'CloudFront HTTPS requests',
      basis: `${a.cloudFrontRequestsMillions} M requests (assumption)`,
      quantity: a.cloudFrontRequestsMillions * 100,
      unit: '10k requests',
      priceKey: `cloudfront.httpsRequests.${edge}.tenThousand`,
    });
    const viewerTraffic = lines.filter((l) => l.key === 'cloudfront-data' || l.key === 'cloudfront-requests');
    cloudFront = {
      priceClass: classes[0],
      edge,
      monthlyUsd: cents(viewerTraffic.reduce((sum, l) => sum + l.monthlyUsd, 0)),
      atPriceClass100Usd: cents(
        cents(a.cloudFrontGb * book.get('cloudfront.dataOut.northAmerica.gb').usd) +
          cents(
            a.cloudFrontRequestsMillions *
              100 *
              book.get('cloudfront.httpsRequests.northAmerica.tenThousand').usd,
          ),
      ),
    };
    const functions = Object.keys(all.aws_cloudfront_function ?? {}).length;
    if (functions > 0) {
      add({
        key: 'cloudfront-functions',
        category: 'Edge',
        item: 'CloudFront Functions',
        basis: `${a.cloudFrontRequestsMillions} M requests, at most one viewer-request function each (${plural(functions, 'function')})`,
        quantity: a.cloudFrontRequestsMillions,
        unit: '1M invocations',
        priceKey: 'cloudfront.functions.million',
      });
    }
  }
  const acls = of('aws_wafv2_web_acl');
  if (acls.length > 0) {
    const rules = acls.reduce((sum, [, acl]) => sum + asArray(acl.rule).length, 0);
    add({
      key: 'waf-web-acls',
      category: 'Edge',
      item: 'WAF web ACLs',
      basis: plural(acls.length, 'web ACL'),
      quantity: acls.length,
      unit: 'ACL-month',
      priceKey: 'waf.webAcl.month',
    });
    add({
      key: 'waf-rules',
      category: 'Edge',
      item: 'WAF rules',
      basis: `${plural(rules, 'rule')} (a managed rule group counts as one)`,
      quantity: rules,
      unit: 'rule-month',
      priceKey: 'waf.rule.month',
    });
    add({
      key: 'waf-requests',
      category: 'Edge',
      item: 'WAF requests inspected',
      basis: `${a.wafRequestsMillions} M requests (assumption)`,
      quantity: a.wafRequestsMillions,
      unit: '1M requests',
      priceKey: 'waf.requests.million',
    });
  }

  // Storage
  const buckets = of('aws_s3_bucket');
  if (buckets.length > 0) {
    const across = `across ${plural(buckets.length, 'bucket')}`;
    add({
      key: 's3-standard',
      category: 'Storage',
      item: 'S3 Standard storage',
      basis: `${a.s3StandardGb} GB ${across} (assumption)`,
      quantity: a.s3StandardGb,
      unit: 'GB-month',
      priceKey: 's3.standard.gbMonth',
    });
    if (a.s3GlacierGb > 0) {
      add({
        key: 's3-glacier',
        category: 'Storage',
        item: 'S3 Glacier Flexible Retrieval storage',
        basis: `${a.s3GlacierGb} GB moved by lifecycle rules (assumption)`,
        quantity: a.s3GlacierGb,
        unit: 'GB-month',
        priceKey: 's3.glacierFlexible.gbMonth',
      });
    }
    add({
      key: 's3-put-requests',
      category: 'Storage',
      item: 'S3 PUT, COPY, POST, LIST requests',
      basis: `${a.s3PutRequestsThousands}k requests (assumption)`,
      quantity: a.s3PutRequestsThousands,
      unit: '1k requests',
      priceKey: 's3.requests.tier1.thousand',
    });
    add({
      key: 's3-get-requests',
      category: 'Storage',
      item: 'S3 GET requests',
      basis: `${a.s3GetRequestsThousands}k requests (assumption)`,
      quantity: a.s3GetRequestsThousands,
      unit: '1k requests',
      priceKey: 's3.requests.tier2.thousand',
    });
  }
  // Disaster recovery: the video replica and the RDS backups in the second region
  for (const [, replication] of of('aws_s3_bucket_replication_configuration')) {
    const rules = asArray(replication.rule);
    const rtc = rules.some((r) => asArray(asArray(r.destination)[0]?.replication_time).length > 0);
    add({
      key: 's3-replication-transfer',
      category: 'Storage',
      item: 'S3 replication: transfer to the second region',
      basis: `${a.replicatedGb} GB of new videos (assumption)`,
      quantity: a.replicatedGb,
      unit: 'GB',
      priceKey: 'dataTransfer.interRegion.gb',
    });
    if (rtc) {
      add({
        key: 's3-replication-rtc',
        category: 'Storage',
        item: 'S3 Replication Time Control',
        basis: `${a.replicatedGb} GB replicated under the 15-minute SLA (assumption)`,
        quantity: a.replicatedGb,
        unit: 'GB',
        priceKey: 's3.rtc.gb',
      });
    }
    add({
      key: 's3-replica-standard',
      category: 'Storage',
      item: 'S3 replica storage, Standard (second region)',
      basis: `${a.replicaStorageGb.standard} GB (assumption)`,
      quantity: a.replicaStorageGb.standard,
      unit: 'GB-month',
      priceKey: 'dr.s3.standard.gbMonth',
    });
    add({
      key: 's3-replica-glacier',
      category: 'Storage',
      item: 'S3 replica storage, Glacier Flexible Retrieval (second region)',
      basis: `${a.replicaStorageGb.glacier} GB moved by the replica's lifecycle (assumption)`,
      quantity: a.replicaStorageGb.glacier,
      unit: 'GB-month',
      priceKey: 'dr.s3.glacierFlexible.gbMonth',
    });
  }
  if (of('aws_db_instance_automated_backups_replication').length > 0) {
    add({
      key: 'rds-backup-replication-transfer',
      category: 'Database',
      item: 'RDS backup replication: transfer to the second region',
      basis: `${a.rdsReplicatedTransferGb} GB of transaction logs and snapshot changes (assumption)`,
      quantity: a.rdsReplicatedTransferGb,
      unit: 'GB',
      priceKey: 'dataTransfer.interRegion.gb',
    });
    add({
      key: 'rds-backup-replication-storage',
      category: 'Database',
      item: 'RDS replicated backup storage (second region)',
      basis: `${a.rdsReplicatedBackupGb} GB (assumption)`,
      quantity: a.rdsReplicatedBackupGb,
      unit: 'GB-month',
      priceKey: 'dr.rds.backupStorage.gbMonth',
    });
  }
  if (of('aws_sfn_state_machine').length > 0) {
    add({
      key: 'step-functions',
      category: 'Security',
      item: 'Redeploy state machine (Step Functions)',
      basis: 'a few executions a month: inside the 4,000 free state transitions',
      quantity: 0,
      unit: 'state transitions',
      priceKey: 'free',
    });
  }
  const repositories = of('aws_ecr_repository');
  if (repositories.length > 0) {
    add({
      key: 'ecr-storage',
      category: 'Storage',
      item: 'ECR image storage',
      basis: `${a.ecrStorageGb} GB across ${plural(repositories.length, 'repository', 'repositories')} (assumption)`,
      quantity: a.ecrStorageGb,
      unit: 'GB-month',
      priceKey: 'ecr.storage.gbMonth',
    });
  }

  // Monitoring
  const alarms = of('aws_cloudwatch_metric_alarm');
  if (alarms.length > 0) {
    let standard = 0;
    let highResolution = 0;
    for (const [name, alarm] of alarms) {
      const queries = asArray(alarm.metric_query);
      const metrics = queries.length > 0 ? queries.filter((q) => q.metric !== undefined) : [alarm];
      for (const m of metrics) {
        const period = num(
          m.period ?? asArray(m.metric)[0]?.period ?? 60,
          `aws_cloudwatch_metric_alarm.${name}.period`,
        );
        if (period < 60) highResolution++;
        else standard++;
      }
    }
    if (standard > 0) {
      add({
        key: 'alarms-standard',
        category: 'Monitoring',
        item: 'CloudWatch alarm metrics',
        basis: `${plural(alarms.length, 'alarm')}, ${plural(standard, 'metric')} at 60 s or longer`,
        quantity: standard,
        unit: 'metric-month',
        priceKey: 'cloudwatch.alarm.standardMetric',
      });
    }
    if (highResolution > 0) {
      add({
        key: 'alarms-high-resolution',
        category: 'Monitoring',
        item: 'CloudWatch alarm metrics (high resolution)',
        basis: `${plural(highResolution, 'metric')} under 60 s`,
        quantity: highResolution,
        unit: 'metric-month',
        priceKey: 'cloudwatch.alarm.highResolutionMetric',
      });
    }
  }
  // Target tracking creates and bills its own alarm pair (high and low) per policy.
  let trackingAlarmMetrics = 0;
  let trackingPolicies = 0;
  for (const type of ['aws_autoscaling_policy', 'aws_appautoscaling_policy']) {
    for (const [, policy] of of(type)) {
      if (policy.policy_type !== 'TargetTrackingScaling') continue;
      const config = asArray(
        policy.target_tracking_configuration ?? policy.target_tracking_scaling_policy_configuration,
      )[0];
      const custom = asArray(config?.customized_metric_specification)[0];
      const mathMetrics = asArray(custom?.metrics).filter((m) => m.metric_stat !== undefined).length;
      trackingPolicies++;
      trackingAlarmMetrics += (config?.disable_scale_in === true ? 1 : 2) * Math.max(1, mathMetrics);
    }
  }
  if (trackingPolicies > 0) {
    add({
      key: 'alarms-target-tracking',
      category: 'Monitoring',
      item: 'CloudWatch alarms of target tracking',
      basis: `${plural(trackingPolicies, 'target tracking policy', 'target tracking policies')}, an alarm pair each: ${plural(trackingAlarmMetrics, 'metric')}`,
      quantity: trackingAlarmMetrics,
      unit: 'metric-month',
      priceKey: 'cloudwatch.alarm.standardMetric',
    });
  }
  const dashboards = of('aws_cloudwatch_dashboard');
  if (dashboards.length > 0) {
    add({
      key: 'dashboards',
      category: 'Monitoring',
      item: 'CloudWatch dashboards',
      basis: plural(dashboards.length, 'dashboard'),
      quantity: dashboards.length,
      unit: 'dashboard-month',
      priceKey: 'cloudwatch.dashboard.month',
    });
  }
  const allFlowLogs = of('aws_flow_log');
  const flowLogs = allFlowLogs.filter(
    ([, f]) => (f.log_destination_type ?? 'cloud-watch-logs') === 'cloud-watch-logs',
  );
  if (allFlowLogs.length > flowLogs.length) {
    notes.push('flow logs delivered to S3 or Firehose are not priced (their objects are in the S3 GB)');
  }
  if (flowLogs.length > 0) {
    add({
      key: 'flow-logs',
      category: 'Monitoring',
      item: 'VPC flow logs to CloudWatch (vended)',
      basis: `${a.flowLogGb} GB (assumption) from ${plural(flowLogs.length, 'flow log')}`,
      quantity: a.flowLogGb,
      unit: 'GB',
      priceKey: 'cloudwatch.logs.vendedIngestGb',
    });
  }
  const logGroups = of('aws_cloudwatch_log_group');
  if (logGroups.length > 0) {
    const days = logGroups.map(([name, g]) =>
      g.retention_in_days === undefined || g.retention_in_days === 0
        ? 365
        : num(g.retention_in_days, `aws_cloudwatch_log_group.${name}.retention_in_days`),
    );
    if (logGroups.some(([, g]) => !g.retention_in_days)) {
      notes.push('log groups without retention keep data forever; counted as one year');
    }
    const averageDays = days.reduce((s, d) => s + d, 0) / days.length;
    const ingested = a.logIngestionGb + (flowLogs.length > 0 ? a.flowLogGb : 0);
    add({
      key: 'log-ingestion',
      category: 'Monitoring',
      item: 'CloudWatch Logs ingestion',
      basis: `${a.logIngestionGb} GB (assumption) into ${plural(logGroups.length, 'log group')}`,
      quantity: a.logIngestionGb,
      unit: 'GB',
      priceKey: 'cloudwatch.logs.ingestGb',
    });
    add({
      key: 'log-storage',
      category: 'Monitoring',
      item: 'CloudWatch Logs storage',
      basis: `${ingested} GB a month kept ${round(averageDays)} days on average`,
      quantity: round((ingested * averageDays) / 30),
      unit: 'GB-month',
      priceKey: 'cloudwatch.logs.storageGbMonth',
    });
  }
  if (a.customMetrics > 0) {
    add({
      key: 'custom-metrics',
      category: 'Monitoring',
      item: 'CloudWatch custom metrics',
      basis: `${a.customMetrics} metrics: Container Insights, GPU agent, queue depth (assumption)`,
      quantity: a.customMetrics,
      unit: 'metric-month',
      priceKey: 'cloudwatch.metrics.customMetricMonth',
    });
  }

  // Security
  const secrets = of('aws_secretsmanager_secret');
  const secretCount = secrets.length + managedPasswords;
  if (secretCount > 0) {
    add({
      key: 'secrets',
      category: 'Security',
      item: 'Secrets Manager secrets',
      basis:
        managedPasswords > 0
          ? `${plural(secrets.length, 'secret')} + ${managedPasswords} RDS-managed master password`
          : plural(secrets.length, 'secret'),
      quantity: secretCount,
      unit: 'secret-month',
      priceKey: 'secretsManager.secret.month',
    });
  }
  const keys = of('aws_kms_key');
  if (keys.length > 0) {
    add({
      key: 'kms-keys',
      category: 'Security',
      item: 'KMS customer managed keys',
      basis: plural(keys.length, 'key'),
      quantity: keys.length,
      unit: 'key-month',
      priceKey: 'kms.key.month',
    });
  }

  // GPU fleets: at the Auto Scaling group's min, at its schedules and at its max
  const schedules = of('aws_autoscaling_schedule');
  for (const [name, asg] of of('aws_autoscaling_group')) {
    const where = `aws_autoscaling_group.${name}`;
    const mixed = asArray(asg.mixed_instances_policy)[0];
    const spec = mixed
      ? asArray(asArray(mixed.launch_template)[0]?.launch_template_specification)[0]
      : asArray(asg.launch_template)[0];
    const lt = resolve(
      'aws_launch_template',
      spec?.launch_template_id ?? spec?.id,
      `${where} launch template`,
    );
    const overrides = mixed ? asArray(asArray(mixed.launch_template)[0]?.override) : [];
    const instanceType = str(overrides[0]?.instance_type ?? lt.instance_type, `${where} instance type`);
    if (new Set(overrides.map((o) => o.instance_type)).size > 1) {
      notes.push(`${where}: several instance types allowed; priced as ${instanceType}`);
    }
    const distribution = mixed ? asArray(mixed.instances_distribution)[0] : undefined;
    const base = num(distribution?.on_demand_base_capacity ?? 0, `${where} on_demand_base_capacity`);
    const percent = mixed
      ? num(distribution?.on_demand_percentage_above_base_capacity ?? 100, `${where} on-demand percentage`)
      : 100;
    const split = (n: number) => {
      // AWS rounds the on-demand share up, so round up here too.
      const onDemand = Math.min(n, base) + Math.ceil(((n - Math.min(n, base)) * percent) / 100);
      return { onDemand, spot: n - onDemand };
    };
    const id = construct(name);
    // A fleet held at zero until its image tag is set is priced as it runs once the tag is set.
    const gatedMin = parseSizeOnceTagged(asg.min_size);
    const gatedMax = parseSizeOnceTagged(asg.max_size);
    const gate = gatedMin ?? gatedMax;
    if (gate) notes.push(`${where}: 0 instances while ${gate.variable} is empty; priced with the tag set`);
    const minSize = gatedMin?.size ?? num(asg.min_size, `${where}.min_size`);
    const own = schedules.filter(
      ([, s]) => s.autoscaling_group_name === `\${aws_autoscaling_group.${name}.name}`,
    );
    // [instances, share of the month] per level; the schedules' minimums hold until the next action.
    const levels = own.length
      ? [
          ...weeklyLevels(
            own.map(([sName, s]) => ({
              cron: str(s.recurrence, `aws_autoscaling_schedule.${sName}.recurrence`),
              value: num(s.min_size, `aws_autoscaling_schedule.${sName}.min_size`),
            })),
          ),
        ].map(([n, minutes]) => [n, minutes / MINUTES_PER_WEEK] as const)
      : [[minSize, 1] as const];
    const weekly = own.length
      ? [...levels]
          .sort((x, y) => y[0] - x[0])
          .map(([n, share]) => `${n} for ${round((share * MINUTES_PER_WEEK) / 60)} h`)
          .join(', ')
          .concat(' a week (scheduled minimum)')
      : '';
    const sizes: Record<Exclude<Scenario, 'fixed'>, readonly (readonly [number, number])[]> = {
      'gpu-min': [[minSize, 1]],
      'gpu-scheduled': levels,
      'gpu-max': [[gatedMax?.size ?? num(asg.max_size, `${where}.max_size`), 1]],
    };
    const hoursOf = (scenario: Exclude<Scenario, 'fixed'>, part: 'onDemand' | 'spot' | 'all') =>
      round(
        sizes[scenario].reduce((sum, [n, share]) => {
          const count = part === 'all' ? n : split(n)[part];
          return sum + count * share * H;
        }, 0),
      );
    const anyOnDemand = Object.values(sizes).some((l) => l.some(([n]) => split(n).onDemand > 0));
    const anySpot = Object.values(sizes).some((l) => l.some(([n]) => split(n).spot > 0));
    const volumes = asArray(lt.block_device_mappings).flatMap((m) => asArray(m.ebs));
    const detailed = asArray(lt.monitoring)[0]?.enabled === true;
    for (const scenario of ['gpu-min', 'gpu-scheduled', 'gpu-max'] as const) {
      const scheduled = scenario === 'gpu-scheduled' && own.length > 0;
      const instances = (part: 'onDemand' | 'spot' | 'all') => {
        if (scheduled) return `${round(hoursOf(scenario, part) / H)} instances on average`;
        const [n] = sizes[scenario][0];
        return plural(part === 'all' ? n : split(n)[part], 'instance');
      };
      const suffix = scheduled ? `; ${weekly}` : '';
      if (anyOnDemand || !anySpot) {
        add({
          key: `gpu-on-demand:${id}`,
          category: 'GPU',
          item: `${id} ${instanceType} on-demand`,
          scenario,
          basis: `${instances('onDemand')} x ${H} h${suffix}`,
          quantity: hoursOf(scenario, 'onDemand'),
          unit: 'h',
          priceKey: `ec2.linux.${instanceType}`,
        });
      }
      if (anySpot) {
        add({
          key: `gpu-spot:${id}`,
          category: 'GPU',
          item: `${id} ${instanceType} spot`,
          scenario,
          basis: `${instances('spot')} x ${H} h at ${a.gpuSpotDiscount * 100} % off on-demand (assumption)${suffix}`,
          quantity: hoursOf(scenario, 'spot'),
          unit: 'h',
          priceKey: `ec2.linux.${instanceType}`,
          factor: 1 - a.gpuSpotDiscount,
        });
      }
      const average = hoursOf(scenario, 'all') / H;
      for (const type of [...new Set(volumes.map((v) => String(v.volume_type ?? 'gp2')))].sort()) {
        const gb = volumes
          .filter((v) => String(v.volume_type ?? 'gp2') === type)
          .reduce((sum, v) => sum + num(v.volume_size, `${where} launch template volume_size`), 0);
        add({
          key: `gpu-ebs:${type}:${id}`,
          category: 'GPU',
          item: `${id} EBS ${type}`,
          scenario,
          basis: `${instances('all')} x ${gb} GB`,
          quantity: round(average * gb),
          unit: 'GB-month',
          priceKey: `ebs.${type}.gbMonth`,
        });
      }
      if (detailed) {
        add({
          key: `gpu-detailed-monitoring:${id}`,
          category: 'GPU',
          item: `${id} detailed monitoring`,
          scenario,
          basis: `${instances('all')} x ${DETAILED_MONITORING_METRICS} metrics`,
          quantity: round(average * DETAILED_MONITORING_METRICS),
          unit: 'metric-month',
          priceKey: 'cloudwatch.metrics.customMetricMonth',
        });
      }
    }
  }

  // Scheduled functions: requests, compute time, the schedule's invocations and the metric puts
  const scheduled = of('aws_scheduler_schedule');
  for (const [name, fn] of of('aws_lambda_function')) {
    const where = `aws_lambda_function.${name}`;
    const id = construct(name);
    const schedule = scheduled.find(
      ([, s]) => asArray(s.target)[0]?.arn === `\${aws_lambda_function.${name}.arn}`,
    );
    if (!schedule) {
      notes.push(`${where}: invoked on demand, not on a schedule; its requests are not priced`);
      continue;
    }
    const expression = str(schedule[1].schedule_expression, `aws_scheduler_schedule.${schedule[0]}`);
    const rate = /^rate\((\d+) minutes?\)$/.exec(expression);
    if (!rate)
      throw new Error(`${stack}: cannot price ${where}: schedule ${expression} is not rate(N minutes)`);
    const runs = (H * 60) / Number(rate[1]);
    const memoryGb = num(fn.memory_size ?? 128, `${where}.memory_size`) / 1024;
    const arm = (Array.isArray(fn.architectures) ? fn.architectures : []).includes('arm64');
    add({
      key: `function-requests:${id}`,
      category: 'Monitoring',
      item: `${id} function requests`,
      basis: `${expression}: ${quantityText(runs)} runs`,
      quantity: runs / 1e6,
      unit: '1M requests',
      priceKey: 'lambda.requests.million',
    });
    add({
      key: `function-duration:${id}`,
      category: 'Monitoring',
      item: `${id} function compute (${arm ? 'arm64' : 'x86_64'})`,
      basis: `${quantityText(runs)} runs x ${a.functionDurationMs} ms (assumption) x ${memoryGb} GB`,
      quantity: round((runs * a.functionDurationMs * memoryGb) / 1000),
      unit: 'GB-s',
      priceKey: arm ? 'lambda.arm.gbSecond' : 'lambda.x86.gbSecond',
    });
    add({
      key: `schedule-invocations:${id}`,
      category: 'Monitoring',
      item: `${id} EventBridge Scheduler invocations`,
      basis: `${quantityText(runs)} invocations`,
      quantity: runs / 1e6,
      unit: '1M invocations',
      priceKey: 'scheduler.invocations.million',
    });
    add({
      key: `metric-puts:${id}`,
      category: 'Monitoring',
      item: `${id} PutMetricData requests`,
      basis: `one request per run`,
      quantity: runs / 1000,
      unit: '1k requests',
      priceKey: 'cloudwatch.api.thousandRequests',
    });
  }

  book.throwIfMissing();

  const present = Object.keys(all).sort();
  const notBilled = Object.fromEntries(
    present.filter((t) => !handled.has(t) && t in NOT_BILLED).map((t) => [t, NOT_BILLED[t]]),
  );
  const unpriced = present.filter((t) => !handled.has(t) && !(t in NOT_BILLED));
  return {
    stack,
    region: input.prices.region,
    pricesAsOf: input.prices.asOf,
    assumptions: a,
    lines,
    totals: totalsOf(lines),
    notBilled,
    unpriced,
    notes,
    ...(cloudFront ? { cloudFront } : {}),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function quantityText(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function totalsOf(lines: readonly CostLine[]): CostTotals {
  const sum = (scenario: Scenario) =>
    cents(lines.filter((l) => l.scenario === scenario).reduce((s, l) => s + l.monthlyUsd, 0));
  const withoutGpu = sum('fixed');
  const gpuAtMin = sum('gpu-min');
  const gpuScheduled = sum('gpu-scheduled');
  const gpuAtMax = sum('gpu-max');
  return {
    withoutGpu,
    gpuAtMin,
    gpuScheduled,
    gpuAtMax,
    withGpuAtMin: cents(withoutGpu + gpuAtMin),
    withGpuScheduled: cents(withoutGpu + gpuScheduled),
    withGpuAtMax: cents(withoutGpu + gpuAtMax),
  };
}

/**
 * Tasks per purchase option under a capacity provider strategy: each provider's base first, in
 * order, then the rest by weight (spot share rounded down, as ECS favours the base provider).
 */
function fargateSplit(
  tasks: number,
  strategy: readonly Json[],
  n: (value: unknown) => number,
): { onDemand: number; spot: number } {
  if (strategy.length === 0) return { onDemand: tasks, spot: 0 };
  let remaining = tasks;
  let spot = 0;
  for (const s of strategy) {
    const take = Math.min(remaining, n(s.base ?? 0));
    if (s.capacity_provider === 'FARGATE_SPOT') spot += take;
    remaining -= take;
  }
  const weights = strategy.map((s) => n(s.weight ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const spotWeight = strategy.reduce(
    (sum, s, i) => sum + (s.capacity_provider === 'FARGATE_SPOT' ? weights[i] : 0),
    0,
  );
  if (total > 0) spot += Math.floor((remaining * spotWeight) / total);
  return { onDemand: tasks - spot, spot };
}
