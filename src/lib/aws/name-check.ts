import { NAME_LIMITS, type NameKind } from './names';
import { s3BucketNameProblems } from './s3';

/**
 * Which name argument of each Terraform resource type is which kind of AWS name; the limits
 * themselves, with their sources, are NAME_LIMITS.
 */
export const NAME_ARGUMENTS: Readonly<Record<string, Readonly<Record<string, NameKind>>>> = {
  aws_s3_bucket: { bucket: 's3Bucket' },
  aws_elasticache_replication_group: { replication_group_id: 'elasticacheReplicationGroupId' },
  aws_elasticache_parameter_group: { name: 'elasticacheParameterGroup' },
  aws_elasticache_subnet_group: { name: 'elasticacheSubnetGroup' },
  aws_lb: { name: 'loadBalancer', name_prefix: 'loadBalancerNamePrefix' },
  aws_lb_target_group: { name: 'targetGroup', name_prefix: 'targetGroupNamePrefix' },
  aws_iam_role: { name: 'iamRole', name_prefix: 'iamRoleNamePrefix' },
  aws_iam_policy: { name: 'iamPolicy' },
  aws_iam_role_policy: { name: 'iamRolePolicy' },
  aws_iam_instance_profile: { name: 'iamInstanceProfile', name_prefix: 'iamInstanceProfileNamePrefix' },
  aws_db_instance: { identifier: 'rdsDbInstanceIdentifier' },
  aws_db_parameter_group: { name: 'rdsDbParameterGroup' },
  aws_db_subnet_group: { name: 'rdsDbSubnetGroup' },
  aws_cloudwatch_log_group: { name: 'cloudwatchLogGroup' },
  aws_cloudwatch_metric_alarm: { alarm_name: 'cloudwatchAlarm' },
  aws_cloudwatch_dashboard: { dashboard_name: 'cloudwatchDashboard' },
  aws_autoscaling_group: { name: 'autoScalingGroup' },
  aws_autoscaling_policy: { name: 'autoScalingPolicy' },
  aws_appautoscaling_policy: { name: 'appAutoScalingPolicy' },
  aws_launch_template: { name: 'launchTemplate', name_prefix: 'launchTemplateNamePrefix' },
  aws_security_group: { name: 'securityGroup' },
  aws_ecr_repository: { name: 'ecrRepository' },
  aws_ecs_cluster: { name: 'ecsCluster' },
  aws_ecs_service: { name: 'ecsService' },
  aws_ecs_task_definition: { family: 'ecsTaskDefinitionFamily' },
  aws_secretsmanager_secret: { name: 'secretsManagerSecret' },
  aws_sns_topic: { name: 'snsTopic' },
  aws_kms_alias: { name: 'kmsAlias' },
  aws_cloudfront_function: { name: 'cloudfrontFunction' },
  aws_cloudfront_origin_access_control: { name: 'cloudfrontOriginAccessControl' },
  aws_wafv2_web_acl: { name: 'wafWebAcl' },
  aws_dynamodb_table: { name: 'dynamodbTable' },
  aws_xray_sampling_rule: { rule_name: 'xraySamplingRule' },
  aws_cloudwatch_event_rule: { name: 'eventbridgeRule' },
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
  for (const [type, argumentKinds] of Object.entries(NAME_ARGUMENTS)) {
    for (const [name, config] of Object.entries<Json>(stackJson.resource?.[type] ?? {})) {
      for (const [argument, kind] of Object.entries(argumentKinds)) {
        const limit = NAME_LIMITS[kind];
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
