import { Lazy } from 'cdktf';
import { Peer } from '../src/lib/security-group';
import { EcsApiService, type EcsApiServiceProps } from '../src/modules/ecs';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

/**
 * The API service (src/modules/ecs.ts) built from the fewest props, so every default shows, and
 * with each option staging leaves at its default switched: tracing off and on, ECS Exec off,
 * enhanced Container Insights, the secret's recovery window, FARGATE_SPOT, a custom container, an
 * internal ALB. Then every validation rule at its edges, with the line the user reads.
 * (api-resources.test.ts reads the staging configuration whole.)
 */

const DB_SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!db-0a1b2c-AbCdEf';
const REDIS_SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:ecg-redis-url-AbCdEf';

const BASE: EcsApiServiceProps = {
  namePrefix: 'p-e',
  region: 'ap-northeast-2',
  vpcId: 'vpc-1',
  privateSubnetIds: ['subnet-p1'],
  publicSubnetIds: ['subnet-a', 'subnet-b'],
  image: 'img:1',
  cpu: 256,
  memoryMiB: 512,
  logRetentionDays: 14,
  videoBucketArn: 'arn:aws:s3:::videos',
  desiredCount: 1,
  minCapacity: 1,
  maxCapacity: 3,
};

function synthApi(extra: Partial<EcsApiServiceProps> = {}, after?: (api: EcsApiService) => void): Json {
  return synthScope((scope) => {
    const api = new EcsApiService(scope, 'api', { ...BASE, ...extra });
    after?.(api);
  });
}

const only = (json: Json, type: string, address: string): Json => {
  const all = resourcesOf(json, type);
  expect(Object.keys(all)).toEqual([address]);
  return all[address];
};
const containersOf = (json: Json): Json[] =>
  JSON.parse(only(json, 'aws_ecs_task_definition', 'api_task-definition_E5CCD028').container_definitions);
const policyOf = (json: Json, address: string): Json =>
  JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[address].policy as string);

const SECRET_KEY_ARN = '${aws_secretsmanager_secret.api_secret-key-secret_1B5802D2.arn}';
const VIDEO_STATEMENTS = [
  {
    Sid: 'VideoObjects',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    Resource: 'arn:aws:s3:::videos/*',
  },
  { Sid: 'VideoList', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::videos' },
];
const EXEC_STATEMENTS = [
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
  { Sid: 'EcsExecFindLogGroup', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
  {
    Sid: 'EcsExecWriteLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
    Resource: '${aws_cloudwatch_log_group.api_exec-logs_966A664F.arn}:*',
  },
];
const EXEC_MOUNTS = [
  { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
  { sourceVolume: 'exec-agents', containerPath: '/managed-agents', readOnly: false },
  { sourceVolume: 'ssm-lib', containerPath: '/var/lib/amazon/ssm', readOnly: false },
  { sourceVolume: 'ssm-log', containerPath: '/var/log/amazon/ssm', readOnly: false },
];

describe('EcsApiService defaults (only the required props)', () => {
  const json = synthApi();

  it('runs container api on 8000 with the default health check, only SECRET_KEY, ECS Exec volumes and no collector', () => {
    expect(containersOf(json)).toEqual([
      {
        name: 'api',
        image: 'img:1',
        essential: true,
        privileged: false,
        readonlyRootFilesystem: true,
        portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }],
        environment: [],
        secrets: [{ name: 'SECRET_KEY', valueFrom: SECRET_KEY_ARN }],
        healthCheck: {
          command: ['CMD-SHELL', 'curl -f http://localhost:8000/health || exit 1'],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 60,
        },
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '${aws_cloudwatch_log_group.api_logs_F993657F.name}',
            'awslogs-region': 'ap-northeast-2',
            'awslogs-stream-prefix': 'api',
          },
        },
        mountPoints: EXEC_MOUNTS,
        volumesFrom: [],
        linuxParameters: { initProcessEnabled: true },
      },
    ]);
  });

  it('defines the Fargate task with its size as strings and the four volumes', () => {
    const task = { ...only(json, 'aws_ecs_task_definition', 'api_task-definition_E5CCD028') };
    delete task.container_definitions;
    expect(task).toEqual({
      family: 'p-e-api',
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '256',
      memory: '512',
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
      execution_role_arn: '${aws_iam_role.api_execution-role_E16F2EDD.arn}',
      task_role_arn: '${aws_iam_role.api_task-role_E1FFCF80.arn}',
      volume: [{ name: 'tmp' }, { name: 'exec-agents' }, { name: 'ssm-lib' }, { name: 'ssm-log' }],
    });
  });

  it('runs the service on FARGATE only, max 200 %, min healthy 50 %, grace 60 s, ECS Exec on', () => {
    expect(only(json, 'aws_ecs_service', 'api_service_298EA376')).toEqual({
      name: 'p-e-api',
      cluster: '${aws_ecs_cluster.api_cluster_D10E70AD.arn}',
      task_definition: '${aws_ecs_task_definition.api_task-definition_E5CCD028.arn}',
      desired_count: 1,
      capacity_provider_strategy: [{ capacity_provider: 'FARGATE', base: 1, weight: 1 }],
      platform_version: 'LATEST',
      network_configuration: {
        subnets: ['subnet-p1'],
        security_groups: ['${aws_security_group.api_api-sg_group_A480EA21.id}'],
        assign_public_ip: false,
      },
      load_balancer: [
        {
          target_group_arn: '${aws_lb_target_group.api_target-group_2F997EC1.arn}',
          container_name: 'api',
          container_port: 8000,
        },
      ],
      health_check_grace_period_seconds: 60,
      deployment_maximum_percent: 200,
      deployment_minimum_healthy_percent: 50,
      deployment_controller: { type: 'CODE_DEPLOY' },
      enable_execute_command: true,
      enable_ecs_managed_tags: true,
      propagate_tags: 'SERVICE',
      wait_for_steady_state: false,
      depends_on: [
        'aws_lb_listener.api_http_E1D2E7D4',
        'aws_lb_listener.api_test-listener_E8C4CD66',
        'aws_ecs_cluster_capacity_providers.api_capacity-providers_783D58B6',
        'aws_iam_role_policy_attachment.api_execution-managed_E3586F08',
        'aws_iam_role_policy.api_execution-secrets_0B05B538',
        'aws_iam_role_policy.api_task-policy_370FD605',
      ],
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
    });
  });

  it('enables Container Insights (not enhanced) on the cluster', () => {
    expect(only(json, 'aws_ecs_cluster', 'api_cluster_D10E70AD').setting).toEqual([
      { name: 'containerInsights', value: 'enabled' },
    ]);
  });

  it('keeps a deleted SECRET_KEY recoverable for 30 days', () => {
    expect(only(json, 'aws_secretsmanager_secret', 'api_secret-key-secret_1B5802D2')).toEqual({
      name: 'p-e-api-secret-key',
      description: 'SECRET_KEY of the p-e API (generated by Terraform)',
      recovery_window_in_days: 30,
    });
  });

  it('tracks CPU at 70 % and memory at 80 %, out after 60 s, in after 300 s', () => {
    const policies = resourcesOf(json, 'aws_appautoscaling_policy');
    expect(
      Object.values(policies).map((p) => [p.name, p.target_tracking_scaling_policy_configuration]),
    ).toEqual([
      [
        'p-e-api-cpu-tracking',
        {
          target_value: 70,
          predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
          scale_out_cooldown: 60,
          scale_in_cooldown: 300,
        },
      ],
      [
        'p-e-api-memory-tracking',
        {
          target_value: 80,
          predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageMemoryUtilization' },
          scale_out_cooldown: 60,
          scale_in_cooldown: 300,
        },
      ],
    ]);
  });

  it('lets the execution role read SECRET_KEY only, and the task role the videos and ECS Exec (no X-Ray)', () => {
    expect(policyOf(json, 'api_execution-secrets_0B05B538')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadContainerSecrets',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: [SECRET_KEY_ARN],
        },
      ],
    });
    expect(policyOf(json, 'api_task-policy_370FD605')).toEqual({
      Version: '2012-10-17',
      Statement: [...VIDEO_STATEMENTS, ...EXEC_STATEMENTS],
    });
  });

  it('opens the internet-facing ALB on 80 and 443 and the task port between ALB and tasks', () => {
    expect(
      Object.entries(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'))
        .map(([k, r]) => [k, r.cidr_ipv4 ?? r.referenced_security_group_id, r.from_port, r.description])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['api_alb-sg_in-anywhere-443_94A625A1', '0.0.0.0/0', 443, 'HTTPS from the internet'],
      ['api_alb-sg_in-anywhere-80_741DF7DC', '0.0.0.0/0', 80, 'HTTP from the internet'],
      [
        'api_api-sg_in-alb-8000_7BF6914B',
        '${aws_security_group.api_alb-sg_group_93652573.id}',
        8000,
        'From the ALB',
      ],
    ]);
  });

  it('exposes its names, ports and ALB facts', () => {
    synthApi({}, (api) => {
      expect([api.containerName, api.containerPort, api.albInternal, api.testListenerPort]).toEqual([
        'api',
        8000,
        false,
        8080,
      ]);
      expect(api.httpsListener).toBeUndefined();
      expect(api.servingListener).toBe(api.httpListener);
    });
  });
});

describe('EcsApiService options', () => {
  it('adds the collector, its image and the X-Ray statement (before the ECS Exec ones) with tracing', () => {
    const json = synthApi({
      tracing: {
        serviceName: 'p-e-api',
        deploymentEnvironment: 'e',
        collectorImage: 'example.com/otel:1',
      },
    });
    const [api, collector] = containersOf(json);
    expect(api.dependsOn).toEqual([{ containerName: 'otel-collector', condition: 'START' }]);
    expect([collector.name, collector.image]).toEqual(['otel-collector', 'example.com/otel:1']);
    expect(policyOf(json, 'api_task-policy_370FD605').Statement).toEqual([
      ...VIDEO_STATEMENTS,
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
      ...EXEC_STATEMENTS,
    ]);
  });

  it('leaves out the ECS Exec volumes, mounts and permissions when ECS Exec is off', () => {
    const json = synthApi({ enableExecuteCommand: false });
    expect(only(json, 'aws_ecs_task_definition', 'api_task-definition_E5CCD028').volume).toEqual([
      { name: 'tmp' },
    ]);
    expect(containersOf(json)[0].mountPoints).toEqual([EXEC_MOUNTS[0]]);
    expect(policyOf(json, 'api_task-policy_370FD605').Statement).toEqual(VIDEO_STATEMENTS);
    expect(only(json, 'aws_ecs_service', 'api_service_298EA376').enable_execute_command).toBe(false);
  });

  it('sets enhanced Container Insights', () => {
    expect(
      only(synthApi({ containerInsights: 'enhanced' }), 'aws_ecs_cluster', 'api_cluster_D10E70AD').setting,
    ).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);
  });

  it.each([0, 7])('keeps the recovery window of %i days', (days) => {
    const secret = only(
      synthApi({ secretRecoveryWindowDays: days }),
      'aws_secretsmanager_secret',
      'api_secret-key-secret_1B5802D2',
    );
    expect(secret.recovery_window_in_days).toBe(days);
  });

  it('adds FARGATE_SPOT at weight 1, the lowest weight that uses it', () => {
    expect(
      only(synthApi({ fargateSpotWeight: 1 }), 'aws_ecs_service', 'api_service_298EA376')
        .capacity_provider_strategy,
    ).toEqual([
      { capacity_provider: 'FARGATE', base: 1, weight: 1 },
      { capacity_provider: 'FARGATE_SPOT', base: 0, weight: 1 },
    ]);
  });

  it('uses a custom container name and port for the service, the target groups and the security group rules', () => {
    const json = synthApi({ containerName: 'web', containerPort: 9000 });
    expect(only(json, 'aws_ecs_service', 'api_service_298EA376').load_balancer).toEqual([
      {
        target_group_arn: '${aws_lb_target_group.api_target-group_2F997EC1.arn}',
        container_name: 'web',
        container_port: 9000,
      },
    ]);
    expect(Object.values(resourcesOf(json, 'aws_lb_target_group')).map((g) => g.port)).toEqual([9000, 9000]);
    const [container] = containersOf(json);
    expect([
      container.name,
      container.portMappings,
      container.logConfiguration.options['awslogs-stream-prefix'],
    ]).toEqual(['web', [{ containerPort: 9000, hostPort: 9000, protocol: 'tcp' }], 'web']);
    expect(Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'))).toEqual([
      {
        description: 'To the API tasks',
        from_port: 9000,
        to_port: 9000,
        ip_protocol: 'tcp',
        referenced_security_group_id: '${aws_security_group.api_api-sg_group_A480EA21.id}',
        security_group_id: '${aws_security_group.api_alb-sg_group_93652573.id}',
      },
    ]);
    synthApi({ containerName: 'web', containerPort: 9000 }, (api) =>
      expect([api.containerName, api.containerPort]).toEqual(['web', 9000]),
    );
  });

  it('writes the given scaling targets, deployment percents and grace period', () => {
    const json = synthApi({
      cpuTargetPercent: 55,
      memoryTargetPercent: 65,
      deploymentMaximumPercent: 150,
      deploymentMinimumHealthyPercent: 100,
      healthCheckGracePeriodSeconds: 0,
    });
    expect(
      Object.values(resourcesOf(json, 'aws_appautoscaling_policy')).map(
        (p) => p.target_tracking_scaling_policy_configuration.target_value,
      ),
    ).toEqual([55, 65]);
    expect(only(json, 'aws_ecs_service', 'api_service_298EA376')).toMatchObject({
      deployment_maximum_percent: 150,
      deployment_minimum_healthy_percent: 100,
      health_check_grace_period_seconds: 0,
    });
  });

  it('lets the execution role read each secret ARN once, even when two secrets read keys of the same one', () => {
    const json = synthApi({
      secrets: [
        { name: 'DB_USER', secretArn: DB_SECRET, jsonKey: 'username' },
        { name: 'DB_PASS', secretArn: DB_SECRET, jsonKey: 'password' },
        { name: 'REDIS_URL', secretArn: REDIS_SECRET },
      ],
    });
    expect(policyOf(json, 'api_execution-secrets_0B05B538').Statement[0].Resource).toEqual([
      DB_SECRET,
      REDIS_SECRET,
      SECRET_KEY_ARN,
    ]);
    synthApi({ secrets: [{ name: 'A', secretArn: DB_SECRET }] }, (api) =>
      expect(api.secretArns).toEqual([DB_SECRET, api.secretKeySecretArn]),
    );
  });

  it('puts an internal ALB in the private subnets with no ingress from the internet', () => {
    const json = synthApi({ internalAlb: true, privateSubnetIds: ['subnet-p1', 'subnet-p2'] }, (api) => {
      api.allowToAlb(Peer.ipv4('10.0.0.0/16', 'vpc'), 443, 'From the VPC');
    });
    expect(only(json, 'aws_lb', 'api_alb_57F8549D')).toMatchObject({
      internal: true,
      subnets: ['subnet-p1', 'subnet-p2'],
    });
    expect(
      Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).map((r) => [
        r.cidr_ipv4 ?? r.referenced_security_group_id,
        r.from_port,
      ]),
    ).toEqual([
      ['10.0.0.0/16', 443],
      ['${aws_security_group.api_alb-sg_group_93652573.id}', 8000],
    ]);
    expect(only(json, 'aws_ecs_service', 'api_service_298EA376').network_configuration.subnets).toEqual([
      'subnet-p1',
      'subnet-p2',
    ]);
  });

  it('returns the HTTP listener rule from requireHeader and makes the service wait for it', () => {
    const json = synthApi({}, (api) => {
      const rule = api.requireHeader('X-Origin-Verify', 'v');
      expect(rule.node.id).toBe('origin-header');
    });
    expect(only(json, 'aws_ecs_service', 'api_service_298EA376').depends_on).toEqual([
      'aws_lb_listener.api_http_E1D2E7D4',
      'aws_lb_listener.api_test-listener_E8C4CD66',
      'aws_ecs_cluster_capacity_providers.api_capacity-providers_783D58B6',
      'aws_iam_role_policy_attachment.api_execution-managed_E3586F08',
      'aws_iam_role_policy.api_execution-secrets_0B05B538',
      'aws_iam_role_policy.api_task-policy_370FD605',
      'aws_lb_listener_rule.api_origin-header_9CB35AD3',
    ]);
  });
});

describe('EcsApiService validation', () => {
  const failure = (extra: Partial<EcsApiServiceProps>) => errorOf(() => synthApi(extra));
  const oneProblem = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;
  const health = {
    command: ['CMD', 'true'],
    intervalSeconds: 30,
    timeoutSeconds: 5,
    retries: 3,
    startPeriodSeconds: 60,
  };
  const token = Lazy.stringValue({ produce: () => 'x' });

  it.each([
    ['a 2-character name prefix', { namePrefix: 'ab' }],
    ['a 40-character name prefix', { namePrefix: `a${'b'.repeat(38)}9` }],
    ['a region given as a Terraform token', { region: token }],
    ['an internal ALB on two private subnets', { internalAlb: true, privateSubnetIds: ['s-1', 's-2'] }],
    ['the Fargate size 16384 CPU / 122880 MiB', { cpu: 16384, memoryMiB: 122880 }],
    ['a container name of letters, digits, _ and -', { containerName: 'A_b-9' }],
    ['container port 1', { containerPort: 1 }],
    ['container port 65535', { containerPort: 65535 }],
    [
      'a CMD health check at its lower limits',
      {
        healthCheck: {
          command: ['CMD', 'x'],
          intervalSeconds: 5,
          timeoutSeconds: 2,
          retries: 1,
          startPeriodSeconds: 0,
        },
      },
    ],
    [
      'a health check at its upper limits',
      {
        healthCheck: {
          ...health,
          intervalSeconds: 300,
          timeoutSeconds: 60,
          retries: 10,
          startPeriodSeconds: 300,
        },
      },
    ],
    ['recovery window 30', { secretRecoveryWindowDays: 30 }],
    ['min 0, max 1, desired 0', { minCapacity: 0, maxCapacity: 1, desiredCount: 0 }],
    ['min 1000', { minCapacity: 1000, maxCapacity: 1000, desiredCount: 1000 }],
    ['desired at max', { desiredCount: 3 }],
    ['targets 1 %', { cpuTargetPercent: 1, memoryTargetPercent: 1 }],
    ['targets 100 %', { cpuTargetPercent: 100, memoryTargetPercent: 100 }],
    ['deployment percents 100 / 0', { deploymentMaximumPercent: 100, deploymentMinimumHealthyPercent: 0 }],
    ['the longest grace period', { healthCheckGracePeriodSeconds: 2147483647 }],
    ['spot weight 1000', { fargateSpotWeight: 1000 }],
    [
      'plain names that only look alike',
      { environment: { _X: '1', PASS: '2', KEY: '3', DATABASE_USER: '4' } },
    ],
    ['secrets given as tokens', { secrets: [{ name: 'S', secretArn: token, jsonKey: token }] }],
    ['a secret with a JSON key', { secrets: [{ name: 'S', secretArn: DB_SECRET, jsonKey: 'password' }] }],
  ] as [string, Partial<EcsApiServiceProps>][])('builds with %s', (_, extra) => {
    expect(() => synthApi(extra)).not.toThrow();
  });

  it('fails when maxCapacity is below minCapacity, and so is every desiredCount', () => {
    expect(failure({ minCapacity: 2, maxCapacity: 1, desiredCount: 2 })).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - stack/api.maxCapacity 1 must be an integer >= minCapacity (2) and >= 1',
        '  - stack/api.desiredCount 2 must satisfy minCapacity <= desiredCount <= maxCapacity (2, 1)',
      ].join('\n'),
    );
  });

  it.each([
    [
      { namePrefix: 'a' },
      'stack/api.namePrefix a must be 2-40 lowercase letters, digits or hyphens, starting with a letter (names like <namePrefix>-api-execution must fit AWS limits)',
    ],
    [
      { namePrefix: `a${'b'.repeat(39)}9` },
      `stack/api.namePrefix a${'b'.repeat(39)}9 must be 2-40 lowercase letters, digits or hyphens, starting with a letter (names like <namePrefix>-api-execution must fit AWS limits)`,
    ],
    [
      { namePrefix: '9ab' },
      'stack/api.namePrefix 9ab must be 2-40 lowercase letters, digits or hyphens, starting with a letter (names like <namePrefix>-api-execution must fit AWS limits)',
    ],
    [
      { namePrefix: 'ab-' },
      'stack/api.namePrefix ab- must be 2-40 lowercase letters, digits or hyphens, starting with a letter (names like <namePrefix>-api-execution must fit AWS limits)',
    ],
    [{ region: 'Seoul' }, 'stack/api.region Seoul must be an AWS region like ap-northeast-2'],
    [{ privateSubnetIds: [] }, 'stack/api.privateSubnetIds [] must list at least one subnet'],
    [
      { publicSubnetIds: ['subnet-a'] },
      'stack/api.publicSubnetIds ["subnet-a"] must list at least two subnets (an ALB spans two or more AZs)',
    ],
    [{ image: '' }, 'stack/api.image "" must name a container image'],
    [
      { cpu: 300, memoryMiB: 512 },
      'stack/api.cpu 300 must be a Fargate CPU value: 256, 512, 1024, 2048, 4096, 8192, 16384',
    ],
    [
      { cpu: 256, memoryMiB: 4096 },
      'stack/api.memoryMiB 4096 is not a Fargate memory size allowed with cpu 256',
    ],
    [{ containerName: 'a.b' }, 'stack/api.containerName a.b must be 1-255 letters, digits, _ or -'],
    [{ containerPort: 0 }, 'stack/api.containerPort 0 must be an integer from 1 to 65535'],
    [{ containerPort: 65536 }, 'stack/api.containerPort 65536 must be an integer from 1 to 65535'],
    [
      { healthCheck: { ...health, command: ['CMD'] } },
      'stack/api.healthCheck.command ["CMD"] must start with CMD or CMD-SHELL followed by the command',
    ],
    [
      { healthCheck: { ...health, command: ['RUN', 'x'] } },
      'stack/api.healthCheck.command ["RUN","x"] must start with CMD or CMD-SHELL followed by the command',
    ],
    [
      { healthCheck: { ...health, intervalSeconds: 4 } },
      'stack/api.healthCheck.intervalSeconds 4 must be an integer from 5 to 300',
    ],
    [
      { healthCheck: { ...health, intervalSeconds: 301 } },
      'stack/api.healthCheck.intervalSeconds 301 must be an integer from 5 to 300',
    ],
    [
      { healthCheck: { ...health, timeoutSeconds: 1 } },
      'stack/api.healthCheck.timeoutSeconds 1 must be an integer from 2 to 60',
    ],
    [
      { healthCheck: { ...health, timeoutSeconds: 61 } },
      'stack/api.healthCheck.timeoutSeconds 61 must be an integer from 2 to 60',
    ],
    [
      { healthCheck: { ...health, retries: 0 } },
      'stack/api.healthCheck.retries 0 must be an integer from 1 to 10',
    ],
    [
      { healthCheck: { ...health, retries: 11 } },
      'stack/api.healthCheck.retries 11 must be an integer from 1 to 10',
    ],
    [
      { healthCheck: { ...health, startPeriodSeconds: -1 } },
      'stack/api.healthCheck.startPeriodSeconds -1 must be an integer from 0 to 300',
    ],
    [
      { healthCheck: { ...health, startPeriodSeconds: 301 } },
      'stack/api.healthCheck.startPeriodSeconds 301 must be an integer from 0 to 300',
    ],
    [
      { logRetentionDays: 2 },
      "stack/api.logRetentionDays 2 must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    // Secrets Manager DeleteSecret: RecoveryWindowInDays 7-30 (0 here: ForceDeleteWithoutRecovery).
    [
      { secretRecoveryWindowDays: 6 },
      'stack/api.secretRecoveryWindowDays 6 must be 0 or an integer from 7 to 30',
    ],
    [
      { secretRecoveryWindowDays: 31 },
      'stack/api.secretRecoveryWindowDays 31 must be 0 or an integer from 7 to 30',
    ],
    [
      { secretRecoveryWindowDays: 7.5 },
      'stack/api.secretRecoveryWindowDays 7.5 must be 0 or an integer from 7 to 30',
    ],
    [{ minCapacity: -1 }, 'stack/api.minCapacity -1 must be an integer from 0 to 1000'],
    [
      { minCapacity: 1001, maxCapacity: 1001, desiredCount: 1001 },
      'stack/api.minCapacity 1001 must be an integer from 0 to 1000',
    ],
    [
      { minCapacity: 0, maxCapacity: 0, desiredCount: 0 },
      'stack/api.maxCapacity 0 must be an integer >= minCapacity (0) and >= 1',
    ],
    [{ maxCapacity: 2.5 }, 'stack/api.maxCapacity 2.5 must be an integer >= minCapacity (1) and >= 1'],
    [
      { desiredCount: 0 },
      'stack/api.desiredCount 0 must satisfy minCapacity <= desiredCount <= maxCapacity (1, 3)',
    ],
    [
      { desiredCount: 4 },
      'stack/api.desiredCount 4 must satisfy minCapacity <= desiredCount <= maxCapacity (1, 3)',
    ],
    [
      { desiredCount: 1.5 },
      'stack/api.desiredCount 1.5 must satisfy minCapacity <= desiredCount <= maxCapacity (1, 3)',
    ],
    [{ cpuTargetPercent: 0 }, 'stack/api.cpuTargetPercent 0 must be an integer from 1 to 100'],
    [{ cpuTargetPercent: 101 }, 'stack/api.cpuTargetPercent 101 must be an integer from 1 to 100'],
    [{ memoryTargetPercent: 0 }, 'stack/api.memoryTargetPercent 0 must be an integer from 1 to 100'],
    [{ memoryTargetPercent: 101 }, 'stack/api.memoryTargetPercent 101 must be an integer from 1 to 100'],
    [
      { deploymentMaximumPercent: 99 },
      'stack/api.deploymentMaximumPercent 99 must be an integer from 100 to 200',
    ],
    [
      { deploymentMaximumPercent: 201 },
      'stack/api.deploymentMaximumPercent 201 must be an integer from 100 to 200',
    ],
    [
      { deploymentMinimumHealthyPercent: -1 },
      'stack/api.deploymentMinimumHealthyPercent -1 must be an integer from 0 to 100',
    ],
    [
      { deploymentMinimumHealthyPercent: 101 },
      'stack/api.deploymentMinimumHealthyPercent 101 must be an integer from 0 to 100',
    ],
    [
      { healthCheckGracePeriodSeconds: -1 },
      'stack/api.healthCheckGracePeriodSeconds -1 must be an integer from 0 to 2147483647',
    ],
    [
      { healthCheckGracePeriodSeconds: 2147483648 },
      'stack/api.healthCheckGracePeriodSeconds 2147483648 must be an integer from 0 to 2147483647',
    ],
    [{ fargateSpotWeight: -1 }, 'stack/api.fargateSpotWeight -1 must be an integer from 0 to 1000'],
    [{ fargateSpotWeight: 1001 }, 'stack/api.fargateSpotWeight 1001 must be an integer from 0 to 1000'],
    [
      { testListenerPort: 443 },
      'stack/api.testListenerPort 443 must differ from the production listener ports 80 and 443 (an ALB has one listener per port)',
    ],
    [
      { environment: { SECRET_KEY: 'x' } },
      'stack/api.environment.SECRET_KEY SECRET_KEY is reserved: this construct generates SECRET_KEY',
    ],
    [
      { environment: { '1X': 'x' } },
      'stack/api.environment.1X 1X must be an environment variable name (letters, digits, _)',
    ],
    [
      { environment: { db_password: 'x' } },
      'stack/api.environment.db_password (value hidden) looks like a secret: pass it through secrets (Secrets Manager), never as plain environment',
    ],
    [
      { environment: { GITHUB_TOKEN: 'x' } },
      'stack/api.environment.GITHUB_TOKEN (value hidden) looks like a secret: pass it through secrets (Secrets Manager), never as plain environment',
    ],
    [
      { environment: { AWS_ACCESS_KEY_ID: 'x' } },
      'stack/api.environment.AWS_ACCESS_KEY_ID (value hidden) looks like a secret: pass it through secrets (Secrets Manager), never as plain environment',
    ],
    [
      { secrets: [{ name: 'bad-name', secretArn: DB_SECRET }] },
      'stack/api.secrets[0].name bad-name must be an environment variable name (letters, digits, _)',
    ],
    [
      { secrets: [{ name: 'S', secretArn: DB_SECRET, jsonKey: 'a:b' }] },
      'stack/api.secrets[0].jsonKey a:b must be a JSON key without colons or spaces',
    ],
    [
      { secrets: [{ name: 'S', secretArn: DB_SECRET, jsonKey: 'a b' }] },
      'stack/api.secrets[0].jsonKey a b must be a JSON key without colons or spaces',
    ],
    [
      { secrets: [{ name: 'S', secretArn: DB_SECRET, jsonKey: '' }] },
      'stack/api.secrets[0].jsonKey "" must be a JSON key without colons or spaces',
    ],
    [
      { secrets: [{ name: 'S', secretArn: 'arn:aws:ssm:ap-northeast-2:123456789012:parameter/x' }] },
      'stack/api.secrets[0].secretArn arn:aws:ssm:ap-northeast-2:123456789012:parameter/x must be a Secrets Manager secret ARN without a :key:: suffix',
    ],
  ] as [Partial<EcsApiServiceProps>, string][])('fails when %j', (extra, line) => {
    expect(failure(extra)).toBe(oneProblem(line));
  });
});
