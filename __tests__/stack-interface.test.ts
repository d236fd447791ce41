import { synthStack } from './support/app';

/**
 * What users script and plan against, read whole for each stack (src/stacks/platform-outputs.ts,
 * variables.ts, state-backend-stack.ts): every output's value and description, every deploy-time
 * variable's type, default, description and validation. A renamed output breaks scripts that read
 * it; a changed validation changes what `terraform plan` accepts. Expected values are written out.
 */
const EXPECTED = {
  staging: {
    output: {
      alarm_topic_arn: {
        description: 'SNS topic of the alarms',
        value: '${aws_sns_topic.monitoring_topic_631C3BE1.arn}',
      },
      alb_dns_name: {
        description: 'DNS name of the API load balancer',
        value: '${aws_lb.api_alb_57F8549D.dns_name}',
      },
      api_codedeploy_application: {
        description: 'CodeDeploy application of the API',
        value: '${aws_codedeploy_app.api-release_app_5BDB2AD2.name}',
      },
      api_codedeploy_deployment_group: {
        description:
          'CodeDeploy deployment group that releases the API (blue/green, rolls back on the API alarms)',
        value: '${aws_codedeploy_deployment_group.api-release_group_479A196C.deployment_group_name}',
      },
      api_container_name: {
        description: "Container behind the API target groups (AppSpec's ContainerName)",
        value: 'api',
      },
      api_container_port: {
        description: "Port of that container (AppSpec's ContainerPort)",
        value: 8000,
      },
      api_redeploy_state_machine_arn: {
        description:
          'State machine that releases the running API revision again after a secret change (start it by hand after a manual change)',
        value: '${aws_sfn_state_machine.api-redeploy_state-machine_DD8E148C.arn}',
      },
      api_release_revision: {
        description:
          'CodeDeploy revision (AppSpec content) that releases api_task_definition_arn: aws deploy create-deployment --revision',
        value:
          '{"revisionType":"AppSpecContent","appSpecContent":{"content":"{\\"version\\":0.0,\\"Resources\\":[{\\"TargetService\\":{\\"Type\\":\\"AWS::ECS::Service\\",\\"Properties\\":{\\"TaskDefinition\\":\\"${aws_ecs_task_definition.api_task-definition_E5CCD028.arn}\\",\\"LoadBalancerInfo\\":{\\"ContainerName\\":\\"api\\",\\"ContainerPort\\":8000}}}}]}"}}',
      },
      api_task_definition_arn: {
        description: "Latest API task definition revision Terraform registered: the AppSpec's TaskDefinition",
        value: '${aws_ecs_task_definition.api_task-definition_E5CCD028.arn}',
      },
      api_url: {
        description: 'Direct URL of the API load balancer (production answers only CloudFront)',
        value: 'http://${aws_lb.api_alb_57F8549D.dns_name}',
      },
      cloudfront_distribution_id: {
        description: 'CloudFront distribution id, for cache invalidations',
        value: '${aws_cloudfront_distribution.cdn_distribution_0B80AA6B.id}',
      },
      cloudfront_url: {
        description: 'HTTPS URL of the CloudFront distribution (frontend, /api/*, /videos/*)',
        value: 'https://${aws_cloudfront_distribution.cdn_distribution_0B80AA6B.domain_name}',
      },
      ecr_api_repository_url: {
        description: 'ECR repository URL of api',
        value: '${aws_ecr_repository.ecr_api_F392E3FA.repository_url}',
      },
      ecr_model_server_repository_url: {
        description: 'ECR repository URL of model-server',
        value: '${aws_ecr_repository.ecr_model-server_387C653F.repository_url}',
      },
      ecr_render_worker_repository_url: {
        description: 'ECR repository URL of render-worker',
        value: '${aws_ecr_repository.ecr_render-worker_D751C8F4.repository_url}',
      },
      ecs_cluster_name: {
        description: 'ECS cluster name',
        value: '${aws_ecs_cluster.api_cluster_D10E70AD.name}',
      },
      ecs_service_name: {
        description: 'ECS service name of the API',
        value: '${aws_ecs_service.api_service_298EA376.name}',
      },
      model_server_url: {
        description: "Internal URL of the model servers (the API's MODEL_SERVER_URL)",
        value: 'http://${aws_lb.model-server_load-balancer_DAE2E875.dns_name}:8080',
      },
      rds_endpoint: {
        description: 'PostgreSQL endpoint (host:port)',
        value: '${aws_db_instance.database_instance_D7FC2283.endpoint}',
      },
      rds_master_secret_arn: {
        description: 'Secrets Manager secret holding the RDS-managed master password',
        value: '${aws_db_instance.database_instance_D7FC2283.master_user_secret[0].secret_arn}',
      },
      redis_endpoint: {
        description: 'Redis primary endpoint',
        value:
          '${aws_elasticache_replication_group.cache_replication-group_FA5C54CF.primary_endpoint_address}',
      },
      s3_cloudfront_logs_bucket: {
        description: 'CloudFront and access-log bucket',
        value: '${aws_s3_bucket.storage_logs_bucket_F30D43C9.bucket}',
      },
      s3_frontend_bucket_name: {
        description: 'Frontend (Next.js static export) bucket',
        value: '${aws_s3_bucket.storage_frontend_bucket_5CB003A9.bucket}',
      },
      s3_video_storage_bucket: {
        description: 'Video storage bucket',
        value: '${aws_s3_bucket.storage_video_bucket_6B8A6439.bucket}',
      },
      vpc_id: {
        description: 'VPC id',
        value: '${aws_vpc.network_vpc_4E8F0223.id}',
      },
    },
    variable: {
      alarm_email: {
        default: '',
        description:
          'E-mail address subscribed to the alarm topic (AWS sends a confirmation mail). Empty subscribes nobody.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.alarm_email == "" || can(regex("^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$", var.alarm_email))}',
            error_message: 'alarm_email must be empty or an e-mail address.',
          },
        ],
      },
      api_image: {
        default: '',
        description:
          'Full image reference for the API task, overriding the ECR repository and api_image_tag (for the first deploy, before any image is pushed). Empty uses ECR.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.api_image == "" || can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._/-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.api_image))}',
            error_message:
              'api_image must be empty or an image reference like registry/name:tag or registry/name@sha256:<digest>.',
          },
        ],
      },
      api_image_tag: {
        default: 'latest',
        description:
          'Tag of the API image in its ECR repository (the repository URL comes from the stack). Empty means no image yet: GPU fleets stay at zero instances, the API needs api_image.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.api_image_tag == "" || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.api_image_tag))}',
            error_message:
              'api_image_tag must be a Docker tag: letters, digits, _ . - (at most 128, not starting with . or -), or empty while no image exists.',
          },
        ],
      },
      model_server_image_tag: {
        default: 'latest',
        description:
          'Tag of the model server image in its ECR repository (the repository URL comes from the stack). Empty means no image yet: GPU fleets stay at zero instances, the API needs api_image.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.model_server_image_tag == "" || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.model_server_image_tag))}',
            error_message:
              'model_server_image_tag must be a Docker tag: letters, digits, _ . - (at most 128, not starting with . or -), or empty while no image exists.',
          },
        ],
      },
      render_worker_image_tag: {
        default: 'latest',
        description:
          'Tag of the render worker image in its ECR repository (the repository URL comes from the stack). Empty means no image yet: GPU fleets stay at zero instances, the API needs api_image.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.render_worker_image_tag == "" || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.render_worker_image_tag))}',
            error_message:
              'render_worker_image_tag must be a Docker tag: letters, digits, _ . - (at most 128, not starting with . or -), or empty while no image exists.',
          },
        ],
      },
      ssh_allowed_cidrs: {
        default: [],
        description:
          'IPv4 CIDRs allowed to reach the model servers on SSH (22). Empty by default: use Session Manager instead.',
        type: 'list(string)',
        validation: [
          {
            condition:
              '${alltrue([for c in var.ssh_allowed_cidrs : can(cidrhost(c, 0)) && can(regex("^([0-9]{1,3}\\\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$", c)) && try(tonumber(split("/", c)[1]) >= 16, false)])}',
            error_message: 'ssh_allowed_cidrs must be IPv4 CIDRs no wider than /16 (never 0.0.0.0/0).',
          },
        ],
      },
    },
  },
  production: {
    output: {
      alarm_topic_arn: {
        description: 'SNS topic of the alarms',
        value: '${aws_sns_topic.monitoring_topic_631C3BE1.arn}',
      },
      alb_dns_name: {
        description:
          'DNS name of the internal API load balancer (private addresses: reachable inside the VPC only)',
        value: '${aws_lb.api_alb_57F8549D.dns_name}',
      },
      api_codedeploy_application: {
        description: 'CodeDeploy application of the API',
        value: '${aws_codedeploy_app.api-release_app_5BDB2AD2.name}',
      },
      api_codedeploy_deployment_group: {
        description:
          'CodeDeploy deployment group that releases the API (blue/green, rolls back on the API alarms)',
        value: '${aws_codedeploy_deployment_group.api-release_group_479A196C.deployment_group_name}',
      },
      api_container_name: {
        description: "Container behind the API target groups (AppSpec's ContainerName)",
        value: 'api',
      },
      api_container_port: {
        description: "Port of that container (AppSpec's ContainerPort)",
        value: 8000,
      },
      api_redeploy_state_machine_arn: {
        description:
          'State machine that releases the running API revision again after a secret change (start it by hand after a manual change)',
        value: '${aws_sfn_state_machine.api-redeploy_state-machine_DD8E148C.arn}',
      },
      api_release_revision: {
        description:
          'CodeDeploy revision (AppSpec content) that releases api_task_definition_arn: aws deploy create-deployment --revision',
        value:
          '{"revisionType":"AppSpecContent","appSpecContent":{"content":"{\\"version\\":0.0,\\"Resources\\":[{\\"TargetService\\":{\\"Type\\":\\"AWS::ECS::Service\\",\\"Properties\\":{\\"TaskDefinition\\":\\"${aws_ecs_task_definition.api_task-definition_E5CCD028.arn}\\",\\"LoadBalancerInfo\\":{\\"ContainerName\\":\\"api\\",\\"ContainerPort\\":8000}}}}]}"}}',
      },
      api_task_definition_arn: {
        description: "Latest API task definition revision Terraform registered: the AppSpec's TaskDefinition",
        value: '${aws_ecs_task_definition.api_task-definition_E5CCD028.arn}',
      },
      api_url: {
        description: 'URL of the API, through CloudFront (the load balancer is internal)',
        value: 'https://${aws_cloudfront_distribution.cdn_distribution_0B80AA6B.domain_name}/api',
      },
      cloudfront_distribution_id: {
        description: 'CloudFront distribution id, for cache invalidations',
        value: '${aws_cloudfront_distribution.cdn_distribution_0B80AA6B.id}',
      },
      cloudfront_url: {
        description: 'HTTPS URL of the CloudFront distribution (frontend, /api/*, /videos/*)',
        value: 'https://${aws_cloudfront_distribution.cdn_distribution_0B80AA6B.domain_name}',
      },
      ecr_api_repository_url: {
        description: 'ECR repository URL of api',
        value: '${aws_ecr_repository.ecr_api_F392E3FA.repository_url}',
      },
      ecr_model_server_repository_url: {
        description: 'ECR repository URL of model-server',
        value: '${aws_ecr_repository.ecr_model-server_387C653F.repository_url}',
      },
      ecr_render_worker_repository_url: {
        description: 'ECR repository URL of render-worker',
        value: '${aws_ecr_repository.ecr_render-worker_D751C8F4.repository_url}',
      },
      ecs_cluster_name: {
        description: 'ECS cluster name',
        value: '${aws_ecs_cluster.api_cluster_D10E70AD.name}',
      },
      ecs_service_name: {
        description: 'ECS service name of the API',
        value: '${aws_ecs_service.api_service_298EA376.name}',
      },
      model_server_url: {
        description: "Internal URL of the model servers (the API's MODEL_SERVER_URL)",
        value: 'http://${aws_lb.model-server_load-balancer_DAE2E875.dns_name}:8080',
      },
      rds_backup_replica_kms_key_arn: {
        description: 'KMS key of the RDS automated backups replicated to the second region',
        value: '${aws_kms_key.database-backup-replication_key_7B520735.arn}',
      },
      rds_endpoint: {
        description: 'PostgreSQL endpoint (host:port)',
        value: '${aws_db_instance.database_instance_D7FC2283.endpoint}',
      },
      rds_master_secret_arn: {
        description: 'Secrets Manager secret holding the RDS-managed master password',
        value: '${aws_db_instance.database_instance_D7FC2283.master_user_secret[0].secret_arn}',
      },
      redis_endpoint: {
        description: 'Redis primary endpoint',
        value:
          '${aws_elasticache_replication_group.cache_replication-group_FA5C54CF.primary_endpoint_address}',
      },
      s3_cloudfront_logs_bucket: {
        description: 'CloudFront and access-log bucket',
        value: '${aws_s3_bucket.storage_logs_bucket_F30D43C9.bucket}',
      },
      s3_frontend_bucket_name: {
        description: 'Frontend (Next.js static export) bucket',
        value: '${aws_s3_bucket.storage_frontend_bucket_5CB003A9.bucket}',
      },
      s3_video_replica_bucket: {
        description: 'Cross-region replica of the video bucket',
        value: '${aws_s3_bucket.video-replication_replica_bucket_59032110.bucket}',
      },
      s3_video_storage_bucket: {
        description: 'Video storage bucket',
        value: '${aws_s3_bucket.storage_video_bucket_6B8A6439.bucket}',
      },
      vpc_id: {
        description: 'VPC id',
        value: '${aws_vpc.network_vpc_4E8F0223.id}',
      },
    },
    variable: {
      alarm_email: {
        default: '',
        description:
          'E-mail address subscribed to the alarm topic (AWS sends a confirmation mail). Empty subscribes nobody.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.alarm_email == "" || can(regex("^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$", var.alarm_email))}',
            error_message: 'alarm_email must be empty or an e-mail address.',
          },
        ],
      },
      api_image: {
        default: '',
        description:
          'Full image reference for the API task, overriding the ECR repository and api_image_tag (for the first deploy, before any image is pushed). Empty uses ECR.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.api_image == "" || can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._/-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.api_image))}',
            error_message:
              'api_image must be empty or an image reference like registry/name:tag or registry/name@sha256:<digest>.',
          },
        ],
      },
      api_image_tag: {
        default: '',
        description:
          'Tag of the API image in its ECR repository (the repository URL comes from the stack). Empty means no image yet: GPU fleets stay at zero instances, the API needs api_image. The repositories are IMMUTABLE: one explicit tag per build, never latest.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.api_image_tag == "" || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.api_image_tag))}',
            error_message:
              'api_image_tag must be a Docker tag: letters, digits, _ . - (at most 128, not starting with . or -), or empty while no image exists.',
          },
          {
            condition: '${var.api_image_tag != "latest"}',
            error_message:
              "api_image_tag must be an explicit tag such as the git SHA, not latest: this stack's ECR repositories are IMMUTABLE, so latest could be pushed only once.",
          },
        ],
      },
      model_server_image_tag: {
        default: '',
        description:
          'Tag of the model server image in its ECR repository (the repository URL comes from the stack). Empty means no image yet: GPU fleets stay at zero instances, the API needs api_image. The repositories are IMMUTABLE: one explicit tag per build, never latest.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.model_server_image_tag == "" || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.model_server_image_tag))}',
            error_message:
              'model_server_image_tag must be a Docker tag: letters, digits, _ . - (at most 128, not starting with . or -), or empty while no image exists.',
          },
          {
            condition: '${var.model_server_image_tag != "latest"}',
            error_message:
              "model_server_image_tag must be an explicit tag such as the git SHA, not latest: this stack's ECR repositories are IMMUTABLE, so latest could be pushed only once.",
          },
        ],
      },
      render_worker_image_tag: {
        default: '',
        description:
          'Tag of the render worker image in its ECR repository (the repository URL comes from the stack). Empty means no image yet: GPU fleets stay at zero instances, the API needs api_image. The repositories are IMMUTABLE: one explicit tag per build, never latest.',
        type: 'string',
        validation: [
          {
            condition:
              '${var.render_worker_image_tag == "" || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.render_worker_image_tag))}',
            error_message:
              'render_worker_image_tag must be a Docker tag: letters, digits, _ . - (at most 128, not starting with . or -), or empty while no image exists.',
          },
          {
            condition: '${var.render_worker_image_tag != "latest"}',
            error_message:
              "render_worker_image_tag must be an explicit tag such as the git SHA, not latest: this stack's ECR repositories are IMMUTABLE, so latest could be pushed only once.",
          },
        ],
      },
      ssh_allowed_cidrs: {
        default: [],
        description:
          'IPv4 CIDRs allowed to reach the model servers on SSH (22). Empty by default: use Session Manager instead.',
        type: 'list(string)',
        validation: [
          {
            condition:
              '${alltrue([for c in var.ssh_allowed_cidrs : can(cidrhost(c, 0)) && can(regex("^([0-9]{1,3}\\\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$", c)) && try(tonumber(split("/", c)[1]) >= 16, false)])}',
            error_message: 'ssh_allowed_cidrs must be IPv4 CIDRs no wider than /16 (never 0.0.0.0/0).',
          },
        ],
      },
    },
  },
  'state-backend': {
    output: {
      lock_table_arn: {
        description: 'ARN of the lock table',
        value: '${aws_dynamodb_table.lock-table.arn}',
      },
      lock_table_name: {
        description: 'DynamoDB table used for Terraform state locking',
        value: '${aws_dynamodb_table.lock-table.name}',
      },
      state_bucket_arn: {
        description: 'ARN of the state bucket',
        value: '${aws_s3_bucket.state-bucket_828F7150.arn}',
      },
      state_bucket_name: {
        description: "S3 bucket holding the platform stacks' Terraform state",
        value: '${aws_s3_bucket.state-bucket_828F7150.bucket}',
      },
    },
    variable: {},
  },
} as const;

describe.each(['staging', 'production', 'state-backend'] as const)('the %s stack interface', (stack) => {
  const json = synthStack(stack);

  it('exports exactly these outputs, each with its value and description', () => {
    expect(json.output ?? {}).toEqual(EXPECTED[stack].output);
  });

  it('declares exactly these variables, each with its type, default, description and validation', () => {
    expect(json.variable ?? {}).toEqual(EXPECTED[stack].variable);
  });
});
