/** CodeDeploy blue/green for ECS: what the deployment controller owns, and its fixed names. */

/**
 * `aws_ecs_service` arguments a CODE_DEPLOY service takes only from a CodeDeploy deployment: for
 * such a service UpdateService changes only the desired count, deployment configuration, grace
 * period, placement and tags; "if the network configuration, platform version, task definition,
 * or load balancer need to be updated, create a new CodeDeploy deployment" (ECS API reference,
 * UpdateService). The capacity provider strategy is not in UpdateService's list either, and
 * Application Auto Scaling owns the desired count.
 */
export const CODEDEPLOY_OWNED_SERVICE_ARGUMENTS = [
  'desired_count',
  'task_definition',
  'load_balancer',
  'network_configuration',
  'platform_version',
  'capacity_provider_strategy',
] as const;

/**
 * The AWS managed policy of CodeDeploy's ECS service role (ECS developer guide, "Amazon ECS
 * CodeDeploy IAM Role"): task sets, listener and rule changes, alarm reads, and iam:PassRole to
 * ecs-tasks only.
 */
export const CODEDEPLOY_ECS_MANAGED_POLICY_ARN = 'arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS';

/** The predefined ECS configuration that moves all traffic at once (CodeDeploy user guide). */
export const ECS_ALL_AT_ONCE = 'CodeDeployDefault.ECSAllAtOnce';
