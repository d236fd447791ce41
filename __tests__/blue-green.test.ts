import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiRelease } from '../src/modules/api-release';
import type { OfflinePlanResult } from '../src/tools/offline-plan';
import { defaultStackPlan } from './support/shared';
import { synthStack } from './support/app';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';

/**
 * Blue/green releases of the API (issue 19): CodeDeploy owns the service's revision and the
 * listeners' forward target; the group rolls back on failure and on the API's own alarms.
 */
describe.each(['staging', 'production'] as const)('%s blue/green release', (stack) => {
  const json = synthStack(stack);
  const prefix = `ecg-video-pipeline-${stack}`;
  const group = onlyResource(json, 'aws_codedeploy_deployment_group');
  const vpcCidr = onlyResource(json, 'aws_vpc').cidr_block as string;

  it('runs the API service under the CODE_DEPLOY controller, ignoring what a deployment owns', () => {
    const service = onlyResource(json, 'aws_ecs_service');
    expect(service.deployment_controller).toEqual({ type: 'CODE_DEPLOY' });
    expect(service.deployment_circuit_breaker).toBeUndefined();
    // ECS API reference, UpdateService: under CODE_DEPLOY only a deployment changes these.
    expect(service.lifecycle.ignore_changes).toEqual([
      'desired_count',
      'task_definition',
      'load_balancer',
      'network_configuration',
      'platform_version',
      'capacity_provider_strategy',
    ]);
  });

  it('lets CodeDeploy switch the listeners: Terraform ignores their forward target', () => {
    for (const listener of Object.values(resourcesOf(json, 'aws_lb_listener')))
      if (String(listener.load_balancer_arn).includes('aws_lb.api_alb_'))
        expect(listener.lifecycle).toEqual({ ignore_changes: ['default_action'] });
  });

  it('is an ECS application with a BLUE_GREEN, WITH_TRAFFIC_CONTROL group on the API service', () => {
    expect(onlyResource(json, 'aws_codedeploy_app')).toMatchObject({
      name: `${prefix}-api`,
      compute_platform: 'ECS',
    });
    expect(group).toMatchObject({
      deployment_group_name: `${prefix}-api`,
      app_name: '${aws_codedeploy_app.api-release_app_5BDB2AD2.name}',
      deployment_style: { deployment_type: 'BLUE_GREEN', deployment_option: 'WITH_TRAFFIC_CONTROL' },
      ecs_service: {
        cluster_name: '${aws_ecs_cluster.api_cluster_D10E70AD.name}',
        service_name: '${aws_ecs_service.api_service_298EA376.name}',
      },
      blue_green_deployment_config: {
        deployment_ready_option: { action_on_timeout: 'CONTINUE_DEPLOYMENT' },
        terminate_blue_instances_on_deployment_success: {
          action: 'TERMINATE',
          termination_wait_time_in_minutes: stack === 'production' ? 15 : 5,
        },
      },
    });
  });

  it('routes production through the serving listener and tests through the VPC-only listener, blue then green', () => {
    expect(group.load_balancer_info.target_group_pair_info).toEqual({
      prod_traffic_route: { listener_arns: ['${aws_lb_listener.api_http_E1D2E7D4.arn}'] },
      test_traffic_route: { listener_arns: ['${aws_lb_listener.api_test-listener_E8C4CD66.arn}'] },
      target_group: [
        { name: '${aws_lb_target_group.api_target-group_2F997EC1.name}' },
        { name: '${aws_lb_target_group.api_target-group-green_C7C7AA8D.name}' },
      ],
    });
    expect(resourcesOf(json, 'aws_lb_listener')['api_test-listener_E8C4CD66']).toMatchObject({
      port: 8080,
      protocol: 'HTTP',
      default_action: [
        { type: 'forward', target_group_arn: '${aws_lb_target_group.api_target-group_2F997EC1.arn}' },
      ],
    });
  });

  it('rolls back on failure and on the API alarms, named by reference (5xx, p95 latency, unhealthy targets)', () => {
    expect(group.auto_rollback_configuration).toEqual({
      enabled: true,
      events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
    });
    expect(group.alarm_configuration).toEqual({
      enabled: true,
      alarms: [
        '${aws_cloudwatch_metric_alarm.monitoring_alb-5xx_2884BC64.alarm_name}',
        '${aws_cloudwatch_metric_alarm.monitoring_alb-latency-p95_5A601C32.alarm_name}',
        '${aws_cloudwatch_metric_alarm.monitoring_alb-unhealthy-targets_4D24F7F3.alarm_name}',
      ],
    });
  });

  it('watches unhealthy targets in both target groups: the serving one changes with every release', () => {
    const alarm = resourcesOf(json, 'aws_cloudwatch_metric_alarm')[
      'monitoring_alb-unhealthy-targets_4D24F7F3'
    ];
    const queries = Object.fromEntries((alarm.metric_query as Json[]).map((q) => [q.id, q]));
    expect(queries.unhealthy).toMatchObject({ expression: 'MAX([blue, green])', return_data: true });
    expect(queries.blue.metric.dimensions.TargetGroup).toBe(
      '${aws_lb_target_group.api_target-group_2F997EC1.arn_suffix}',
    );
    expect(queries.green.metric.dimensions.TargetGroup).toBe(
      '${aws_lb_target_group.api_target-group-green_C7C7AA8D.arn_suffix}',
    );
  });

  it('admits the test listener port from the VPC range only, never from the internet', () => {
    const onTestPort = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).filter(
      (r) => r.from_port === 8080 && String(r.security_group_id).includes('api_alb-sg_group_'),
    );
    expect(onTestPort.map((r) => [r.cidr_ipv4, r.cidr_ipv6, r.to_port])).toEqual([
      [vpcCidr, undefined, 8080],
    ]);
    expect(onTestPort[0].cidr_ipv4).not.toBe('0.0.0.0/0');
  });

  it('gives CodeDeploy a role it alone assumes, with the AWS managed policy for ECS', () => {
    const role = resourcesOf(json, 'aws_iam_role')['api-release_service-role_AC1F4961'];
    expect(JSON.parse(role.assume_role_policy as string).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(
      resourcesOf(json, 'aws_iam_role_policy_attachment')['api-release_service-role-managed_17411C85'],
    ).toEqual({
      role: '${aws_iam_role.api-release_service-role_AC1F4961.name}',
      policy_arn: 'arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS',
    });
  });

  it('exports what a release names, by reference', () => {
    expect(json.output.api_codedeploy_application.value).toBe(
      '${aws_codedeploy_app.api-release_app_5BDB2AD2.name}',
    );
    expect(json.output.api_codedeploy_deployment_group.value).toBe(
      '${aws_codedeploy_deployment_group.api-release_group_479A196C.deployment_group_name}',
    );
    expect(json.output.api_task_definition_arn.value).toBe(
      '${aws_ecs_task_definition.api_task-definition_E5CCD028.arn}',
    );
    expect(json.output.api_container_name.value).toBe('api');
    expect(json.output.api_container_port.value).toBe(8000);
  });

  // CodeDeploy API reference, CreateDeployment: revision {revisionType: AppSpecContent,
  // appSpecContent: {content}}; ECS AppSpec reference: version 0.0, one TargetService.
  it('exports the revision create-deployment takes, as Terraform evaluates it (real terraform)', () => {
    const template = json.output.api_release_revision.value as string;
    const arn = 'arn:aws:ecs:ap-northeast-2:111122223333:task-definition/p-api:7';
    const dir = mkdtempSync(join(tmpdir(), 'release-revision-'));
    try {
      // The same template string, with the task definition ARN as a variable Terraform knows at plan.
      const config = {
        variable: { td: { type: 'string' } },
        output: {
          revision: {
            value: template.replace(
              '${aws_ecs_task_definition.api_task-definition_E5CCD028.arn}',
              '${var.td}',
            ),
          },
        },
      };
      expect(config.output.revision.value).toContain('${var.td}');
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
      const env = {
        ...process.env,
        HTTPS_PROXY: 'http://127.0.0.1:9',
        HTTP_PROXY: 'http://127.0.0.1:9',
        TF_IN_AUTOMATION: '1',
      };
      const run = (args: string[]) => {
        const r = spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        return r.stdout;
      };
      run(['init', '-input=false', '-backend=false']);
      run(['plan', '-input=false', '-refresh=false', `-var=td=${arn}`, '-out=plan']);
      const planned = JSON.parse(run(['show', '-json', 'plan'])).planned_values.outputs.revision.value;
      expect(JSON.parse(planned)).toEqual({
        revisionType: 'AppSpecContent',
        appSpecContent: {
          content:
            '{"version":0.0,"Resources":[{"TargetService":{"Type":"AWS::ECS::Service","Properties":' +
            '{"TaskDefinition":"arn:aws:ecs:ap-northeast-2:111122223333:task-definition/p-api:7",' +
            '"LoadBalancerInfo":{"ContainerName":"api","ContainerPort":8000}}}}]}',
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('redeploys on a secret change by creating a CodeDeploy deployment in this group', () => {
    const definition = JSON.parse(onlyResource(json, 'aws_sfn_state_machine').definition as string);
    expect(definition.States.CreateDeployment).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:codedeploy:createDeployment',
      Parameters: {
        ApplicationName: '${aws_codedeploy_app.api-release_app_5BDB2AD2.name}',
        DeploymentGroupName:
          '${aws_codedeploy_deployment_group.api-release_group_479A196C.deployment_group_name}',
        Revision: { RevisionType: 'AppSpecContent' },
      },
    });
    expect(JSON.stringify(definition)).not.toContain('updateService');
  });
});

describe('traffic shift per environment', () => {
  it('moves staging all at once (CodeDeployDefault.ECSAllAtOnce), with no custom configuration', () => {
    const json = synthStack('staging');
    expect(onlyResource(json, 'aws_codedeploy_deployment_group').deployment_config_name).toBe(
      'CodeDeployDefault.ECSAllAtOnce',
    );
    expect(resourcesOf(json, 'aws_codedeploy_deployment_config')).toEqual({});
  });

  it('moves production by a TimeBasedCanary: 10 % for 10 minutes under the alarms, then 100 % (CodeDeploy has two steps)', () => {
    const json = synthStack('production');
    const config = onlyResource(json, 'aws_codedeploy_deployment_config');
    expect(config).toMatchObject({
      deployment_config_name: 'ecg-video-pipeline-production-api-canary-10pct-10min',
      compute_platform: 'ECS',
      traffic_routing_config: {
        type: 'TimeBasedCanary',
        time_based_canary: { percentage: 10, interval: 10 },
      },
      lifecycle: { create_before_destroy: true },
    });
    expect(onlyResource(json, 'aws_codedeploy_deployment_group').deployment_config_name).toBe(
      '${aws_codedeploy_deployment_config.api-release_canary_99AAF856.deployment_config_name}',
    );
  });
});

describe('the READMEs state what the stacks synthesize', () => {
  const section = (file: string, heading: string) => {
    const text = readFileSync(join(__dirname, '..', file), 'utf8');
    const start = text.indexOf(`## ${heading}\n`);
    expect(start).toBeGreaterThan(0);
    return text.slice(start, text.indexOf('\n## ', start + 1)).replace(/\s+/g, ' ');
  };

  it('README.md, Releases: test port 8080, staging all at once, production 10 % for 10 minutes, waits 5 and 15', () => {
    const text = section('README.md', 'Releases (blue/green)');
    for (const fact of [
      'port 8080',
      'staging all at once (`CodeDeployDefault.ECSAllAtOnce`)',
      'production 10 % for 10 minutes, then 100 %',
      '(staging 5 minutes, production 15)',
      'aws deploy stop-deployment --deployment-id "$ID" --auto-rollback-enabled',
      '--revision "$(out api_release_revision)"',
    ])
      expect(text).toContain(fact);
  });

  it('README.ko.md, 릴리스: the same numbers', () => {
    const text = section('README.ko.md', '릴리스 (블루/그린)');
    for (const fact of [
      '포트 8080',
      '(`CodeDeployDefault.ECSAllAtOnce`)',
      '프로덕션은 10 %를 10분 동안, 그다음 100 %',
      '(스테이징 5분, 프로덕션 15분)',
      'aws deploy stop-deployment --deployment-id "$ID" --auto-rollback-enabled',
      '--revision "$(out api_release_revision)"',
    ])
      expect(text).toContain(fact);
  });
});

describe('ApiRelease props', () => {
  const base = {
    namePrefix: 'ecg-video-pipeline-staging',
    region: 'ap-northeast-2',
    accountId: '123456789012',
    clusterName: 'c',
    serviceName: 's',
    productionListenerArn: 'arn:prod',
    testListenerArn: 'arn:test',
    blueTargetGroupName: 'blue',
    greenTargetGroupName: 'green',
    alarmNames: ['a'],
  };

  it('fails when the alarms are none or more than CodeDeploy takes, or the canary or wait is out of range', () => {
    expect(
      errorOf(() =>
        synthScope(
          (scope) =>
            void new ApiRelease(scope, 'release', {
              ...base,
              alarmNames: Array.from({ length: 11 }, (_, i) => `alarm-${i}`),
              canary: { percentage: 100, intervalMinutes: 0 },
              terminationWaitMinutes: 2881,
            }),
        ),
      ),
    ).toMatch(
      /alarmNames .* must name 1 to 10 alarms[\s\S]*canary\.percentage 100 [\s\S]*canary\.intervalMinutes 0 [\s\S]*terminationWaitMinutes 2881 /,
    );
    expect(
      errorOf(() =>
        synthScope((scope) => void new ApiRelease(scope, 'release', { ...base, alarmNames: [] })),
      ),
    ).toMatch(/alarmNames \[\] must name 1 to 10 alarms/);
  });

  const alarms = (count: number) => Array.from({ length: count }, (_, i) => `alarm-${i + 1}`);

  it('fails when the name prefix is bad', () => {
    expect(
      errorOf(() =>
        synthScope(
          (scope) => void new ApiRelease(scope, 'release', { ...base, namePrefix: 'Ecg--staging-' }),
        ),
      ),
    ).toBe(
      [
        'Invalid configuration (1 problem):',
        '  - stack/release.namePrefix Ecg--staging- must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
      ].join('\n'),
    );
  });

  it('accepts exactly 10 alarms, the most CodeDeploy takes', () => {
    const json = synthScope(
      (scope) => void new ApiRelease(scope, 'release', { ...base, alarmNames: alarms(10) }),
    );
    expect(onlyResource(json, 'aws_codedeploy_deployment_group').alarm_configuration).toEqual({
      enabled: true,
      alarms: [
        'alarm-1',
        'alarm-2',
        'alarm-3',
        'alarm-4',
        'alarm-5',
        'alarm-6',
        'alarm-7',
        'alarm-8',
        'alarm-9',
        'alarm-10',
      ],
    });
  });

  it('fails when 11 alarms are named', () => {
    expect(
      errorOf(() =>
        synthScope((scope) => void new ApiRelease(scope, 'release', { ...base, alarmNames: alarms(11) })),
      ),
    ).toBe(
      [
        'Invalid configuration (1 problem):',
        '  - stack/release.alarmNames ["alarm-1","alarm-2","alarm-3","alarm-4","alarm-5","alarm-6","alarm-7","alarm-8","alarm-9","alarm-10","alarm-11"] must name 1 to 10 alarms (CodeDeploy takes at most 10)',
      ].join('\n'),
    );
  });

  it('names and describes the CodeDeploy service role, which only codedeploy.amazonaws.com assumes', () => {
    const role = onlyResource(
      synthScope((scope) => void new ApiRelease(scope, 'release', base)),
      'aws_iam_role',
    );
    expect({ name: role.name, description: role.description }).toEqual({
      name: 'ecg-video-pipeline-staging-api-codedeploy',
      description: 'CodeDeploy: blue/green releases of the API service',
    });
    expect(JSON.parse(role.assume_role_policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
  });

  it('names the predefined configuration by ARN for the redeploy policy when traffic moves all at once', () => {
    let arn = '';
    synthScope((scope) => {
      arn = new ApiRelease(scope, 'release', base).deploymentConfigArn;
    });
    expect(arn).toBe(
      'arn:aws:codedeploy:ap-northeast-2:123456789012:deploymentconfig:CodeDeployDefault.ECSAllAtOnce',
    );
  });
});

describe('offline plan of the release parts', () => {
  const results: Record<string, OfflinePlanResult> = {};
  beforeAll(async () => {
    for (const stack of ['staging', 'production'] as const) results[stack] = await defaultStackPlan(stack);
  });

  it.each(['staging', 'production'])('%s plans the CodeDeploy resources, only additions', (stack) => {
    const r = results[stack];
    expect([r.change, r.destroy]).toEqual([0, 0]);
    expect(r.resourceTypes).toMatchObject({
      aws_codedeploy_app: 1,
      aws_codedeploy_deployment_group: 1,
      // The API's blue and green groups and the model servers' group.
      aws_lb_target_group: 3,
    });
    expect(r.resourceTypes.aws_codedeploy_deployment_config ?? 0).toBe(stack === 'production' ? 1 : 0);
    const planned = (r.plan.planned_values.root_module.resources as Json[]).find(
      (p) => p.type === 'aws_codedeploy_deployment_group',
    )!;
    expect(planned.values.deployment_style).toEqual([
      { deployment_option: 'WITH_TRAFFIC_CONTROL', deployment_type: 'BLUE_GREEN' },
    ]);
  });
});
