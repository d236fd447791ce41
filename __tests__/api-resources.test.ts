import { synthStack } from './support/app';
import type { Json } from './support/synth';

/**
 * The staging API read whole, resource by resource: the ECS cluster, service, task definition
 * (container definitions parsed), scaling, the ALB with both target groups and listeners, the API
 * security groups and rules, the secret key, the ECR repositories and lifecycle policies, the
 * CodeDeploy release and the redeploy state machine with its rules, roles and policies
 * (src/modules/ecs.ts, ecs-container.ts, alb.ts, ecr.ts, api-release.ts,
 * redeploy-on-secret-change.ts, ecs-collector.ts). Every field is written out, JSON documents
 * parsed: a change here is a change of what AWS runs, made on purpose or caught.
 */
const JSON_FIELDS = new Set([
  'container_definitions',
  'policy',
  'assume_role_policy',
  'definition',
  'event_pattern',
]);
const PREFIXES = ['api_', 'ecr_', 'api-release_', 'api-redeploy_'];

/**
 * The resource with its JSON-document fields parsed; a document that holds a Terraform expression
 * with quotes (the container definitions, one policy) is valid JSON only once Terraform renders it,
 * and stays a string.
 */
function readable(resource: Json): Json {
  return Object.fromEntries(
    Object.entries(resource).map(([field, value]) => [field, JSON_FIELDS.has(field) ? parsed(value) : value]),
  );
}

function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const json = synthStack('staging');
const actual: Record<string, Record<string, Json>> = {};
for (const [type, resources] of Object.entries(json.resource as Record<string, Record<string, Json>>)) {
  for (const [address, resource] of Object.entries(resources)) {
    if (!PREFIXES.some((prefix) => address.startsWith(prefix))) continue;
    (actual[type] ??= {})[address] = readable(resource);
  }
}

const EXPECTED: Record<string, Record<string, Json>> = {
  aws_appautoscaling_policy: {
    'api_cpu-tracking_F16A5D94': {
      name: 'ecg-video-pipeline-staging-api-cpu-tracking',
      policy_type: 'TargetTrackingScaling',
      resource_id: '${aws_appautoscaling_target.api_scaling-target_7883CA11.resource_id}',
      scalable_dimension: '${aws_appautoscaling_target.api_scaling-target_7883CA11.scalable_dimension}',
      service_namespace: '${aws_appautoscaling_target.api_scaling-target_7883CA11.service_namespace}',
      target_tracking_scaling_policy_configuration: {
        predefined_metric_specification: {
          predefined_metric_type: 'ECSServiceAverageCPUUtilization',
        },
        scale_in_cooldown: 300,
        scale_out_cooldown: 60,
        target_value: 70,
      },
    },
    'api_memory-tracking_C723C4CA': {
      name: 'ecg-video-pipeline-staging-api-memory-tracking',
      policy_type: 'TargetTrackingScaling',
      resource_id: '${aws_appautoscaling_target.api_scaling-target_7883CA11.resource_id}',
      scalable_dimension: '${aws_appautoscaling_target.api_scaling-target_7883CA11.scalable_dimension}',
      service_namespace: '${aws_appautoscaling_target.api_scaling-target_7883CA11.service_namespace}',
      target_tracking_scaling_policy_configuration: {
        predefined_metric_specification: {
          predefined_metric_type: 'ECSServiceAverageMemoryUtilization',
        },
        scale_in_cooldown: 300,
        scale_out_cooldown: 60,
        target_value: 80,
      },
    },
  },
  aws_appautoscaling_target: {
    'api_scaling-target_7883CA11': {
      max_capacity: 2,
      min_capacity: 1,
      resource_id:
        'service/${aws_ecs_cluster.api_cluster_D10E70AD.name}/${aws_ecs_service.api_service_298EA376.name}',
      scalable_dimension: 'ecs:service:DesiredCount',
      service_namespace: 'ecs',
    },
  },
  aws_cloudwatch_event_rule: {
    'api-redeploy_rotation-rule_223C9672': {
      description: 'Redeploy the API: the rotation of a secret the API reads made a new value current',
      event_pattern: {
        source: ['aws.secretsmanager'],
        'detail-type': ['Secret Label Updated'],
        resources: ['${aws_db_instance.database_instance_D7FC2283.master_user_secret[0].secret_arn}'],
        detail: {
          labelUpdated: ['AWSCURRENT'],
        },
      },
      name: 'ecg-video-pipeline-staging-redeploy-api-on-rotation',
    },
    'api-redeploy_update-rule_3E72601D': {
      description: 'Redeploy the API: a new value was written to a generated secret the API reads',
      event_pattern: {
        source: ['aws.secretsmanager'],
        'detail-type': ['Secret Label Updated'],
        resources: [
          '${aws_secretsmanager_secret.cache_redis-url-secret_82AE70BE.arn}',
          '${aws_secretsmanager_secret.api_secret-key-secret_1B5802D2.arn}',
        ],
        detail: {
          labelUpdated: ['AWSCURRENT'],
        },
      },
      name: 'ecg-video-pipeline-staging-redeploy-api-on-update',
    },
  },
  aws_cloudwatch_event_target: {
    'api-redeploy_rotation-target_83C2934E': {
      arn: '${aws_sfn_state_machine.api-redeploy_state-machine_DD8E148C.arn}',
      role_arn: '${aws_iam_role.api-redeploy_events-role_AC594861.arn}',
      rule: '${aws_cloudwatch_event_rule.api-redeploy_rotation-rule_223C9672.name}',
    },
    'api-redeploy_update-target_49BABCC7': {
      arn: '${aws_sfn_state_machine.api-redeploy_state-machine_DD8E148C.arn}',
      role_arn: '${aws_iam_role.api-redeploy_events-role_AC594861.arn}',
      rule: '${aws_cloudwatch_event_rule.api-redeploy_update-rule_3E72601D.name}',
    },
  },
  aws_cloudwatch_log_group: {
    'api-redeploy_log-group_8D20F6EC': {
      name: '/aws/vendedlogs/states/ecg-video-pipeline-staging-redeploy-api',
      retention_in_days: 7,
    },
    'api_exec-logs_966A664F': {
      name: '/ecs/ecg-video-pipeline-staging/exec',
      retention_in_days: 7,
    },
    api_logs_F993657F: {
      name: '/ecs/ecg-video-pipeline-staging-api',
      retention_in_days: 7,
    },
  },
  aws_codedeploy_app: {
    'api-release_app_5BDB2AD2': {
      compute_platform: 'ECS',
      name: 'ecg-video-pipeline-staging-api',
    },
  },
  aws_codedeploy_deployment_group: {
    'api-release_group_479A196C': {
      alarm_configuration: {
        alarms: [
          '${aws_cloudwatch_metric_alarm.monitoring_alb-5xx_2884BC64.alarm_name}',
          '${aws_cloudwatch_metric_alarm.monitoring_alb-latency-p95_5A601C32.alarm_name}',
          '${aws_cloudwatch_metric_alarm.monitoring_alb-unhealthy-targets_4D24F7F3.alarm_name}',
        ],
        enabled: true,
      },
      app_name: '${aws_codedeploy_app.api-release_app_5BDB2AD2.name}',
      auto_rollback_configuration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
      blue_green_deployment_config: {
        deployment_ready_option: {
          action_on_timeout: 'CONTINUE_DEPLOYMENT',
        },
        terminate_blue_instances_on_deployment_success: {
          action: 'TERMINATE',
          termination_wait_time_in_minutes: 5,
        },
      },
      depends_on: ['aws_iam_role_policy_attachment.api-release_service-role-managed_17411C85'],
      deployment_config_name: 'CodeDeployDefault.ECSAllAtOnce',
      deployment_group_name: 'ecg-video-pipeline-staging-api',
      deployment_style: {
        deployment_option: 'WITH_TRAFFIC_CONTROL',
        deployment_type: 'BLUE_GREEN',
      },
      ecs_service: {
        cluster_name: '${aws_ecs_cluster.api_cluster_D10E70AD.name}',
        service_name: '${aws_ecs_service.api_service_298EA376.name}',
      },
      load_balancer_info: {
        target_group_pair_info: {
          prod_traffic_route: {
            listener_arns: ['${aws_lb_listener.api_http_E1D2E7D4.arn}'],
          },
          target_group: [
            {
              name: '${aws_lb_target_group.api_target-group_2F997EC1.name}',
            },
            {
              name: '${aws_lb_target_group.api_target-group-green_C7C7AA8D.name}',
            },
          ],
          test_traffic_route: {
            listener_arns: ['${aws_lb_listener.api_test-listener_E8C4CD66.arn}'],
          },
        },
      },
      service_role_arn: '${aws_iam_role.api-release_service-role_AC1F4961.arn}',
    },
  },
  aws_ecr_lifecycle_policy: {
    'ecr_api-lifecycle_228B6562': {
      policy: {
        rules: [
          {
            rulePriority: 1,
            description: 'Expire untagged images after 7 days',
            selection: {
              tagStatus: 'untagged',
              countType: 'sinceImagePushed',
              countUnit: 'days',
              countNumber: 7,
            },
            action: {
              type: 'expire',
            },
          },
          {
            rulePriority: 2,
            description: 'Keep the last 30 tagged images',
            selection: {
              tagStatus: 'tagged',
              tagPatternList: ['*'],
              countType: 'imageCountMoreThan',
              countNumber: 30,
            },
            action: {
              type: 'expire',
            },
          },
        ],
      },
      repository: '${aws_ecr_repository.ecr_api_F392E3FA.name}',
    },
    'ecr_model-server-lifecycle_497C3E53': {
      policy: {
        rules: [
          {
            rulePriority: 1,
            description: 'Expire untagged images after 7 days',
            selection: {
              tagStatus: 'untagged',
              countType: 'sinceImagePushed',
              countUnit: 'days',
              countNumber: 7,
            },
            action: {
              type: 'expire',
            },
          },
          {
            rulePriority: 2,
            description: 'Keep the last 30 tagged images',
            selection: {
              tagStatus: 'tagged',
              tagPatternList: ['*'],
              countType: 'imageCountMoreThan',
              countNumber: 30,
            },
            action: {
              type: 'expire',
            },
          },
        ],
      },
      repository: '${aws_ecr_repository.ecr_model-server_387C653F.name}',
    },
    'ecr_render-worker-lifecycle_4ACF94BA': {
      policy: {
        rules: [
          {
            rulePriority: 1,
            description: 'Expire untagged images after 7 days',
            selection: {
              tagStatus: 'untagged',
              countType: 'sinceImagePushed',
              countUnit: 'days',
              countNumber: 7,
            },
            action: {
              type: 'expire',
            },
          },
          {
            rulePriority: 2,
            description: 'Keep the last 30 tagged images',
            selection: {
              tagStatus: 'tagged',
              tagPatternList: ['*'],
              countType: 'imageCountMoreThan',
              countNumber: 30,
            },
            action: {
              type: 'expire',
            },
          },
        ],
      },
      repository: '${aws_ecr_repository.ecr_render-worker_D751C8F4.name}',
    },
  },
  aws_ecr_repository: {
    ecr_api_F392E3FA: {
      encryption_configuration: [
        {
          encryption_type: 'AES256',
        },
      ],
      force_delete: true,
      image_scanning_configuration: {
        scan_on_push: true,
      },
      image_tag_mutability: 'MUTABLE',
      name: 'ecg-video-pipeline-staging-api',
    },
    'ecr_model-server_387C653F': {
      encryption_configuration: [
        {
          encryption_type: 'AES256',
        },
      ],
      force_delete: true,
      image_scanning_configuration: {
        scan_on_push: true,
      },
      image_tag_mutability: 'MUTABLE',
      name: 'ecg-video-pipeline-staging-model-server',
    },
    'ecr_render-worker_D751C8F4': {
      encryption_configuration: [
        {
          encryption_type: 'AES256',
        },
      ],
      force_delete: true,
      image_scanning_configuration: {
        scan_on_push: true,
      },
      image_tag_mutability: 'MUTABLE',
      name: 'ecg-video-pipeline-staging-render-worker',
    },
  },
  aws_ecs_cluster: {
    api_cluster_D10E70AD: {
      configuration: {
        execute_command_configuration: {
          log_configuration: {
            cloud_watch_log_group_name: '${aws_cloudwatch_log_group.api_exec-logs_966A664F.name}',
          },
          logging: 'OVERRIDE',
        },
      },
      name: 'ecg-video-pipeline-staging-cluster',
      setting: [
        {
          name: 'containerInsights',
          value: 'enabled',
        },
      ],
    },
  },
  aws_ecs_cluster_capacity_providers: {
    'api_capacity-providers_783D58B6': {
      capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
      cluster_name: '${aws_ecs_cluster.api_cluster_D10E70AD.name}',
      default_capacity_provider_strategy: [
        {
          base: 1,
          capacity_provider: 'FARGATE',
          weight: 1,
        },
      ],
    },
  },
  aws_ecs_service: {
    api_service_298EA376: {
      capacity_provider_strategy: [
        {
          base: 1,
          capacity_provider: 'FARGATE',
          weight: 1,
        },
      ],
      cluster: '${aws_ecs_cluster.api_cluster_D10E70AD.arn}',
      depends_on: [
        'aws_lb_listener.api_http_E1D2E7D4',
        'aws_lb_listener.api_test-listener_E8C4CD66',
        'aws_ecs_cluster_capacity_providers.api_capacity-providers_783D58B6',
        'aws_iam_role_policy_attachment.api_execution-managed_E3586F08',
        'aws_iam_role_policy.api_execution-secrets_0B05B538',
        'aws_iam_role_policy.api_task-policy_370FD605',
      ],
      deployment_controller: {
        type: 'CODE_DEPLOY',
      },
      deployment_maximum_percent: 200,
      deployment_minimum_healthy_percent: 50,
      desired_count: 1,
      enable_ecs_managed_tags: true,
      enable_execute_command: true,
      health_check_grace_period_seconds: 60,
      lifecycle: {
        ignore_changes: [
          'desired_count',
          'task_definition',
          'load_balancer',
          'network_configuration',
          'platform_version',
          'capacity_provider_strategy',
        ],
      },
      load_balancer: [
        {
          container_name: 'api',
          container_port: 8000,
          target_group_arn: '${aws_lb_target_group.api_target-group_2F997EC1.arn}',
        },
      ],
      name: 'ecg-video-pipeline-staging-api',
      network_configuration: {
        assign_public_ip: false,
        security_groups: ['${aws_security_group.api_api-sg_group_A480EA21.id}'],
        subnets: [
          '${aws_subnet.network_private-0_A0649C48.id}',
          '${aws_subnet.network_private-1_4188AF2B.id}',
        ],
      },
      platform_version: 'LATEST',
      propagate_tags: 'SERVICE',
      task_definition: '${aws_ecs_task_definition.api_task-definition_E5CCD028.arn}',
      wait_for_steady_state: false,
    },
  },
  aws_ecs_task_definition: {
    'api_task-definition_E5CCD028': {
      container_definitions:
        '[{"name":"api","image":"${coalesce(var.api_image, "${aws_ecr_repository.ecr_api_F392E3FA.repository_url}:${var.api_image_tag}")}","essential":true,"privileged":false,"readonlyRootFilesystem":true,"portMappings":[{"containerPort":8000,"hostPort":8000,"protocol":"tcp"}],"environment":[{"name":"AWS_DEFAULT_REGION","value":"ap-northeast-2"},{"name":"DATABASE_HOST","value":"${aws_db_instance.database_instance_D7FC2283.address}"},{"name":"DATABASE_NAME","value":"ecg"},{"name":"DATABASE_PORT","value":"5432"},{"name":"DATABASE_USER","value":"ecg_admin"},{"name":"MODEL_SERVER_URL","value":"http://${aws_lb.model-server_load-balancer_DAE2E875.dns_name}:8080"},{"name":"OTEL_EXPORTER_OTLP_ENDPOINT","value":"http://127.0.0.1:4318"},{"name":"OTEL_EXPORTER_OTLP_PROTOCOL","value":"http/protobuf"},{"name":"OTEL_PROPAGATORS","value":"xray,tracecontext,baggage"},{"name":"OTEL_RESOURCE_ATTRIBUTES","value":"deployment.environment=staging"},{"name":"OTEL_SERVICE_NAME","value":"ecg-video-pipeline-staging-api"},{"name":"OTEL_TRACES_SAMPLER","value":"xray"},{"name":"OTEL_TRACES_SAMPLER_ARG","value":"endpoint=http://127.0.0.1:2000"},{"name":"S3_BUCKET_NAME","value":"${aws_s3_bucket.storage_video_bucket_6B8A6439.bucket}"}],"secrets":[{"name":"DATABASE_PASSWORD","valueFrom":"${aws_db_instance.database_instance_D7FC2283.master_user_secret[0].secret_arn}:password::"},{"name":"REDIS_URL","valueFrom":"${aws_secretsmanager_secret.cache_redis-url-secret_82AE70BE.arn}"},{"name":"SECRET_KEY","valueFrom":"${aws_secretsmanager_secret.api_secret-key-secret_1B5802D2.arn}"}],"healthCheck":{"command":["CMD-SHELL","curl -f http://localhost:8000/health || exit 1"],"interval":30,"timeout":5,"retries":3,"startPeriod":60},"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"${aws_cloudwatch_log_group.api_logs_F993657F.name}","awslogs-region":"ap-northeast-2","awslogs-stream-prefix":"api"}},"mountPoints":[{"sourceVolume":"tmp","containerPath":"/tmp","readOnly":false},{"sourceVolume":"exec-agents","containerPath":"/managed-agents","readOnly":false},{"sourceVolume":"ssm-lib","containerPath":"/var/lib/amazon/ssm","readOnly":false},{"sourceVolume":"ssm-log","containerPath":"/var/log/amazon/ssm","readOnly":false}],"volumesFrom":[],"linuxParameters":{"initProcessEnabled":true},"dependsOn":[{"containerName":"otel-collector","condition":"START"}]},{"name":"otel-collector","image":"public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0","essential":false,"privileged":false,"readonlyRootFilesystem":true,"command":["--config=env:AOT_CONFIG_CONTENT"],"environment":[{"name":"AOT_CONFIG_CONTENT","value":"{\\"extensions\\":{\\"awsproxy\\":{\\"endpoint\\":\\"127.0.0.1:2000\\",\\"region\\":\\"ap-northeast-2\\"}},\\"receivers\\":{\\"otlp\\":{\\"protocols\\":{\\"grpc\\":{\\"endpoint\\":\\"127.0.0.1:4317\\"},\\"http\\":{\\"endpoint\\":\\"127.0.0.1:4318\\"}}}},\\"processors\\":{\\"resourcedetection\\":{\\"detectors\\":[\\"env\\",\\"ecs\\"]},\\"batch\\":{\\"timeout\\":\\"1s\\",\\"send_batch_size\\":50}},\\"exporters\\":{\\"awsxray\\":{\\"region\\":\\"ap-northeast-2\\"}},\\"service\\":{\\"extensions\\":[\\"awsproxy\\"],\\"pipelines\\":{\\"traces\\":{\\"receivers\\":[\\"otlp\\"],\\"processors\\":[\\"resourcedetection\\",\\"batch\\"],\\"exporters\\":[\\"awsxray\\"]}}}}"}],"secrets":[],"portMappings":[],"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"${aws_cloudwatch_log_group.api_logs_F993657F.name}","awslogs-region":"ap-northeast-2","awslogs-stream-prefix":"otel-collector"}},"mountPoints":[],"volumesFrom":[]}]',
      cpu: '512',
      execution_role_arn: '${aws_iam_role.api_execution-role_E16F2EDD.arn}',
      family: 'ecg-video-pipeline-staging-api',
      memory: '1024',
      network_mode: 'awsvpc',
      requires_compatibilities: ['FARGATE'],
      runtime_platform: {
        cpu_architecture: 'X86_64',
        operating_system_family: 'LINUX',
      },
      task_role_arn: '${aws_iam_role.api_task-role_E1FFCF80.arn}',
      volume: [
        {
          name: 'tmp',
        },
        {
          name: 'exec-agents',
        },
        {
          name: 'ssm-lib',
        },
        {
          name: 'ssm-log',
        },
      ],
    },
  },
  aws_iam_role: {
    'api-redeploy_events-role_AC594861': {
      assume_role_policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Service: 'events.amazonaws.com',
            },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      description: 'EventBridge: start the redeploy state machine',
      name: 'ecg-video-pipeline-staging-redeploy-api-events',
    },
    'api-redeploy_state-machine-role_22D41EB9': {
      assume_role_policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Service: 'states.amazonaws.com',
            },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      description:
        'Step Functions: release the running revision of ${aws_ecs_service.api_service_298EA376.name} again',
      name: 'ecg-video-pipeline-staging-redeploy-api-sfn',
    },
    'api-release_service-role_AC1F4961': {
      assume_role_policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Service: 'codedeploy.amazonaws.com',
            },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      description: 'CodeDeploy: blue/green releases of the API service',
      name: 'ecg-video-pipeline-staging-api-codedeploy',
    },
    'api_execution-role_E16F2EDD': {
      assume_role_policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Service: 'ecs-tasks.amazonaws.com',
            },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      description: 'ECS agent: pulls the API image, writes its logs, reads its secrets',
      name: 'ecg-video-pipeline-staging-api-execution',
    },
    'api_task-role_E1FFCF80': {
      assume_role_policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Service: 'ecs-tasks.amazonaws.com',
            },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      description: 'The API application: video bucket access and ECS Exec',
      name: 'ecg-video-pipeline-staging-api-task',
    },
  },
  aws_iam_role_policy: {
    'api-redeploy_events-policy_E5D83300': {
      name: 'start-redeploy',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'StartThisMachine',
            Effect: 'Allow',
            Action: 'states:StartExecution',
            Resource: '${aws_sfn_state_machine.api-redeploy_state-machine_DD8E148C.arn}',
          },
        ],
      },
      role: '${aws_iam_role.api-redeploy_events-role_AC594861.id}',
    },
    'api-redeploy_state-machine-policy_4DE0618F': {
      name: 'redeploy-through-codedeploy',
      policy:
        '{"Version":"2012-10-17","Statement":[{"Sid":"DescribeThisService","Effect":"Allow","Action":"ecs:DescribeServices","Resource":"${aws_ecs_service.api_service_298EA376.id}"},{"Sid":"DeployToThisGroup","Effect":"Allow","Action":"codedeploy:CreateDeployment","Resource":"${aws_codedeploy_deployment_group.api-release_group_479A196C.arn}"},{"Sid":"ReadTheGroupsConfig","Effect":"Allow","Action":"codedeploy:GetDeploymentConfig","Resource":"arn:aws:codedeploy:ap-northeast-2:${element(split(":", aws_ecs_cluster.api_cluster_D10E70AD.arn), 4)}:deploymentconfig:CodeDeployDefault.ECSAllAtOnce"},{"Sid":"RegisterTheRevision","Effect":"Allow","Action":"codedeploy:RegisterApplicationRevision","Resource":"${aws_codedeploy_app.api-release_app_5BDB2AD2.arn}"},{"Sid":"LogDelivery","Effect":"Allow","Action":["logs:CreateLogDelivery","logs:GetLogDelivery","logs:UpdateLogDelivery","logs:DeleteLogDelivery","logs:ListLogDeliveries","logs:PutResourcePolicy","logs:DescribeResourcePolicies","logs:DescribeLogGroups"],"Resource":"*"}]}',
      role: '${aws_iam_role.api-redeploy_state-machine-role_22D41EB9.id}',
    },
    'api_execution-secrets_0B05B538': {
      name: 'read-container-secrets',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadContainerSecrets',
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: [
              '${aws_db_instance.database_instance_D7FC2283.master_user_secret[0].secret_arn}',
              '${aws_secretsmanager_secret.cache_redis-url-secret_82AE70BE.arn}',
              '${aws_secretsmanager_secret.api_secret-key-secret_1B5802D2.arn}',
            ],
          },
        ],
      },
      role: '${aws_iam_role.api_execution-role_E16F2EDD.id}',
    },
    'api_task-policy_370FD605': {
      name: 'api-task',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'VideoObjects',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            Resource: '${aws_s3_bucket.storage_video_bucket_6B8A6439.arn}/*',
          },
          {
            Sid: 'VideoList',
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: '${aws_s3_bucket.storage_video_bucket_6B8A6439.arn}',
          },
          {
            Sid: 'XRayWrite',
            Effect: 'Allow',
            Action: [
              'xray:PutTraceSegments',
              'xray:PutTelemetryRecords',
              'xray:GetSamplingRules',
              'xray:GetSamplingTargets',
              'xray:GetSamplingStatisticSummaries',
            ],
            Resource: '*',
          },
          {
            Sid: 'EcsExecChannels',
            Effect: 'Allow',
            Action: [
              'ssmmessages:CreateControlChannel',
              'ssmmessages:CreateDataChannel',
              'ssmmessages:OpenControlChannel',
              'ssmmessages:OpenDataChannel',
            ],
            Resource: '*',
          },
          {
            Sid: 'EcsExecFindLogGroup',
            Effect: 'Allow',
            Action: 'logs:DescribeLogGroups',
            Resource: '*',
          },
          {
            Sid: 'EcsExecWriteLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
            Resource: '${aws_cloudwatch_log_group.api_exec-logs_966A664F.arn}:*',
          },
        ],
      },
      role: '${aws_iam_role.api_task-role_E1FFCF80.id}',
    },
  },
  aws_iam_role_policy_attachment: {
    'api-release_service-role-managed_17411C85': {
      policy_arn: 'arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS',
      role: '${aws_iam_role.api-release_service-role_AC1F4961.name}',
    },
    'api_execution-managed_E3586F08': {
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      role: '${aws_iam_role.api_execution-role_E16F2EDD.name}',
    },
  },
  aws_lb: {
    api_alb_57F8549D: {
      drop_invalid_header_fields: true,
      enable_deletion_protection: false,
      idle_timeout: 60,
      internal: false,
      ip_address_type: 'ipv4',
      load_balancer_type: 'application',
      name: 'ecg-video-pipeline-staging-alb',
      security_groups: ['${aws_security_group.api_alb-sg_group_93652573.id}'],
      subnets: ['${aws_subnet.network_public-0_A4E682E0.id}', '${aws_subnet.network_public-1_8D79547B.id}'],
      tags: {
        Name: 'ecg-video-pipeline-staging-alb',
      },
    },
  },
  aws_lb_listener: {
    api_http_E1D2E7D4: {
      default_action: [
        {
          target_group_arn: '${aws_lb_target_group.api_target-group_2F997EC1.arn}',
          type: 'forward',
        },
      ],
      lifecycle: {
        ignore_changes: ['default_action'],
      },
      load_balancer_arn: '${aws_lb.api_alb_57F8549D.arn}',
      port: 80,
      protocol: 'HTTP',
    },
    'api_test-listener_E8C4CD66': {
      default_action: [
        {
          target_group_arn: '${aws_lb_target_group.api_target-group_2F997EC1.arn}',
          type: 'forward',
        },
      ],
      lifecycle: {
        ignore_changes: ['default_action'],
      },
      load_balancer_arn: '${aws_lb.api_alb_57F8549D.arn}',
      port: 8080,
      protocol: 'HTTP',
    },
  },
  aws_lb_target_group: {
    'api_target-group-green_C7C7AA8D': {
      deregistration_delay: '30',
      health_check: {
        enabled: true,
        healthy_threshold: 5,
        interval: 30,
        matcher: '200',
        path: '/health',
        port: 'traffic-port',
        protocol: 'HTTP',
        timeout: 5,
        unhealthy_threshold: 2,
      },
      name: 'ecg-video-pipelin-ee12-api-green',
      port: 8000,
      protocol: 'HTTP',
      tags: {
        Name: 'ecg-video-pipeline-staging-api-green',
      },
      target_type: 'ip',
      vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
    },
    'api_target-group_2F997EC1': {
      deregistration_delay: '30',
      health_check: {
        enabled: true,
        healthy_threshold: 5,
        interval: 30,
        matcher: '200',
        path: '/health',
        port: 'traffic-port',
        protocol: 'HTTP',
        timeout: 5,
        unhealthy_threshold: 2,
      },
      name: 'ecg-video-pipeline-staging-api',
      port: 8000,
      protocol: 'HTTP',
      tags: {
        Name: 'ecg-video-pipeline-staging-api',
      },
      target_type: 'ip',
      vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
    },
  },
  aws_secretsmanager_secret: {
    'api_secret-key-secret_1B5802D2': {
      description: 'SECRET_KEY of the ecg-video-pipeline-staging API (generated by Terraform)',
      name: 'ecg-video-pipeline-staging-api-secret-key',
      recovery_window_in_days: 30,
    },
  },
  aws_secretsmanager_secret_version: {
    'api_secret-key-version_47BCBDD2': {
      secret_id: '${aws_secretsmanager_secret.api_secret-key-secret_1B5802D2.id}',
      secret_string: '${random_password.api_secret-key_BA7526EF.result}',
    },
  },
  aws_security_group: {
    'api_alb-sg_group_93652573': {
      description: 'Internet-facing ALB of the ecg-video-pipeline-staging API',
      lifecycle: {
        create_before_destroy: true,
      },
      name: 'ecg-video-pipeline-staging-alb',
      tags: {
        Name: 'ecg-video-pipeline-staging-alb',
      },
      vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
    },
    'api_api-sg_group_A480EA21': {
      description: 'ECS tasks of the ecg-video-pipeline-staging API',
      lifecycle: {
        create_before_destroy: true,
      },
      name: 'ecg-video-pipeline-staging-api',
      tags: {
        Name: 'ecg-video-pipeline-staging-api',
      },
      vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
    },
  },
  aws_sfn_state_machine: {
    'api-redeploy_state-machine_DD8E148C': {
      definition: {
        Comment:
          'Release the running revision of ${aws_ecs_service.api_service_298EA376.name} again so its tasks read the new secret values',
        StartAt: 'ReadService',
        States: {
          ReadService: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:ecs:describeServices',
            Parameters: {
              Cluster: '${aws_ecs_cluster.api_cluster_D10E70AD.arn}',
              Services: ['${aws_ecs_service.api_service_298EA376.name}'],
            },
            ResultSelector: {
              'taskDefinitions.$': "$.Services[0].TaskSets[?(@.Status == 'PRIMARY')].TaskDefinition",
            },
            ResultPath: '$.service',
            Retry: [
              {
                ErrorEquals: ['States.ALL'],
                IntervalSeconds: 10,
                MaxAttempts: 3,
                BackoffRate: 2,
              },
            ],
            Next: 'CreateDeployment',
          },
          CreateDeployment: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:codedeploy:createDeployment',
            Parameters: {
              ApplicationName: '${aws_codedeploy_app.api-release_app_5BDB2AD2.name}',
              DeploymentGroupName:
                '${aws_codedeploy_deployment_group.api-release_group_479A196C.deployment_group_name}',
              Description: 'Secret changed: the running revision, released again',
              Revision: {
                RevisionType: 'AppSpecContent',
                AppSpecContent: {
                  'Content.$':
                    'States.Format(\'\\{"version":0.0,"Resources":[\\{"TargetService":\\{"Type":"AWS::ECS::Service","Properties":\\{"TaskDefinition":"{}","LoadBalancerInfo":\\{"ContainerName":"api","ContainerPort":8000\\}\\}\\}\\}]\\}\', States.ArrayGetItem($.service.taskDefinitions, 0))',
                },
              },
            },
            Retry: [
              {
                ErrorEquals: ['CodeDeploy.ThrottlingException'],
                IntervalSeconds: 10,
                MaxAttempts: 4,
                BackoffRate: 2,
              },
            ],
            Catch: [
              {
                ErrorEquals: ['CodeDeploy.DeploymentLimitExceededException'],
                ResultPath: '$.error',
                Next: 'WaitForRelease',
              },
            ],
            End: true,
          },
          WaitForRelease: {
            Type: 'Wait',
            Seconds: 60,
            Next: 'ReadService',
          },
        },
      },
      depends_on: ['aws_iam_role_policy.api-redeploy_state-machine-policy_4DE0618F'],
      logging_configuration: {
        include_execution_data: true,
        level: 'ALL',
        log_destination: '${aws_cloudwatch_log_group.api-redeploy_log-group_8D20F6EC.arn}:*',
      },
      name: 'ecg-video-pipeline-staging-redeploy-api',
      role_arn: '${aws_iam_role.api-redeploy_state-machine-role_22D41EB9.arn}',
      type: 'STANDARD',
    },
  },
  aws_vpc_security_group_egress_rule: {
    'api_alb-sg_out-api-8000_0DDF887D': {
      description: 'To the API tasks',
      from_port: 8000,
      ip_protocol: 'tcp',
      referenced_security_group_id: '${aws_security_group.api_api-sg_group_A480EA21.id}',
      security_group_id: '${aws_security_group.api_alb-sg_group_93652573.id}',
      to_port: 8000,
    },
    'api_api-sg_out-anywhere-443_153BB979': {
      cidr_ipv4: '0.0.0.0/0',
      description: 'HTTPS to AWS APIs, ECR and external services',
      from_port: 443,
      ip_protocol: 'tcp',
      security_group_id: '${aws_security_group.api_api-sg_group_A480EA21.id}',
      to_port: 443,
    },
    'api_api-sg_out-cache-6379_D9653CFF': {
      description: 'Redis',
      from_port: 6379,
      ip_protocol: 'tcp',
      referenced_security_group_id: '${aws_security_group.cache_security-group_ED85F37B.id}',
      security_group_id: '${aws_security_group.api_api-sg_group_A480EA21.id}',
      to_port: 6379,
    },
    'api_api-sg_out-db-5432_8A7D2AF7': {
      description: 'PostgreSQL',
      from_port: 5432,
      ip_protocol: 'tcp',
      referenced_security_group_id: '${aws_security_group.database_security-group_3B0458FA.id}',
      security_group_id: '${aws_security_group.api_api-sg_group_A480EA21.id}',
      to_port: 5432,
    },
    'api_api-sg_out-model-lb-8080_B3E6F2B1': {
      description: 'Model server load balancer',
      from_port: 8080,
      ip_protocol: 'tcp',
      referenced_security_group_id: '${aws_security_group.model-server_lb-security-group_CAD92E17.id}',
      security_group_id: '${aws_security_group.api_api-sg_group_A480EA21.id}',
      to_port: 8080,
    },
    'api_api-sg_out-render-8090_A29B8962': {
      description: 'Render workers',
      from_port: 8090,
      ip_protocol: 'tcp',
      referenced_security_group_id: '${aws_security_group.render-worker_security-group_16A04689.id}',
      security_group_id: '${aws_security_group.api_api-sg_group_A480EA21.id}',
      to_port: 8090,
    },
  },
  aws_vpc_security_group_ingress_rule: {
    'api_alb-sg_in-anywhere-443_94A625A1': {
      cidr_ipv4: '0.0.0.0/0',
      description: 'HTTPS from the internet',
      from_port: 443,
      ip_protocol: 'tcp',
      security_group_id: '${aws_security_group.api_alb-sg_group_93652573.id}',
      to_port: 443,
    },
    'api_alb-sg_in-anywhere-80_741DF7DC': {
      cidr_ipv4: '0.0.0.0/0',
      description: 'HTTP from the internet',
      from_port: 80,
      ip_protocol: 'tcp',
      security_group_id: '${aws_security_group.api_alb-sg_group_93652573.id}',
      to_port: 80,
    },
    'api_alb-sg_in-vpc-8080_A8B45333': {
      cidr_ipv4: '10.1.0.0/16',
      description: 'Blue/green test listener, from inside the VPC only',
      from_port: 8080,
      ip_protocol: 'tcp',
      security_group_id: '${aws_security_group.api_alb-sg_group_93652573.id}',
      to_port: 8080,
    },
    'api_api-sg_in-alb-8000_7BF6914B': {
      description: 'From the ALB',
      from_port: 8000,
      ip_protocol: 'tcp',
      referenced_security_group_id: '${aws_security_group.api_alb-sg_group_93652573.id}',
      security_group_id: '${aws_security_group.api_api-sg_group_A480EA21.id}',
      to_port: 8000,
    },
    'api_api-sg_in-model-8000_706B821B': {
      description: 'Callbacks from the model servers',
      from_port: 8000,
      ip_protocol: 'tcp',
      referenced_security_group_id: '${aws_security_group.model-server_security-group_125F0CB6.id}',
      security_group_id: '${aws_security_group.api_api-sg_group_A480EA21.id}',
      to_port: 8000,
    },
  },
  random_password: {
    'api_secret-key_BA7526EF': {
      length: 64,
      special: false,
    },
  },
};

describe('the staging API, read whole', () => {
  it('has exactly these resources', () => {
    expect(
      Object.fromEntries(Object.entries(actual).map(([type, r]) => [type, Object.keys(r).sort()])),
    ).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([type, r]) => [type, Object.keys(r).sort()])));
  });

  const cases = Object.entries(EXPECTED).flatMap(([type, resources]) =>
    Object.keys(resources).map((address) => [type, address] as const),
  );
  it.each(cases)('%s %s', (type, address) => {
    expect(actual[type]?.[address]).toEqual(EXPECTED[type][address]);
  });
});
