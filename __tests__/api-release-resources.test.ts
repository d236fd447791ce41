import { TerraformOutput } from 'cdktf';
import { ApiRelease, type ApiReleaseProps } from '../src/modules/api-release';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

/**
 * CodeDeploy releases of the API (src/modules/api-release.ts) built on their own: the deployment
 * group read whole for the all-at-once default and for a canary, the default termination wait,
 * and each rule at its edges (blue-green.test.ts reads the stacks' releases).
 */

const BASE: ApiReleaseProps = {
  namePrefix: 'p-e',
  region: 'eu-west-1',
  accountId: '111122223333',
  clusterName: 'cluster-1',
  serviceName: 'service-1',
  productionListenerArn: 'arn:prod-listener',
  testListenerArn: 'arn:test-listener',
  blueTargetGroupName: 'blue-tg',
  greenTargetGroupName: 'green-tg',
  alarmNames: ['alarm-a', 'alarm-b'],
};

function synthRelease(extra: Partial<ApiReleaseProps> = {}, after?: (r: ApiRelease) => void): Json {
  return synthScope((scope) => {
    const release = new ApiRelease(scope, 'release', { ...BASE, ...extra });
    after?.(release);
  });
}

const onlyOf = (json: Json, type: string): Json => {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0];
};

const groupWith = (configName: string, wait: number) => ({
  app_name: '${aws_codedeploy_app.release_app_8A35F9D8.name}',
  deployment_group_name: 'p-e-api',
  service_role_arn: '${aws_iam_role.release_service-role_D3750C2A.arn}',
  deployment_config_name: configName,
  deployment_style: { deployment_type: 'BLUE_GREEN', deployment_option: 'WITH_TRAFFIC_CONTROL' },
  blue_green_deployment_config: {
    deployment_ready_option: { action_on_timeout: 'CONTINUE_DEPLOYMENT' },
    terminate_blue_instances_on_deployment_success: {
      action: 'TERMINATE',
      termination_wait_time_in_minutes: wait,
    },
  },
  auto_rollback_configuration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
  alarm_configuration: { enabled: true, alarms: ['alarm-a', 'alarm-b'] },
  ecs_service: { cluster_name: 'cluster-1', service_name: 'service-1' },
  load_balancer_info: {
    target_group_pair_info: {
      prod_traffic_route: { listener_arns: ['arn:prod-listener'] },
      test_traffic_route: { listener_arns: ['arn:test-listener'] },
      target_group: [{ name: 'blue-tg' }, { name: 'green-tg' }],
    },
  },
  depends_on: ['aws_iam_role_policy_attachment.release_service-role-managed_7A0019DB'],
});

describe('ApiRelease, all at once (no canary)', () => {
  const json = synthRelease();

  it('deploys with CodeDeployDefault.ECSAllAtOnce, keeps the old tasks 5 minutes, rolls back on failure and alarms', () => {
    expect(onlyOf(json, 'aws_codedeploy_deployment_group')).toEqual(
      groupWith('CodeDeployDefault.ECSAllAtOnce', 5),
    );
    expect(resourcesOf(json, 'aws_codedeploy_deployment_config')).toEqual({});
  });

  it('is an ECS application named <prefix>-api whose role has the AWS managed policy for ECS', () => {
    expect(onlyOf(json, 'aws_codedeploy_app')).toEqual({ name: 'p-e-api', compute_platform: 'ECS' });
    expect(onlyOf(json, 'aws_iam_role_policy_attachment')).toEqual({
      role: '${aws_iam_role.release_service-role_D3750C2A.name}',
      policy_arn: 'arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS',
    });
  });

  it('names the predefined configuration and its ARN in the stack region and account', () => {
    synthRelease({}, (r) => {
      expect(r.deploymentConfig).toBeUndefined();
      expect(r.deploymentConfigName).toBe('CodeDeployDefault.ECSAllAtOnce');
      expect(r.deploymentConfigArn).toBe(
        'arn:aws:codedeploy:eu-west-1:111122223333:deploymentconfig:CodeDeployDefault.ECSAllAtOnce',
      );
    });
  });
});

describe('ApiRelease with a canary', () => {
  it('creates a TimeBasedCanary configuration named by its numbers, created before the old one is destroyed', () => {
    const json = synthRelease({ canary: { percentage: 25, intervalMinutes: 15 }, terminationWaitMinutes: 0 });
    expect(onlyOf(json, 'aws_codedeploy_deployment_config')).toEqual({
      deployment_config_name: 'p-e-api-canary-25pct-15min',
      compute_platform: 'ECS',
      traffic_routing_config: {
        type: 'TimeBasedCanary',
        time_based_canary: { percentage: 25, interval: 15 },
      },
      lifecycle: { create_before_destroy: true },
    });
    expect(onlyOf(json, 'aws_codedeploy_deployment_group')).toEqual(
      groupWith('${aws_codedeploy_deployment_config.release_canary_8E000FD0.deployment_config_name}', 0),
    );
  });

  it('exposes the configuration name and ARN by reference', () => {
    const json = synthRelease({ canary: { percentage: 1, intervalMinutes: 1 } }, (r) => {
      expect(r.deploymentConfig).toBeDefined();
      new TerraformOutput(r, 'config-name', { value: r.deploymentConfigName });
      new TerraformOutput(r, 'config-arn', { value: r.deploymentConfigArn });
    });
    const outputs = Object.fromEntries(
      Object.entries(json.output as Json).map(([k, o]) => [k.replace(/_[0-9A-F]+$/, ''), o.value]),
    );
    expect(outputs).toEqual({
      'release_config-name':
        '${aws_codedeploy_deployment_config.release_canary_8E000FD0.deployment_config_name}',
      'release_config-arn': '${aws_codedeploy_deployment_config.release_canary_8E000FD0.arn}',
    });
  });
});

describe('ApiRelease validation', () => {
  const failure = (extra: Partial<ApiReleaseProps>) => errorOf(() => synthRelease(extra));
  const oneProblem = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;

  it.each([
    ['one alarm', { alarmNames: ['a'] }],
    ['canary 1 % after 1 minute', { canary: { percentage: 1, intervalMinutes: 1 } }],
    // CodeDeploy TimeBasedCanary: percentage below 100, interval up to 2880 minutes.
    ['canary 99 % after 2880 minutes', { canary: { percentage: 99, intervalMinutes: 2880 } }],
    ['a termination wait of 2880 minutes', { terminationWaitMinutes: 2880 }],
  ] as [string, Partial<ApiReleaseProps>][])('builds with %s', (_, extra) => {
    expect(() => synthRelease(extra)).not.toThrow();
  });

  it.each([
    [
      { canary: { percentage: 0, intervalMinutes: 10 } },
      'stack/release.canary.percentage 0 must be an integer from 1 to 99',
    ],
    [
      { canary: { percentage: 100, intervalMinutes: 10 } },
      'stack/release.canary.percentage 100 must be an integer from 1 to 99',
    ],
    [
      { canary: { percentage: 10, intervalMinutes: 0 } },
      'stack/release.canary.intervalMinutes 0 must be an integer from 1 to 2880',
    ],
    [
      { canary: { percentage: 10, intervalMinutes: 2881 } },
      'stack/release.canary.intervalMinutes 2881 must be an integer from 1 to 2880',
    ],
    [
      { terminationWaitMinutes: -1 },
      'stack/release.terminationWaitMinutes -1 must be an integer from 0 to 2880',
    ],
    [
      { terminationWaitMinutes: 2881 },
      'stack/release.terminationWaitMinutes 2881 must be an integer from 0 to 2880',
    ],
    [
      { namePrefix: 'p-e-' },
      'stack/release.namePrefix p-e- must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
    ],
  ] as [Partial<ApiReleaseProps>, string][])('fails when %j', (extra, line) => {
    expect(failure(extra)).toBe(oneProblem(line));
  });
});
