/**
 * The longest name AWS (or the Terraform AWS provider, where it is stricter) accepts for each kind
 * of name this project generates. Checked 2026-11-30; each entry names its source. "API" is the
 * service's API Reference (the parameter's length constraint); "provider" is
 * hashicorp/terraform-provider-aws, whose `name_prefix` leaves room for the 26-character unique
 * suffix it appends (terraform-plugin-sdk helper/id UniqueIDSuffixLength = 26).
 */
export const NAME_LIMITS = {
  /** S3 User Guide, "General purpose bucket naming rules": 3 to 63 characters. */
  s3Bucket: 63,
  /** ElastiCache API CreateReplicationGroup ReplicationGroupId: 1 to 40 characters. */
  elasticacheReplicationGroupId: 40,
  /** ElastiCache API CreateCacheSubnetGroup CacheSubnetGroupName: no more than 255 characters. */
  elasticacheSubnetGroup: 255,
  /** ElastiCache API CreateCacheParameterGroup CacheParameterGroupName: 1 to 255 characters. */
  elasticacheParameterGroup: 255,
  /** ELBv2 API CreateLoadBalancer Name: at most 32 characters; provider elbv2 validName. */
  loadBalancer: 32,
  /** Provider elbv2 validNamePrefix (aws_lb name_prefix): at most 6 characters. */
  loadBalancerNamePrefix: 6,
  /** ELBv2 API CreateTargetGroup Name: at most 32 characters; provider validTargetGroupName. */
  targetGroup: 32,
  /** Provider validTargetGroupNamePrefix: 32 - 26. */
  targetGroupNamePrefix: 6,
  /** IAM User Guide, "IAM and AWS STS quotas": role name 64 characters; provider roleNameMaxLen. */
  iamRole: 64,
  /** Provider roleNamePrefixMaxLen: 64 - 26. */
  iamRoleNamePrefix: 38,
  /** IAM quotas: managed policy name 128 characters. */
  iamPolicy: 128,
  /** IAM API PutRolePolicy PolicyName (inline policy): 1 to 128 characters. */
  iamRolePolicy: 128,
  /** IAM quotas: instance profile name 128 characters; provider instanceProfileNameMaxLen. */
  iamInstanceProfile: 128,
  /** Provider instanceProfileNamePrefixMaxLen: 128 - 26. */
  iamInstanceProfileNamePrefix: 102,
  /**
   * EC2 API CreateLaunchTemplate LaunchTemplateName allows 3 to 128 characters, but the provider's
   * ValidLaunchTemplateName stops at 125.
   */
  launchTemplate: 125,
  /** Provider ValidLaunchTemplateName for name_prefix: at most 99 characters. */
  launchTemplateNamePrefix: 99,
  /** Auto Scaling API CreateAutoScalingGroup AutoScalingGroupName: 1 to 255 characters. */
  autoScalingGroup: 255,
  /** Auto Scaling API PutScalingPolicy PolicyName: 1 to 255 characters. */
  autoScalingPolicy: 255,
  /** Application Auto Scaling API PutScalingPolicy PolicyName: 1 to 256 characters. */
  appAutoScalingPolicy: 256,
  /** EC2 API CreateSecurityGroup GroupName: up to 255 characters. */
  securityGroup: 255,
  /** CloudWatch Logs API CreateLogGroup logGroupName: 1 to 512 characters. */
  cloudwatchLogGroup: 512,
  /** CloudWatch API PutMetricAlarm AlarmName: 1 to 255 characters. */
  cloudwatchAlarm: 255,
  /** CloudWatch API PutDashboard DashboardName: up to 255 characters. */
  cloudwatchDashboard: 255,
  /** DynamoDB API CreateTable TableName: 3 to 255 characters. */
  dynamodbTable: 255,
  /** ECR API CreateRepository repositoryName: 2 to 256 characters. */
  ecrRepository: 256,
  /** ECS API CreateCluster clusterName: up to 255 characters. */
  ecsCluster: 255,
  /** ECS API CreateService serviceName: up to 255 characters. */
  ecsService: 255,
  /** ECS API RegisterTaskDefinition family: up to 255 characters. */
  ecsTaskDefinitionFamily: 255,
  /** RDS API CreateDBInstance DBInstanceIdentifier: 1 to 63 characters. */
  rdsDbInstanceIdentifier: 63,
  /** RDS API CreateDBSubnetGroup DBSubnetGroupName: up to 255 characters. */
  rdsDbSubnetGroup: 255,
  /** RDS API CreateDBParameterGroup DBParameterGroupName: 1 to 255 characters. */
  rdsDbParameterGroup: 255,
  /** Secrets Manager API CreateSecret Name: 1 to 512 characters. */
  secretsManagerSecret: 512,
  /** SNS API CreateTopic Name: 1 to 256 characters. */
  snsTopic: 256,
  /** KMS API CreateAlias AliasName, `alias/` included: 1 to 256 characters. */
  kmsAlias: 256,
  /** CloudFront API CreateFunction Name: 1 to 64 characters, pattern [a-zA-Z0-9-_]{1,64}. */
  cloudfrontFunction: 64,
  /** CloudFront API OriginAccessControlConfig Name: up to 64 characters. */
  cloudfrontOriginAccessControl: 64,
  /** WAFv2 API CreateWebACL Name: 1 to 128 characters. */
  wafWebAcl: 128,
  /** X-Ray API SamplingRule RuleName: 1 to 32 characters. */
  xraySamplingRule: 32,
  /** EventBridge API Rule Name (PutRule): 1 to 64 characters, pattern [.\-_A-Za-z0-9]+. */
  eventbridgeRule: 64,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

/** A rule-break sentence when `name` is longer than AWS allows for `kind`, else undefined. */
export function nameLengthProblem(kind: NameKind, name: string): string | undefined {
  const max = NAME_LIMITS[kind];
  return name.length > max
    ? `is ${name.length} characters; AWS allows at most ${max} for this name`
    : undefined;
}

/**
 * ElastiCache API CreateReplicationGroup ReplicationGroupId: 1 to 40 alphanumeric characters or
 * hyphens, the first a letter, no trailing hyphen, no two consecutive hyphens (AWS stores it in
 * lowercase). Every rule `id` breaks; empty when valid.
 */
export function elasticacheReplicationGroupIdProblems(id: string): string[] {
  const problems: string[] = [];
  if (id.length < 1 || id.length > NAME_LIMITS.elasticacheReplicationGroupId) {
    problems.push(
      `must be 1 to ${NAME_LIMITS.elasticacheReplicationGroupId} characters long (it has ${id.length})`,
    );
  }
  if (!/^[A-Za-z0-9-]*$/.test(id)) problems.push('may contain only letters, digits and hyphens');
  if (!/^[A-Za-z]/.test(id)) problems.push('must start with a letter');
  if (id.endsWith('-')) problems.push('must not end with a hyphen');
  if (id.includes('--')) problems.push('must not contain two consecutive hyphens');
  return problems;
}

/**
 * ELBv2 load balancer and target group names (provider elbv2 validName / validTargetGroupName,
 * ELBv2 API CreateLoadBalancer Name): at most 32 letters, digits and hyphens, not beginning or
 * ending with a hyphen; a load balancer name must not begin with `internal-`. Every rule `name`
 * breaks; empty when valid.
 */
export function elbNameProblems(name: string, kind: 'loadBalancer' | 'targetGroup'): string[] {
  const problems: string[] = [];
  const max = NAME_LIMITS[kind];
  if (name.length < 1 || name.length > max) {
    problems.push(`must be 1 to ${max} characters long (it has ${name.length})`);
  }
  if (!/^[A-Za-z0-9-]*$/.test(name)) problems.push('may contain only letters, digits and hyphens');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen');
  if (kind === 'loadBalancer' && name.startsWith('internal-')) problems.push('must not begin with internal-');
  return problems;
}
