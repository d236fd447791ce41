import { s3BucketNameProblems } from './s3';

/**
 * The longest name AWS accepts for the name arguments the platform sets, by Terraform resource type
 * and argument (each service's API reference, Create* request parameters; the provider validates
 * some of them too, but only at plan time and not all).
 */
export const NAME_ARGUMENT_LIMITS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  aws_s3_bucket: { bucket: 63 },
  aws_elasticache_replication_group: { replication_group_id: 40 },
  aws_elasticache_parameter_group: { name: 255 },
  aws_elasticache_subnet_group: { name: 255 },
  aws_lb: { name: 32 },
  aws_lb_target_group: { name: 32 },
  aws_iam_role: { name: 64, name_prefix: 38 },
  aws_iam_policy: { name: 128 },
  aws_iam_role_policy: { name: 128 },
  aws_iam_instance_profile: { name: 128 },
  aws_db_instance: { identifier: 63 },
  aws_db_parameter_group: { name: 255 },
  aws_db_subnet_group: { name: 255 },
  aws_cloudwatch_log_group: { name: 512 },
  aws_cloudwatch_metric_alarm: { alarm_name: 255 },
  aws_cloudwatch_dashboard: { dashboard_name: 255 },
  aws_cloudwatch_event_rule: { name: 64 },
  aws_autoscaling_group: { name: 255 },
  aws_autoscaling_policy: { name: 255 },
  aws_appautoscaling_policy: { name: 255 },
  aws_launch_template: { name: 128 },
  aws_security_group: { name: 255 },
  aws_ecr_repository: { name: 256 },
  aws_ecs_cluster: { name: 255 },
  aws_ecs_service: { name: 255 },
  aws_ecs_task_definition: { family: 255 },
  aws_secretsmanager_secret: { name: 512 },
  aws_sns_topic: { name: 256 },
  aws_kms_alias: { name: 256 },
  aws_cloudfront_function: { name: 64 },
  aws_cloudfront_origin_access_control: { name: 64 },
  aws_wafv2_web_acl: { name: 128 },
  aws_lambda_function: { function_name: 64 },
  aws_scheduler_schedule: { name: 64 },
  aws_sfn_state_machine: { name: 80 },
  aws_dynamodb_table: { name: 255 },
};

export interface NameViolation {
  /** `<type>.<name>` of the resource. */
  readonly address: string;
  /** The name as it will be, with generated parts (the random suffix) at their length. */
  readonly name: string;
  readonly rule: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/**
 * Every generated name of a synthesized stack that AWS would reject for its length (or, for
 * buckets, its form). References to a `random_id`'s `hex` count at their real length; a name
 * with any other reference is not known before apply and is left alone.
 */
export function nameLimitViolations(stackJson: Json): NameViolation[] {
  const randomHex = new Map<string, number>();
  for (const [name, config] of Object.entries<Json>(stackJson.resource?.random_id ?? {})) {
    randomHex.set(name, Number(config.byte_length ?? 4) * 2);
  }
  const violations: NameViolation[] = [];
  for (const [type, limits] of Object.entries(NAME_ARGUMENT_LIMITS)) {
    for (const [name, config] of Object.entries<Json>(stackJson.resource?.[type] ?? {})) {
      for (const [argument, limit] of Object.entries(limits)) {
        const raw = config[argument];
        if (typeof raw !== 'string') continue;
        const value = raw.replace(/\$\{random_id\.([A-Za-z0-9_-]+)\.hex\}/g, (match, id: string) =>
          randomHex.has(id) ? 'f'.repeat(randomHex.get(id) as number) : match,
        );
        if (value.includes('${')) continue;
        const address = `${type}.${name}`;
        if (value.length > limit && type !== 'aws_s3_bucket') {
          violations.push({
            address,
            name: value,
            rule: `${argument} is ${value.length} characters; AWS allows at most ${limit} (shorten the project name)`,
          });
        }
        if (type === 'aws_s3_bucket') {
          for (const problem of s3BucketNameProblems(value)) {
            violations.push({ address, name: value, rule: `is not a valid S3 bucket name: ${problem}` });
          }
        }
      }
    }
  }
  return violations;
}
