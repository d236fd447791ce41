import { Testing } from 'cdktf';
import { buildTestApp, synthStack } from './support/app';
import { resourcesOf, type Json } from './support/synth';
import { parseTerraformJson } from './support/terraform-json';

/**
 * The platform stacks' wiring, pinned as literals: which secret feeds each container variable,
 * every alarm's metric and threshold, the CI roles' IAM actions, and every create-time
 * `depends_on`. Each expected value is written out here, never computed with the code under test,
 * so a change to any of them must be made here too, on purpose.
 */

type Stack = 'staging' | 'production';

/** `secrets` of every container of every task definition: container -> variable -> valueFrom. */
function containerSecrets(json: Json): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const definition of Object.values(resourcesOf(json, 'aws_ecs_task_definition'))) {
    for (const container of parseTerraformJson(definition.container_definitions) as Json[]) {
      out[container.name] = Object.fromEntries(
        (container.secrets as Json[]).map((s) => [s.name as string, s.valueFrom as string]),
      );
    }
  }
  return out;
}

// ECS developer guide, "Pass Secrets Manager secrets through Amazon ECS environment variables":
// valueFrom is the secret ARN, or `<arn>:<json-key>:<version-stage>:<version-id>` for one JSON key
// (empty stage and id: AWSCURRENT). The RDS-managed secret is JSON {username, password}.
const SECRETS = {
  api: {
    DATABASE_PASSWORD:
      '${aws_db_instance.database_instance_D7FC2283.master_user_secret[0].secret_arn}:password::',
    REDIS_URL: '${aws_secretsmanager_secret.cache_redis-url-secret_82AE70BE.arn}',
    SECRET_KEY: '${aws_secretsmanager_secret.api_secret-key-secret_1B5802D2.arn}',
  },
  // The tracing collector reads no secret.
  'otel-collector': {},
};

describe.each(['staging', 'production'] as const)('%s container secrets', (stack) => {
  it('feed each variable from the whole valueFrom written here', () => {
    expect(containerSecrets(synthStack(stack))).toEqual(SECRETS);
  });
});

/** [metric, comparison operator, threshold, evaluation periods] by alarm name. */
type AlarmRow = readonly [string, string, number | string, number];

/**
 * The metric of an alarm: its metric name, or for a metric-math alarm the returned expression
 * followed by the `id: metric name` of each metric it reads.
 */
function alarmTable(json: Json): Record<string, AlarmRow> {
  const out: Record<string, AlarmRow> = {};
  for (const alarm of Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm'))) {
    const queries = (alarm.metric_query ?? []) as Json[];
    const metric =
      queries.length === 0
        ? (alarm.metric_name as string)
        : `${queries.find((q) => q.return_data === true)?.expression} [${queries
            .filter((q) => q.metric !== undefined)
            .map((q) => `${q.id}: ${q.metric.metric_name}`)
            .join(', ')}]`;
    out[alarm.alarm_name] = [metric, alarm.comparison_operator, alarm.threshold, alarm.evaluation_periods];
  }
  return out;
}

const GT = 'GreaterThanThreshold';
const LT = 'LessThanThreshold';
const ALB_5XX =
  'IF(requests > 0, 100 * errors / requests, 0) [errors: HTTPCode_Target_5XX_Count, requests: RequestCount]';
/** Both blue/green target groups: the serving one changes with every release. */
const UNHEALTHY = 'MAX([blue, green]) [blue: UnHealthyHostCount, green: UnHealthyHostCount]';
const BELOW_DESIRED =
  'desired - in_service [desired: GroupDesiredCapacity, in_service: GroupInServiceInstances]';
const GPU_MEMORY =
  'IF(total > 0, 100 * used / total, 0) [used: nvidia_smi_memory_used, total: nvidia_smi_memory_total]';

const ALARMS: Record<Stack, Record<string, AlarmRow>> = {
  staging: {
    'ecg-video-pipeline-staging-alb-5xx': [ALB_5XX, GT, 5, 2],
    'ecg-video-pipeline-staging-alb-latency-p95': ['TargetResponseTime', GT, 2, 2],
    'ecg-video-pipeline-staging-alb-unhealthy-targets': [UNHEALTHY, GT, 0, 3],
    'ecg-video-pipeline-staging-ecs-cpu': ['CPUUtilization', GT, 80, 1],
    'ecg-video-pipeline-staging-ecs-memory': ['MemoryUtilization', GT, 85, 1],
    'ecg-video-pipeline-staging-model-server-below-desired': [BELOW_DESIRED, GT, 0, 15],
    'ecg-video-pipeline-staging-model-server-disk-used': ['disk_used_percent', GT, 80, 2],
    'ecg-video-pipeline-staging-model-server-gpu-memory': [GPU_MEMORY, GT, 90, 2],
    'ecg-video-pipeline-staging-model-server-gpu-utilization': ['nvidia_smi_utilization_gpu', GT, 90, 3],
    'ecg-video-pipeline-staging-model-server-in-service': [
      'GroupInServiceInstances',
      LT,
      '${(var.model_server_image_tag == "") ? 0 : 1}',
      2,
    ],
    'ecg-video-pipeline-staging-queue-depth-errors': ['Errors', GT, 0, 3],
    'ecg-video-pipeline-staging-queue-depth-metric-missing': ['QueueDepth', LT, 1, 5],
    'ecg-video-pipeline-staging-rds-connections': ['DatabaseConnections', GT, 60, 2],
    'ecg-video-pipeline-staging-rds-cpu': ['CPUUtilization', GT, 80, 3],
    'ecg-video-pipeline-staging-rds-free-storage': ['FreeStorageSpace', LT, 2147483648, 1],
    'ecg-video-pipeline-staging-redis-cpu-1': ['EngineCPUUtilization', GT, 85, 2],
    'ecg-video-pipeline-staging-redis-memory-1': ['DatabaseMemoryUsagePercentage', GT, 85, 2],
    'ecg-video-pipeline-staging-render-queue-depth': ['QueueDepth', GT, 100, 2],
    'ecg-video-pipeline-staging-render-worker-below-desired': [BELOW_DESIRED, GT, 0, 15],
    'ecg-video-pipeline-staging-render-worker-disk-used': ['disk_used_percent', GT, 80, 2],
    'ecg-video-pipeline-staging-render-worker-gpu-memory': [GPU_MEMORY, GT, 90, 2],
    'ecg-video-pipeline-staging-render-worker-gpu-utilization': ['nvidia_smi_utilization_gpu', GT, 90, 3],
    'ecg-video-pipeline-staging-render-worker-wake-from-zero': [
      'IF(desired == 0, FILL(backlog, 1), 0) [backlog: QueueDepth, desired: GroupDesiredCapacity]',
      GT,
      0,
      1,
    ],
  },
  production: {
    'ecg-video-pipeline-production-alb-5xx': [ALB_5XX, GT, 1, 2],
    'ecg-video-pipeline-production-alb-latency-p95': ['TargetResponseTime', GT, 2, 2],
    'ecg-video-pipeline-production-alb-unhealthy-targets': [UNHEALTHY, GT, 0, 3],
    'ecg-video-pipeline-production-ecs-cpu': ['CPUUtilization', GT, 80, 1],
    'ecg-video-pipeline-production-ecs-memory': ['MemoryUtilization', GT, 85, 1],
    'ecg-video-pipeline-production-model-server-below-desired': [BELOW_DESIRED, GT, 0, 15],
    'ecg-video-pipeline-production-model-server-disk-used': ['disk_used_percent', GT, 80, 2],
    'ecg-video-pipeline-production-model-server-gpu-memory': [GPU_MEMORY, GT, 90, 2],
    'ecg-video-pipeline-production-model-server-gpu-utilization': ['nvidia_smi_utilization_gpu', GT, 90, 3],
    'ecg-video-pipeline-production-model-server-in-service': [
      'GroupInServiceInstances',
      LT,
      '${(var.model_server_image_tag == "") ? 0 : 1}',
      2,
    ],
    'ecg-video-pipeline-production-queue-depth-errors': ['Errors', GT, 0, 3],
    'ecg-video-pipeline-production-queue-depth-metric-missing': ['QueueDepth', LT, 1, 5],
    'ecg-video-pipeline-production-rds-connections': ['DatabaseConnections', GT, 150, 2],
    'ecg-video-pipeline-production-rds-cpu': ['CPUUtilization', GT, 80, 3],
    'ecg-video-pipeline-production-rds-free-storage': ['FreeStorageSpace', LT, 10737418240, 1],
    'ecg-video-pipeline-production-redis-cpu-1': ['EngineCPUUtilization', GT, 85, 2],
    'ecg-video-pipeline-production-redis-cpu-2': ['EngineCPUUtilization', GT, 85, 2],
    'ecg-video-pipeline-production-redis-memory-1': ['DatabaseMemoryUsagePercentage', GT, 85, 2],
    'ecg-video-pipeline-production-redis-memory-2': ['DatabaseMemoryUsagePercentage', GT, 85, 2],
    'ecg-video-pipeline-production-render-queue-depth': ['QueueDepth', GT, 100, 2],
    'ecg-video-pipeline-production-render-worker-below-desired': [BELOW_DESIRED, GT, 0, 15],
    'ecg-video-pipeline-production-render-worker-disk-used': ['disk_used_percent', GT, 80, 2],
    'ecg-video-pipeline-production-render-worker-gpu-memory': [GPU_MEMORY, GT, 90, 2],
    'ecg-video-pipeline-production-render-worker-gpu-utilization': ['nvidia_smi_utilization_gpu', GT, 90, 3],
    'ecg-video-pipeline-production-render-worker-in-service': [
      'GroupInServiceInstances',
      LT,
      // The weekend schedule's minimum (1): the lowest the fleet is planned to run.
      '${(var.render_worker_image_tag == "") ? 0 : 1}',
      2,
    ],
  },
};

describe.each(['staging', 'production'] as const)('%s alarms', (stack) => {
  it('are exactly the table written here: metric, comparison, threshold, evaluation periods', () => {
    expect(alarmTable(synthStack(stack))).toEqual(ALARMS[stack]);
  });
});

/** Inline policies of the GitHub OIDC roles: policy name -> statement Sid -> [Action, Resource]. */
function ciRolePolicies(json: Json): Record<string, Record<string, [unknown, unknown]>> {
  const out: Record<string, Record<string, [unknown, unknown]>> = {};
  const roles = resourcesOf(json, 'aws_iam_role');
  for (const policy of Object.values(resourcesOf(json, 'aws_iam_role_policy'))) {
    const roleName = /^\$\{aws_iam_role\.([^.]+)\.id\}$/.exec(policy.role)?.[1];
    if (roleName === undefined || !/-github-(app|infra)-deploy$/.test(roles[roleName]?.name)) continue;
    out[`${roles[roleName].name} ${policy.name}`] = Object.fromEntries(
      (parseTerraformJson(policy.policy).Statement as Json[]).map((s) => [s.Sid, [s.Action, s.Resource]]),
    );
  }
  return out;
}

/** Managed policies attached to the GitHub OIDC roles: role name -> policy ARNs. */
function ciRoleAttachments(json: Json): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const roles = resourcesOf(json, 'aws_iam_role');
  for (const attachment of Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'))) {
    const roleName = /^\$\{aws_iam_role\.([^.]+)\.name\}$/.exec(attachment.role)?.[1];
    if (roleName === undefined || !/-github-(app|infra)-deploy$/.test(roles[roleName]?.name)) continue;
    (out[roles[roleName].name] ??= []).push(attachment.policy_arn);
  }
  return out;
}

/** The account id the stacks read from the ECS cluster ARN (no aws_caller_identity lookup). */
const ACCOUNT = '${element(split(":", aws_ecs_cluster.api_cluster_D10E70AD.arn), 4)}';

/** The application-deploy role's statements, the same in both stacks. */
const APP_DEPLOY = {
  EcrLogin: ['ecr:GetAuthorizationToken', '*'],
  EcrPush: [
    [
      'ecr:BatchCheckLayerAvailability',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
      'ecr:PutImage',
      'ecr:BatchGetImage',
    ],
    [
      '${aws_ecr_repository.ecr_api_F392E3FA.arn}',
      '${aws_ecr_repository.ecr_model-server_387C653F.arn}',
      '${aws_ecr_repository.ecr_render-worker_D751C8F4.arn}',
    ],
  ],
  EcsTaskDefinitions: [['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'], '*'],
  // A CODE_DEPLOY service: the role reads it and releases through CodeDeploy, never UpdateService.
  EcsReadService: ['ecs:DescribeServices', '${aws_ecs_service.api_service_298EA376.id}'],
  CodeDeployRelease: [
    ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'],
    '${aws_codedeploy_deployment_group.api-release_group_479A196C.arn}',
  ],
  CodeDeployRevision: [
    ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'],
    '${aws_codedeploy_app.api-release_app_5BDB2AD2.arn}',
  ],
  PassTaskRoles: [
    'iam:PassRole',
    ['${aws_iam_role.api_task-role_E1FFCF80.arn}', '${aws_iam_role.api_execution-role_E16F2EDD.arn}'],
  ],
  FrontendList: ['s3:ListBucket', '${aws_s3_bucket.storage_frontend_bucket_5CB003A9.arn}'],
  FrontendObjects: [
    ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    '${aws_s3_bucket.storage_frontend_bucket_5CB003A9.arn}/*',
  ],
  InvalidateFrontend: [
    ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
    '${aws_cloudfront_distribution.cdn_distribution_0B80AA6B.arn}',
  ],
};

const STACK_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:ListRoleTags',
  'iam:PutRolePolicy',
  'iam:GetRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:ListRolePolicies',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:PassRole',
];
const STACK_POLICY_ACTIONS = [
  'iam:CreatePolicy',
  'iam:DeletePolicy',
  'iam:GetPolicy',
  'iam:CreatePolicyVersion',
  'iam:DeletePolicyVersion',
  'iam:GetPolicyVersion',
  'iam:ListPolicyVersions',
  'iam:TagPolicy',
  'iam:UntagPolicy',
  'iam:ListPolicyTags',
];
const STACK_INSTANCE_PROFILE_ACTIONS = [
  'iam:CreateInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:GetInstanceProfile',
  'iam:AddRoleToInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:TagInstanceProfile',
  'iam:UntagInstanceProfile',
  'iam:ListInstanceProfileTags',
];

const CI_POLICIES: Record<Stack, Record<string, Record<string, unknown>>> = {
  staging: {
    'ecg-video-pipeline-staging-github-app-deploy app-deploy': {
      ...APP_DEPLOY,
      // Staging shifts all traffic at once: CodeDeploy's predefined configuration.
      CodeDeployConfig: [
        ['codedeploy:GetDeploymentConfig'],
        `arn:aws:codedeploy:ap-northeast-2:${ACCOUNT}:deploymentconfig:CodeDeployDefault.ECSAllAtOnce`,
      ],
    },
    'ecg-video-pipeline-staging-github-infra-deploy state-and-stack-iam': {
      StateBucketList: ['s3:ListBucket', 'arn:aws:s3:::ecg-video-pipeline-tfstate'],
      StateObjects: [
        ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        'arn:aws:s3:::ecg-video-pipeline-tfstate/ecg-video-pipeline/staging/*',
      ],
      StateLock: [
        ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        `arn:aws:dynamodb:ap-northeast-2:${ACCOUNT}:table/ecg-video-pipeline-tflock`,
      ],
      StackRoles: [STACK_ROLE_ACTIONS, `arn:aws:iam::${ACCOUNT}:role/ecg-video-pipeline-staging-*`],
      StackPolicies: [STACK_POLICY_ACTIONS, `arn:aws:iam::${ACCOUNT}:policy/ecg-video-pipeline-staging-*`],
      StackInstanceProfiles: [
        STACK_INSTANCE_PROFILE_ACTIONS,
        `arn:aws:iam::${ACCOUNT}:instance-profile/ecg-video-pipeline-staging-*`,
      ],
      // Staging creates the account's GitHub OIDC provider; production refers to it.
      GithubOidcProvider: [
        [
          'iam:CreateOpenIDConnectProvider',
          'iam:DeleteOpenIDConnectProvider',
          'iam:GetOpenIDConnectProvider',
          'iam:UpdateOpenIDConnectProviderThumbprint',
          'iam:AddClientIDToOpenIDConnectProvider',
          'iam:RemoveClientIDFromOpenIDConnectProvider',
          'iam:TagOpenIDConnectProvider',
          'iam:UntagOpenIDConnectProvider',
        ],
        `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
      ],
    },
  },
  production: {
    'ecg-video-pipeline-production-github-app-deploy app-deploy': {
      ...APP_DEPLOY,
      // Production's own canary configuration.
      CodeDeployConfig: [
        ['codedeploy:GetDeploymentConfig'],
        '${aws_codedeploy_deployment_config.api-release_canary_99AAF856.arn}',
      ],
    },
    'ecg-video-pipeline-production-github-infra-deploy state-and-stack-iam': {
      StateBucketList: ['s3:ListBucket', 'arn:aws:s3:::ecg-video-pipeline-tfstate'],
      StateObjects: [
        ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        'arn:aws:s3:::ecg-video-pipeline-tfstate/ecg-video-pipeline/production/*',
      ],
      StateLock: [
        ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        `arn:aws:dynamodb:ap-northeast-2:${ACCOUNT}:table/ecg-video-pipeline-tflock`,
      ],
      StackRoles: [STACK_ROLE_ACTIONS, `arn:aws:iam::${ACCOUNT}:role/ecg-video-pipeline-production-*`],
      StackPolicies: [STACK_POLICY_ACTIONS, `arn:aws:iam::${ACCOUNT}:policy/ecg-video-pipeline-production-*`],
      StackInstanceProfiles: [
        STACK_INSTANCE_PROFILE_ACTIONS,
        `arn:aws:iam::${ACCOUNT}:instance-profile/ecg-video-pipeline-production-*`,
      ],
    },
  },
};

describe('GitHub OIDC CI roles (settings githubRepository set)', () => {
  const built = buildTestApp({ ECG_GITHUB_REPOSITORY: 'ecg-team/ecg-app' });
  const json = {
    staging: JSON.parse(Testing.synth(built.platforms.staging)) as Json,
    production: JSON.parse(Testing.synth(built.platforms.production)) as Json,
  };

  it.each(['staging', 'production'] as const)('%s: every statement, its actions and resources', (stack) => {
    expect(ciRolePolicies(json[stack])).toEqual(CI_POLICIES[stack]);
  });

  it.each(['staging', 'production'] as const)(
    '%s: the infrastructure role alone holds PowerUserAccess',
    (stack) => {
      expect(ciRoleAttachments(json[stack])).toEqual({
        [`ecg-video-pipeline-${stack}-github-infra-deploy`]: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      });
    },
  );

  it('are absent when githubRepository is empty (the default)', () => {
    expect(ciRolePolicies(synthStack('staging'))).toEqual({});
    expect(ciRolePolicies(synthStack('production'))).toEqual({});
  });
});

/** Every resource's `depends_on`, by address. */
function dependsOn(json: Json): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [type, resources] of Object.entries(json.resource as Record<string, Record<string, Json>>)) {
    for (const [name, resource] of Object.entries(resources)) {
      if (resource.depends_on !== undefined) out[`${type}.${name}`] = resource.depends_on;
    }
  }
  return out;
}

/**
 * Create-time `depends_on` of both stacks. __tests__/ordering.test.ts states the AWS rule behind
 * most pairs; the rows it does not cover carry theirs here.
 */
const BOTH_DEPENDS_ON: Record<string, string[]> = {
  'aws_cloudfront_distribution.cdn_distribution_0B80AA6B': [
    'aws_s3_bucket_ownership_controls.storage_logs_ownership_656366F9',
  ],
  'aws_ecs_service.api_service_298EA376': [
    'aws_lb_listener.api_http_E1D2E7D4',
    'aws_lb_listener.api_test-listener_E8C4CD66',
    'aws_ecs_cluster_capacity_providers.api_capacity-providers_783D58B6',
    'aws_iam_role_policy_attachment.api_execution-managed_E3586F08',
    'aws_iam_role_policy.api_execution-secrets_0B05B538',
    'aws_iam_role_policy.api_task-policy_370FD605',
  ],
  // CodeDeploy checks the service role's permissions when the deployment group is created.
  'aws_codedeploy_deployment_group.api-release_group_479A196C': [
    'aws_iam_role_policy_attachment.api-release_service-role-managed_17411C85',
  ],
  // Terraform AWS provider, aws_eip: an EIP in a VPC may need the internet gateway attached first.
  'aws_eip.network_nat-0-eip_D0BD6ED7': ['aws_internet_gateway.network_igw_5DF1EDA1'],
  'aws_nat_gateway.network_nat-0_D2F55FEE': ['aws_internet_gateway.network_igw_5DF1EDA1'],
  'aws_s3_bucket_lifecycle_configuration.storage_frontend_lifecycle_82F89F16': [
    'aws_s3_bucket_versioning.storage_frontend_versioning_1FEB6AE2',
  ],
  'aws_s3_bucket_lifecycle_configuration.storage_video_lifecycle_504F16BF': [
    'aws_s3_bucket_versioning.storage_video_versioning_38B17DA9',
  ],
  'aws_s3_bucket_policy.storage_frontend_policy_DDB1351D': [
    'aws_s3_bucket_public_access_block.storage_frontend_public-access-block_B487D453',
  ],
  'aws_s3_bucket_policy.storage_logs_policy_56700F67': [
    'aws_s3_bucket_public_access_block.storage_logs_public-access-block_023F3901',
  ],
  'aws_s3_bucket_policy.storage_video_policy_D6FCF790': [
    'aws_s3_bucket_public_access_block.storage_video_public-access-block_F35FE66A',
  ],
  // Step Functions developer guide, "Logging using CloudWatch Logs": CreateStateMachine with a
  // LoggingConfiguration fails ("The state machine IAM Role is not authorized to access the Log
  // Destination") until the role holds the log-delivery permissions.
  'aws_sfn_state_machine.api-redeploy_state-machine_DD8E148C': [
    'aws_iam_role_policy.api-redeploy_state-machine-policy_4DE0618F',
  ],
};

const DEPENDS_ON: Record<Stack, Record<string, string[]>> = {
  staging: {
    ...BOTH_DEPENDS_ON,
    'aws_db_instance.database_instance_D7FC2283': [
      'aws_cloudwatch_log_group.database_log-postgresql_935FAF93',
      'aws_cloudwatch_log_group.database_log-upgrade_75C2ADD9',
    ],
  },
  production: {
    ...BOTH_DEPENDS_ON,
    'aws_db_instance.database_instance_D7FC2283': [
      'aws_cloudwatch_log_group.database_log-postgresql_935FAF93',
      'aws_cloudwatch_log_group.database_log-upgrade_75C2ADD9',
      'aws_iam_role_policy_attachment.database_monitoring-policy_A83EEE0F',
    ],
    'aws_eip.network_nat-1-eip_9D53D89B': ['aws_internet_gateway.network_igw_5DF1EDA1'],
    'aws_nat_gateway.network_nat-1_A72B97BB': ['aws_internet_gateway.network_igw_5DF1EDA1'],
    'aws_flow_log.network_flow-log_4CEF6CCF': ['aws_iam_role_policy.network_flow-log-policy_D2D7635F'],
    'aws_s3_bucket_logging.storage_frontend_logging_4BEE451C': [
      'aws_s3_bucket_policy.storage_logs_policy_56700F67',
    ],
    'aws_s3_bucket_logging.storage_video_logging_A8E89D49': [
      'aws_s3_bucket_policy.storage_logs_policy_56700F67',
    ],
    // The replica bucket (backup region) follows the same S3 rules as the primary buckets:
    // noncurrent-version lifecycle after versioning, logging after the log bucket's policy, a
    // bucket policy after the public access block.
    'aws_s3_bucket_lifecycle_configuration.video-replication_replica_lifecycle_407B8107': [
      'aws_s3_bucket_versioning.video-replication_replica_versioning_4A32C956',
    ],
    'aws_s3_bucket_logging.video-replication_replica_logging_A3B87DE5': [
      'aws_s3_bucket_policy.video-replication_replica-logs_policy_237CB422',
    ],
    'aws_s3_bucket_policy.video-replication_replica-logs_policy_237CB422': [
      'aws_s3_bucket_public_access_block.video-replication_replica-logs_public-access-block_3CC27A90',
    ],
    'aws_s3_bucket_policy.video-replication_replica_policy_75427856': [
      'aws_s3_bucket_public_access_block.video-replication_replica_public-access-block_5A12D49C',
    ],
    // S3 user guide, "Requirements and considerations for replication": both buckets must have
    // versioning enabled, and S3 assumes the replication role, which must hold its permissions.
    'aws_s3_bucket_replication_configuration.video-replication_configuration_AB43902B': [
      'aws_s3_bucket_versioning.storage_video_versioning_38B17DA9',
      'aws_s3_bucket_versioning.video-replication_replica_versioning_4A32C956',
      'aws_iam_role_policy.video-replication_policy_1E0F35E4',
    ],
  },
};

describe.each(['staging', 'production'] as const)('%s create-time depends_on', (stack) => {
  it('is exactly the list written here, resource by resource', () => {
    expect(dependsOn(synthStack(stack))).toEqual(DEPENDS_ON[stack]);
  });
});
