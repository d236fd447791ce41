import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { productionConfig, stagingConfig, ConfigError } from '../src/config';
import { Peer } from '../src/lib/security-group';
import { EcsApiService, type EcsApiServiceProps } from '../src/modules/ecs';
import { onlyResource, resourcesOf, synthScope, type Json } from './support/synth';
import { CERT, RDS_SECRET, REDIS_SECRET, VIDEO_BUCKET, propsFor, settings } from './variants/ecs';

function synthApi(props: EcsApiServiceProps, after?: (api: EcsApiService) => void): Json {
  return synthScope((scope) => {
    const api = new EcsApiService(scope, 'api', props);
    after?.(api);
  });
}

function containerOf(json: Json): Json {
  const defs = JSON.parse(onlyResource(json, 'aws_ecs_task_definition').container_definitions) as Json[];
  expect(defs).toHaveLength(1);
  return defs[0];
}

function policyOf(json: Json, name: string): Json {
  const policy = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((p) => p.name === name);
  if (!policy) throw new Error(`no aws_iam_role_policy named ${name}`);
  return JSON.parse(policy.policy) as Json;
}

const environments = [
  {
    name: 'staging',
    cfg: stagingConfig(settings),
    cpu: '512',
    memory: '1024',
    retention: 7,
    desired: 1,
    min: 1,
    max: 2,
    prod: false,
  },
  {
    name: 'production',
    cfg: productionConfig(settings),
    cpu: '2048',
    memory: '4096',
    retention: 30,
    desired: 2,
    min: 2,
    max: 10,
    prod: true,
  },
] as const;

describe.each(environments)('EcsApiService ($name)', (env) => {
  const prefix = `ecg-video-pipeline-${env.name}`;
  const json = synthApi(propsFor(env.cfg));
  const text = JSON.stringify(json);

  it('creates the cluster with Container Insights and ECS Exec logging to CloudWatch', () => {
    expect(text).toHaveResourceWithProperties(EcsCluster, {
      name: `${prefix}-cluster`,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    const cluster = onlyResource(json, 'aws_ecs_cluster');
    const exec = cluster.configuration.execute_command_configuration;
    expect(exec.logging).toBe('OVERRIDE');
    expect(exec.log_configuration.cloud_watch_log_group_name).toMatch(
      /^\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}$/,
    );
    const groups = Object.values(resourcesOf(json, 'aws_cloudwatch_log_group'));
    expect(groups.map((g) => [g.name, g.retention_in_days]).sort()).toEqual([
      [`/ecs/${prefix}-api`, env.retention],
      [`/ecs/${prefix}/exec`, env.retention],
    ]);
  });

  it('registers FARGATE and FARGATE_SPOT with FARGATE as the default', () => {
    expect(text).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
      capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
      default_capacity_provider_strategy: [{ capacity_provider: 'FARGATE', base: 1, weight: 1 }],
    });
  });

  it('defines a Fargate awsvpc Linux x86_64 task with the environment sizing and separate roles', () => {
    expect(text).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: `${prefix}-api`,
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: env.cpu,
      memory: env.memory,
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
    });
    const td = onlyResource(json, 'aws_ecs_task_definition');
    expect(td.execution_role_arn).toMatch(/aws_iam_role\.[\w-]*execution-role[\w-]*\.arn/);
    expect(td.task_role_arn).toMatch(/aws_iam_role\.[\w-]*task-role[\w-]*\.arn/);
    expect(td.execution_role_arn).not.toBe(td.task_role_arn);
    expect(td.volume.map((v: Json) => v.name)).toContain('tmp');
  });

  it('runs container api on 8000 with the health check, awslogs and a read-only root', () => {
    const c = containerOf(json);
    expect(c).toMatchObject({
      name: 'api',
      essential: true,
      privileged: false,
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }],
      healthCheck: {
        command: ['CMD-SHELL', 'curl -f http://localhost:8000/health || exit 1'],
        interval: 30,
        timeout: 5,
        retries: 3,
      },
      linuxParameters: { initProcessEnabled: true },
    });
    expect(c.logConfiguration.logDriver).toBe('awslogs');
    expect(c.logConfiguration.options).toMatchObject({
      'awslogs-region': 'ap-northeast-2',
      'awslogs-stream-prefix': 'api',
    });
    expect(c.logConfiguration.options['awslogs-group']).toMatch(
      /^\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}$/,
    );
    expect(c.mountPoints).toContainEqual({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
    const volumes = onlyResource(json, 'aws_ecs_task_definition').volume.map((v: Json) => v.name);
    for (const m of c.mountPoints as Json[]) expect(volumes).toContain(m.sourceVolume);
  });

  it('passes plain settings as environment and every secret through Secrets Manager', () => {
    const c = containerOf(json);
    expect((c.environment as Json[]).map((e) => e.name)).toEqual([
      'AWS_DEFAULT_REGION',
      'DATABASE_HOST',
      'DATABASE_NAME',
      'DATABASE_PORT',
      'DATABASE_USER',
      'MODEL_SERVER_URL',
      'S3_BUCKET_NAME',
    ]);
    expect(c.environment).toContainEqual({ name: 'AWS_DEFAULT_REGION', value: 'ap-northeast-2' });
    const secrets = Object.fromEntries((c.secrets as Json[]).map((s) => [s.name, s.valueFrom]));
    expect(Object.keys(secrets).sort()).toEqual(['DATABASE_PASSWORD', 'REDIS_URL', 'SECRET_KEY']);
    expect(secrets.DATABASE_PASSWORD).toBe(`${RDS_SECRET}:password::`);
    expect(secrets.REDIS_URL).toBe(REDIS_SECRET);
    expect(secrets.SECRET_KEY).toMatch(/^\$\{aws_secretsmanager_secret\.[\w-]+\.arn\}$/);
  });

  it('generates SECRET_KEY with the random provider into Secrets Manager', () => {
    const password = onlyResource(json, 'random_password');
    expect(password).toMatchObject({ length: 64, special: false });
    expect(onlyResource(json, 'aws_secretsmanager_secret').name).toBe(`${prefix}-api-secret-key`);
    expect(onlyResource(json, 'aws_secretsmanager_secret_version').secret_string).toMatch(
      /^\$\{random_password\.[\w-]+\.result\}$/,
    );
  });

  it('lets the execution role read exactly the container secrets, besides the managed policy', () => {
    const roles = Object.values(resourcesOf(json, 'aws_iam_role'));
    expect(roles.map((r) => r.name).sort()).toEqual([`${prefix}-api-execution`, `${prefix}-api-task`]);
    for (const role of roles) {
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
    }
    expect(onlyResource(json, 'aws_iam_role_policy_attachment')).toMatchObject({
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    });
    const policy = policyOf(json, 'read-container-secrets');
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Action).toBe('secretsmanager:GetSecretValue');
    const resources = policy.Statement[0].Resource as string[];
    expect(resources).toHaveLength(3);
    expect(resources.slice(0, 2)).toEqual([RDS_SECRET, REDIS_SECRET]);
    expect(resources[2]).toMatch(/^\$\{aws_secretsmanager_secret\.[\w-]+\.arn\}$/);
  });

  it('gives the task role the video bucket and the ECS Exec channels only', () => {
    const statements = policyOf(json, 'api-task').Statement as Json[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.VideoObjects).toMatchObject({
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${VIDEO_BUCKET}/*`,
    });
    expect(bySid.VideoList).toMatchObject({ Action: 's3:ListBucket', Resource: VIDEO_BUCKET });
    expect(bySid.EcsExecChannels.Action).toEqual([
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
    ]);
    expect(bySid.EcsExecWriteLogs.Resource).toMatch(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}:\*$/);
    // Row 47: no "*" action; "*" resources only for actions without resource-level permissions.
    const all = [...statements, ...(policyOf(json, 'read-container-secrets').Statement as Json[])];
    for (const s of all) expect([s.Action].flat()).not.toContain('*');
    const starActions = all.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
    expect(starActions.every((a) => a.startsWith('ssmmessages:') || a === 'logs:DescribeLogGroups')).toBe(
      true,
    );
  });

  it('runs the service privately under the CODE_DEPLOY controller, with ECS Exec', () => {
    const service = onlyResource(json, 'aws_ecs_service');
    expect(service).toMatchObject({
      name: `${prefix}-api`,
      desired_count: env.desired,
      deployment_maximum_percent: 200,
      deployment_minimum_healthy_percent: 50,
      deployment_controller: { type: 'CODE_DEPLOY' },
      enable_execute_command: true,
      health_check_grace_period_seconds: 60,
      propagate_tags: 'SERVICE',
      wait_for_steady_state: false,
      capacity_provider_strategy: [{ capacity_provider: 'FARGATE', base: 1, weight: 1 }],
      network_configuration: {
        subnets: ['subnet-private-a', 'subnet-private-c'],
        assign_public_ip: false,
      },
      load_balancer: [{ container_name: 'api', container_port: 8000 }],
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
    expect(service.deployment_circuit_breaker).toBeUndefined();
    expect(service.load_balancer[0].target_group_arn).toMatch(
      /^\$\{aws_lb_target_group\.api_target-group_[0-9A-F]+\.arn\}$/,
    );
    expect(service.launch_type).toBeUndefined();
    expect(service.network_configuration.security_groups).toHaveLength(1);
  });

  it('puts an internet-facing ALB in the public subnets that drops invalid headers', () => {
    expect(text).toHaveResourceWithProperties(Lb, {
      load_balancer_type: 'application',
      internal: false,
      subnets: ['subnet-public-a', 'subnet-public-c'],
      drop_invalid_header_fields: true,
      enable_deletion_protection: env.prod,
      idle_timeout: 60,
    });
    const alb = onlyResource(json, 'aws_lb');
    expect(alb.name.length).toBeLessThanOrEqual(32);
    expect(alb.tags.Name).toBe(`${prefix}-alb`);
    if (env.prod) {
      expect(alb.access_logs).toEqual({
        bucket: 'ecg-video-pipeline-production-logs',
        prefix: 'alb',
        enabled: true,
      });
    } else {
      expect(alb.access_logs).toBeUndefined();
    }
  });

  it('routes HTTP 80 to an ip target group on 8000 with the documented health check, and has a green twin', () => {
    const groups = resourcesOf(json, 'aws_lb_target_group');
    const blueId = Object.keys(groups).find((id) => /^api_target-group_[0-9A-F]+$/.test(id))!;
    const greenId = Object.keys(groups).find((id) => /^api_target-group-green_[0-9A-F]+$/.test(id))!;
    expect(Object.keys(groups).sort()).toEqual([blueId, greenId].sort());
    const tg = groups[blueId];
    const { name: greenName, tags: greenTags, ...green } = groups[greenId];
    const { name: blueName, tags: blueTags, ...blue } = tg;
    expect(green).toEqual(blue);
    expect([blueName, greenName].every((n: string) => n.length <= 32)).toBe(true);
    expect(greenName).not.toBe(blueName);
    expect(greenTags).toEqual({ Name: `${prefix}-api-green` });
    expect(blueTags).toEqual({ Name: `${prefix}-api` });
    expect(tg).toMatchObject({
      target_type: 'ip',
      protocol: 'HTTP',
      port: 8000,
      health_check: {
        enabled: true,
        path: '/health',
        interval: 30,
        timeout: 5,
        healthy_threshold: 5,
        unhealthy_threshold: 2,
        matcher: '200',
      },
    });
    const listeners = Object.values(resourcesOf(json, 'aws_lb_listener'));
    expect(listeners.map((l) => [l.port, l.protocol])).toEqual([
      [80, 'HTTP'],
      [8080, 'HTTP'],
    ]);
    for (const listener of listeners) {
      // CodeDeploy swaps the forward target on a release; Terraform must leave it.
      expect(listener).toMatchObject({ default_action: [{ type: 'forward' }] });
      expect(listener.default_action[0].target_group_arn).toBe(`\${aws_lb_target_group.${blueId}.arn}`);
      expect(listener.lifecycle).toEqual({ ignore_changes: ['default_action'] });
    }
  });

  it('opens only 80/443 to the internet, on the ALB, and 8000 between ALB and tasks', () => {
    const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    const egress = Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'));
    for (const rule of [...ingress, ...egress]) expect(rule.description).toEqual(expect.any(String));
    const fromCidr = ingress.filter((r) => r.cidr_ipv4 || r.cidr_ipv6);
    expect(fromCidr.map((r) => [r.cidr_ipv4, r.from_port]).sort()).toEqual([
      ['0.0.0.0/0', 443],
      ['0.0.0.0/0', 80],
    ]);
    const groups = resourcesOf(json, 'aws_security_group');
    const idOf = (name: string) => {
      const key = Object.keys(groups).find((k) => groups[k].name === name);
      return `\${aws_security_group.${key}.id}`;
    };
    const alb = idOf(`${prefix}-alb`);
    const api = idOf(`${prefix}-api`);
    expect(fromCidr.every((r) => r.security_group_id === alb)).toBe(true);
    expect(ingress).toContainEqual(
      expect.objectContaining({ security_group_id: api, referenced_security_group_id: alb, from_port: 8000 }),
    );
    expect(egress).toEqual([
      expect.objectContaining({ security_group_id: alb, referenced_security_group_id: api, from_port: 8000 }),
    ]);
  });

  it('scales on CPU 70 % and memory within the environment range', () => {
    expect(text).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      min_capacity: env.min,
      max_capacity: env.max,
    });
    const target = onlyResource(json, 'aws_appautoscaling_target');
    expect(target.resource_id).toMatch(
      /^service\/\$\{aws_ecs_cluster\..*\.name\}\/\$\{aws_ecs_service\..*\.name\}$/,
    );
    const policies = Object.values(resourcesOf(json, 'aws_appautoscaling_policy')).map((p) => [
      p.policy_type,
      p.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type,
      p.target_tracking_scaling_policy_configuration.target_value,
    ]);
    expect(policies).toEqual([
      ['TargetTrackingScaling', 'ECSServiceAverageCPUUtilization', 70],
      ['TargetTrackingScaling', 'ECSServiceAverageMemoryUtilization', 80],
    ]);
  });
});

describe('EcsApiService options', () => {
  const staging = stagingConfig(settings);
  const production = productionConfig(settings);

  it('serves HTTPS 443 with the TLS 1.3/1.2 policy and redirects 80 when a certificate is set', () => {
    const json = synthApi(propsFor(production, { certificateArn: CERT }));
    const listeners = Object.values(resourcesOf(json, 'aws_lb_listener'));
    const https = listeners.find((l) => l.port === 443);
    const http = listeners.find((l) => l.port === 80);
    expect(https).toMatchObject({
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: CERT,
      default_action: [{ type: 'forward' }],
    });
    expect(http).toMatchObject({
      protocol: 'HTTP',
      default_action: [
        { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } },
      ],
    });
    expect(onlyResource(json, 'aws_ecs_service').depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_lb_listener\./)]),
    );
  });

  /** Addresses of the listeners and listener rules whose action forwards to the target group. */
  function forwarders(json: Json): string[] {
    const tg = Object.keys(resourcesOf(json, 'aws_lb_target_group')).find((id) => !id.includes('green'));
    const forwards = (actions: Json[] | undefined) =>
      (actions ?? []).some(
        (a) => a.type === 'forward' && a.target_group_arn === `\${aws_lb_target_group.${tg}.arn}`,
      );
    const out: string[] = [];
    for (const [name, l] of Object.entries(resourcesOf(json, 'aws_lb_listener')))
      if (forwards(l.default_action)) out.push(`aws_lb_listener.${name}`);
    for (const [name, r] of Object.entries(resourcesOf(json, 'aws_lb_listener_rule')))
      if (forwards(r.action)) out.push(`aws_lb_listener_rule.${name}`);
    return out;
  }

  // ECS CreateService fails with "The target group ... does not have an associated load balancer"
  // when the listener or rule that attaches the target group does not exist yet.
  it.each([
    // The blue/green test listener forwards to the blue group too, in every case.
    ['plain HTTP', propsFor(staging), false, 2],
    ['HTTPS with a certificate', propsFor(production, { certificateArn: CERT }), false, 2],
    ['HTTP behind the origin header', propsFor(production), true, 2],
    ['HTTPS behind the origin header', propsFor(production, { certificateArn: CERT }), true, 3],
  ] as const)(
    'creates the service only after every listener and rule that forwards to its target group exists (%s)',
    (_, props, header, expected) => {
      const json = synthApi(props, (api) => {
        if (header) api.requireHeader('X-Origin-Verify', '${random_password.origin.result}');
      });
      const needed = forwarders(json);
      expect(needed).toHaveLength(expected);
      expect(onlyResource(json, 'aws_ecs_service').depends_on).toEqual(expect.arrayContaining(needed));
    },
  );

  it('uses the CODE_DEPLOY controller and ignores what a CodeDeploy deployment owns (ECS API reference, UpdateService)', () => {
    const service = onlyResource(synthApi(propsFor(staging)), 'aws_ecs_service');
    expect(service.deployment_controller).toEqual({ type: 'CODE_DEPLOY' });
    expect(service.deployment_circuit_breaker).toBeUndefined();
    expect(service.lifecycle.ignore_changes).toEqual([
      'desired_count',
      'task_definition',
      'load_balancer',
      'network_configuration',
      'platform_version',
      'capacity_provider_strategy',
    ]);
  });

  it('answers only requests with the origin header once requireHeader is called', () => {
    const json = synthApi(propsFor(production, { certificateArn: CERT }), (api) =>
      api.requireHeader('X-Origin-Verify', '${random_password.origin.result}'),
    );
    const https = Object.values(resourcesOf(json, 'aws_lb_listener')).find((l) => l.port === 443);
    expect(https?.default_action).toEqual([
      {
        type: 'fixed-response',
        fixed_response: { content_type: 'text/plain', status_code: '403', message_body: 'Forbidden' },
      },
    ]);
    const http = Object.values(resourcesOf(json, 'aws_lb_listener')).find((l) => l.port === 80);
    expect(http?.default_action[0].type).toBe('redirect');
    const rules = Object.values(resourcesOf(json, 'aws_lb_listener_rule'));
    expect(rules.map((r) => r.listener_arn).sort()).toEqual([
      expect.stringMatching(/aws_lb_listener\.[\w-]*http_[\w-]*\.arn/),
      expect.stringMatching(/aws_lb_listener\.[\w-]*https[\w-]*\.arn/),
    ]);
    for (const rule of rules) {
      expect(rule.priority).toBe(1);
      expect(rule.condition).toEqual([
        {
          http_header: { http_header_name: 'X-Origin-Verify', values: ['${random_password.origin.result}'] },
        },
      ]);
      expect(rule.action).toEqual([
        { type: 'forward', target_group_arn: expect.stringMatching(/aws_lb_target_group/) },
      ]);
    }
  });

  it('fails when requireHeader is called twice or with a bad header name', () => {
    expect(() =>
      synthApi(propsFor(staging), (api) => {
        api.requireHeader('X-Origin-Verify', 'a');
        api.requireHeader('X Origin', 'b');
      }),
    ).toThrow(
      /was already called: one origin header per ALB\n.*requireHeader\.headerName X Origin must be an HTTP header name of 1-40 characters/,
    );
  });

  it('writes a bucket statement for ALB access logs with the regional ELB account', () => {
    let statement: unknown;
    synthApi(propsFor(production), (api) => {
      statement = api.accessLogsBucketStatement('arn:aws:s3:::logs');
    });
    expect(statement).toEqual({
      Sid: 'AlbAccessLogs',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::600734575887:root' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::logs/alb/AWSLogs/*',
    });
    synthApi(propsFor(production, { region: 'ap-southeast-5', accessLogsPrefix: 'lb/api' }), (api) => {
      statement = api.accessLogsBucketStatement('arn:aws:s3:::logs');
    });
    expect(statement).toMatchObject({
      Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
      Resource: 'arn:aws:s3:::logs/lb/api/AWSLogs/*',
    });
  });

  it('keeps ALB and target group names within 32 characters, stable and distinct', () => {
    const names = (props: EcsApiServiceProps) => {
      const json = synthApi(props);
      const groups = Object.values(resourcesOf(json, 'aws_lb_target_group')).map((g) => g.name as string);
      return [
        onlyResource(json, 'aws_lb').name,
        ...groups.sort((a, b) => Number(a.endsWith('-green')) - Number(b.endsWith('-green'))),
      ];
    };
    expect(names(propsFor(staging))).toEqual([
      'ecg-video-pipeline-staging-alb',
      'ecg-video-pipeline-staging-api',
      // 36 characters: shortened with a hash of the full name, like the production names.
      'ecg-video-pipelin-ee12-api-green',
    ]);
    const [alb, tg, green] = names(propsFor(production));
    expect(alb).toMatch(/^ecg-video-pipeline-prod-[0-9a-f]{4}-alb$/);
    expect(tg).toMatch(/^ecg-video-pipeline-prod-[0-9a-f]{4}-api$/);
    expect(green).toMatch(/^ecg-video-pipelin-[0-9a-f]{4}-api-green$/);
    expect(names(propsFor(production))).toEqual([alb, tg, green]);
  });

  it('exposes allowFrom / allowTo on the API group for the stack wiring', () => {
    const json = synthApi(propsFor(staging), (api) => {
      api.allowFrom(Peer.securityGroup('sg-model', 'model'), 8000, 'Callbacks from the model servers');
      api.allowTo(Peer.securityGroup('sg-db', 'db'), 5432, 'PostgreSQL');
      api.allowTo(Peer.anyIpv4(), 443, 'HTTPS to AWS APIs and ECR');
    });
    const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress).toContainEqual(
      expect.objectContaining({ referenced_security_group_id: 'sg-model', from_port: 8000 }),
    );
    const egress = Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'));
    expect(egress).toContainEqual(
      expect.objectContaining({ referenced_security_group_id: 'sg-db', from_port: 5432 }),
    );
    expect(egress).toContainEqual(expect.objectContaining({ cidr_ipv4: '0.0.0.0/0', from_port: 443 }));
  });

  it('leaves ECS Exec out entirely when it is switched off', () => {
    const json = synthApi(propsFor(staging, { enableExecuteCommand: false }));
    expect(onlyResource(json, 'aws_ecs_service').enable_execute_command).toBe(false);
    const actions = (policyOf(json, 'api-task').Statement as Json[]).flatMap((s) => [s.Action].flat());
    expect(actions.some((a) => a.startsWith('ssmmessages:') || a.startsWith('logs:'))).toBe(false);
    expect(containerOf(json).mountPoints).toEqual([
      { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
    ]);
  });

  it('adds FARGATE_SPOT to the service strategy when it has a weight', () => {
    const json = synthApi(propsFor(staging, { fargateSpotWeight: 3 }));
    expect(onlyResource(json, 'aws_ecs_service').capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE', base: 1, weight: 1 },
      { capacity_provider: 'FARGATE_SPOT', base: 0, weight: 3 },
    ]);
  });

  it('puts an internal ALB in the private subnets, open only to what allowToAlb admits', () => {
    const json = synthApi(propsFor(production, { certificateArn: CERT, internalAlb: true }), (api) => {
      expect(api.albInternal).toBe(true);
      api.allowToAlb(Peer.ipv4('10.0.0.0/16', 'vpc'), 443, 'CloudFront VPC origin');
    });
    expect(onlyResource(json, 'aws_lb')).toMatchObject({
      internal: true,
      subnets: ['subnet-private-a', 'subnet-private-c'],
    });
    const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    const fromCidr = ingress.filter((r) => r.cidr_ipv4 || r.cidr_ipv6);
    expect(fromCidr.map((r) => [r.cidr_ipv4, r.from_port, r.description])).toEqual([
      ['10.0.0.0/16', 443, 'CloudFront VPC origin'],
    ]);
    // The group keeps its name and description, so switching an existing stack does not replace it.
    const group = Object.values(resourcesOf(json, 'aws_security_group')).find((g) =>
      String(g.name).endsWith('-alb'),
    )!;
    expect(group.description).toBe('Internet-facing ALB of the ecg-video-pipeline-production API');
    // The service still waits for every listener that forwards to its target group.
    const service = onlyResource(json, 'aws_ecs_service');
    const listeners = Object.keys(resourcesOf(json, 'aws_lb_listener')).map((n) => `aws_lb_listener.${n}`);
    expect(service.depends_on).toEqual(expect.arrayContaining(listeners));
  });

  it('fails when an internal ALB has fewer than two private subnets', () => {
    expect(() =>
      synthApi(propsFor(production, { internalAlb: true, privateSubnetIds: ['subnet-private-a'] })),
    ).toThrow(
      'privateSubnetIds ["subnet-private-a"] must list at least two subnets with internalAlb (the ALB then spans the private subnets)',
    );
  });

  it('fails when the props are invalid, naming every problem at once', () => {
    let error: unknown;
    try {
      synthApi(
        propsFor(staging, {
          namePrefix: 'Bad_Prefix',
          publicSubnetIds: ['subnet-public-a'],
          cpu: 512,
          memoryMiB: 512,
          logRetentionDays: 10,
          desiredCount: 5,
          environment: { DATABASE_PASSWORD: 'hunter2', 'BAD-NAME': 'x' },
          secrets: [
            { name: 'REDIS_URL', secretArn: `${RDS_SECRET}:password::` },
            { name: 'REDIS_URL', secretArn: REDIS_SECRET },
          ],
          healthCheck: { ...staging.api.healthCheck, command: ['curl -f http://localhost:8000/health'] },
          targetHealthCheck: { ...staging.alb.healthCheck, timeoutSeconds: 30 },
          sslPolicy: 'ELBSecurityPolicy-2016-08',
          certificateArn: 'not-an-arn',
        }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).issues.map(
      (i) => `${i.path.replace(/^.*?api\./, 'api.')} ${i.rule}`,
    );
    expect(lines).toEqual([
      'api.namePrefix must be 2-40 lowercase letters, digits or hyphens, starting with a letter (names like <namePrefix>-api-execution must fit AWS limits)',
      'api.publicSubnetIds must list at least two subnets (an ALB spans two or more AZs)',
      'api.memoryMiB is not a Fargate memory size allowed with cpu 512',
      'api.healthCheck.command must start with CMD or CMD-SHELL followed by the command',
      "api.logRetentionDays must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      'api.environment.DATABASE_PASSWORD looks like a secret: pass it through secrets (Secrets Manager), never as plain environment',
      'api.environment.BAD-NAME must be an environment variable name (letters, digits, _)',
      'api.secrets[0].secretArn must be a Secrets Manager secret ARN without a :key:: suffix',
      'api.secrets[1].name is listed twice',
      'api.desiredCount must satisfy minCapacity <= desiredCount <= maxCapacity (1, 2)',
      'api.certificateArn must be an ACM certificate ARN',
      'api.sslPolicy must be an ELB security policy that requires TLS 1.2+',
      'api.targetHealthCheck.timeoutSeconds must be less than intervalSeconds (30)',
    ]);
    // The plaintext value of a secret-looking variable is never echoed.
    expect((error as Error).message).not.toContain('hunter2');
    expect((error as Error).message).toContain(
      'api.environment.DATABASE_PASSWORD (value hidden) looks like a secret',
    );
  });

  it('fails when a secret collides with the generated SECRET_KEY or a plain variable', () => {
    expect(() =>
      synthApi(
        propsFor(staging, {
          environment: { REDIS_URL: 'redis://x' },
          secrets: [
            { name: 'SECRET_KEY', secretArn: REDIS_SECRET },
            { name: 'REDIS_URL', secretArn: REDIS_SECRET },
          ],
        }),
      ),
    ).toThrow(
      /api\.secrets\[0\]\.name SECRET_KEY is reserved: this construct generates SECRET_KEY\n.*api\.secrets\[1\]\.name REDIS_URL is also a plain environment variable/,
    );
  });
});
