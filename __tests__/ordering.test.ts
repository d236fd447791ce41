import { synthStack } from './support/app';
import { resourcesOf, type Json } from './support/synth';

/**
 * "X needs Y configured first" pairs of the platform stacks. A plan cannot see these AWS rules:
 * Terraform creates unrelated resources in parallel, so each pair must be ordered either by an
 * explicit `depends_on` or by a reference from X to an attribute of Y. Every row names the AWS rule
 * (or documented failure) that makes the order necessary.
 */

type Stack = 'staging' | 'production';

/** A resource by type and construct path (`api_service` matches `api_service_298EA376`). */
interface Selector {
  readonly type: string;
  readonly path: string;
}

interface Pair {
  /** The resource that must wait. */
  readonly from: Selector;
  /** What it must wait for: selectors, or addresses computed from the stack's JSON. */
  readonly after: readonly Selector[] | ((json: Json) => string[]);
  /** `depends_on`: an explicit edge; `reference`: X reads an attribute of Y. */
  readonly via: 'depends_on' | 'reference';
  readonly stacks: readonly Stack[];
  /** The AWS rule that makes the order necessary, and where it is written. */
  readonly rule: string;
}

const BOTH: readonly Stack[] = ['staging', 'production'];
const PRODUCTION: readonly Stack[] = ['production'];
const r = (type: string, path: string): Selector => ({ type, path });

/** Listeners and listener rules whose action forwards to the API target group. */
function apiTargetGroupForwarders(json: Json): string[] {
  const tg = `\${${address(json, r('aws_lb_target_group', 'api_target-group'))}.arn}`;
  const forwards = (actions: Json[] | undefined) =>
    (actions ?? []).some((a) => a.type === 'forward' && a.target_group_arn === tg);
  return [
    ...Object.entries(resourcesOf(json, 'aws_lb_listener'))
      .filter(([, l]) => forwards(l.default_action))
      .map(([name]) => `aws_lb_listener.${name}`),
    ...Object.entries(resourcesOf(json, 'aws_lb_listener_rule'))
      .filter(([, rule]) => forwards(rule.action))
      .map(([name]) => `aws_lb_listener_rule.${name}`),
  ];
}

const PAIRS: readonly Pair[] = [
  {
    from: r('aws_ecs_service', 'api_service'),
    after: apiTargetGroupForwarders,
    via: 'depends_on',
    stacks: BOTH,
    rule: 'ECS CreateService rejects a target group that is not attached to a load balancer yet ("The target group ... does not have an associated load balancer")',
  },
  {
    from: r('aws_ecs_service', 'api_service'),
    after: [r('aws_ecs_cluster_capacity_providers', 'api_capacity-providers')],
    via: 'depends_on',
    stacks: BOTH,
    rule: 'ECS service definition parameters: a capacity provider strategy may only name providers associated with the cluster',
  },
  {
    from: r('aws_ecs_service', 'api_service'),
    after: [
      r('aws_iam_role_policy_attachment', 'api_execution-managed'),
      r('aws_iam_role_policy', 'api_execution-secrets'),
      r('aws_iam_role_policy', 'api_task-policy'),
    ],
    via: 'depends_on',
    stacks: BOTH,
    rule: 'ECS task execution IAM role: pulling from ECR, awslogs and Secrets Manager secrets need the execution role permissions before the first task starts',
  },
  {
    from: r('aws_appautoscaling_target', 'api_scaling-target'),
    after: [r('aws_ecs_service', 'api_service')],
    via: 'reference',
    stacks: BOTH,
    rule: 'Application Auto Scaling RegisterScalableTarget needs the ECS service it scales to exist',
  },
  {
    from: r('aws_cloudfront_distribution', 'cdn_distribution'),
    after: [r('aws_s3_bucket_ownership_controls', 'storage_logs_ownership')],
    via: 'depends_on',
    stacks: BOTH,
    rule: 'CloudFront developer guide, "Configure standard logging (legacy)": the log bucket must have ACLs enabled (not BucketOwnerEnforced), else CloudFront rejects it',
  },
  ...(['frontend', 'video'] as const).map((bucket): Pair => ({
    from: r('aws_s3_bucket_policy', `storage_${bucket}_policy`),
    after: [r('aws_cloudfront_distribution', 'cdn_distribution')],
    via: 'reference',
    stacks: BOTH,
    rule: 'CloudFront origin access control: the bucket grant is scoped to the distribution ARN (AWS:SourceArn), so it needs the distribution first',
  })),
  ...(['frontend', 'video', 'logs'] as const).map((bucket): Pair => ({
    from: r('aws_s3_bucket_policy', `storage_${bucket}_policy`),
    after: [r('aws_s3_bucket_public_access_block', `storage_${bucket}_public-access-block`)],
    via: 'depends_on',
    stacks: BOTH,
    rule: 'S3 answers OperationAborted ("A conflicting conditional operation is currently in progress") to a policy write racing the public access block (hashicorp/terraform-provider-aws#7628)',
  })),
  ...(['frontend', 'video'] as const).map((bucket): Pair => ({
    from: r('aws_s3_bucket_lifecycle_configuration', `storage_${bucket}_lifecycle`),
    after: [r('aws_s3_bucket_versioning', `storage_${bucket}_versioning`)],
    via: 'depends_on',
    stacks: BOTH,
    rule: 'S3 noncurrent-version lifecycle actions act on versioned buckets; the provider documents depends_on on the versioning resource',
  })),
  ...(['frontend', 'video'] as const).map((bucket): Pair => ({
    from: r('aws_s3_bucket_logging', `storage_${bucket}_logging`),
    after: [r('aws_s3_bucket_policy', 'storage_logs_policy')],
    via: 'depends_on',
    stacks: PRODUCTION,
    rule: 'S3 user guide, "Enabling Amazon S3 server access logging": the destination bucket policy must grant logging.s3.amazonaws.com',
  })),
  ...(['api_alb', 'model-server_load-balancer'] as const).map((lb): Pair => ({
    from: r('aws_lb', lb),
    after: [r('aws_s3_bucket_policy', 'storage_logs_policy')],
    via: 'reference',
    stacks: PRODUCTION,
    rule: 'ELB user guide, "Enable access logs": the bucket must have a policy that grants Elastic Load Balancing permission to write the logs',
  })),
  {
    from: r('aws_db_instance', 'database_instance'),
    after: [r('aws_iam_role_policy_attachment', 'database_monitoring-policy')],
    via: 'depends_on',
    stacks: PRODUCTION,
    rule: 'RDS user guide, "Setting up and enabling Enhanced Monitoring": the monitoring role must hold AmazonRDSEnhancedMonitoringRole',
  },
  {
    from: r('aws_db_instance', 'database_instance'),
    after: [
      r('aws_cloudwatch_log_group', 'database_log-postgresql'),
      r('aws_cloudwatch_log_group', 'database_log-upgrade'),
    ],
    via: 'depends_on',
    stacks: BOTH,
    rule: 'RDS log exports create /aws/rds/instance/<id>/<log> themselves, without retention, when the group does not exist yet',
  },
  {
    from: r('aws_flow_log', 'network_flow-log'),
    after: [r('aws_iam_role_policy', 'network_flow-log-policy')],
    via: 'depends_on',
    stacks: PRODUCTION,
    rule: 'VPC user guide, "IAM role for publishing flow logs to CloudWatch Logs": the role must have the permissions to publish',
  },
  {
    from: r('aws_nat_gateway', 'network_nat-0'),
    after: [r('aws_internet_gateway', 'network_igw')],
    via: 'depends_on',
    stacks: BOTH,
    rule: 'A public NAT gateway (and its Elastic IP) needs the VPC attached to an internet gateway',
  },
  {
    from: r('aws_sns_topic', 'monitoring_topic'),
    after: [r('aws_kms_key', 'monitoring_key')],
    via: 'reference',
    stacks: BOTH,
    rule: 'SNS server-side encryption: CloudWatch alarms publish to an encrypted topic only under a customer managed key whose policy allows cloudwatch.amazonaws.com',
  },
];

/** The address of the single resource a selector names. */
function address(json: Json, s: Selector): string {
  const pattern = new RegExp(`^${s.path}(_[0-9A-F]{8})?$`);
  const names = Object.keys(resourcesOf(json, s.type)).filter((n) => pattern.test(n));
  if (names.length !== 1) throw new Error(`expected one ${s.type} ${s.path}, found ${names.length}`);
  return `${s.type}.${names[0]}`;
}

/** True when `resource` reads any attribute of `target` in a Terraform expression. */
function references(resource: Json, target: string): boolean {
  const escaped = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$\\{[^}]*\\b${escaped}\\.`).test(JSON.stringify(resource));
}

describe('ordering pairs', () => {
  it('cover at least 10 AWS rules, each stated', () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(10);
    for (const pair of PAIRS) expect(pair.rule.length).toBeGreaterThan(20);
  });

  describe.each(['staging', 'production'] as const)('%s', (stack) => {
    const json = synthStack(stack);
    const rows = PAIRS.filter((p) => p.stacks.includes(stack)).map((p) => {
      const after =
        typeof p.after === 'function'
          ? 'every listener and rule that forwards to its target group'
          : p.after.map((s) => s.path).join(', ');
      return [`${p.from.type} ${p.from.path}`, after, p] as const;
    });

    it.each(rows)('%s waits for %s', (_, __, pair) => {
      const from = address(json, pair.from);
      const [type, name] = from.split('.');
      const resource = resourcesOf(json, type)[name];
      const after =
        typeof pair.after === 'function' ? pair.after(json) : pair.after.map((s) => address(json, s));
      expect(after.length).toBeGreaterThan(0);
      for (const target of after) {
        if (pair.via === 'depends_on') expect(resource.depends_on ?? [], pair.rule).toContain(target);
        else expect(references(resource, target), `${from} -> ${target}: ${pair.rule}`).toBe(true);
      }
    });
  });
});
