import {
  RedeployOnSecretChange,
  type RedeployOnSecretChangeProps,
} from '../src/modules/redeploy-on-secret-change';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

/**
 * The redeploy state machine (src/modules/redeploy-on-secret-change.ts) with what staging sets
 * left at the defaults: no generated secrets (no update rule), the default log retention; and
 * each validation rule with its exact line. The staging wiring is read whole in
 * api-resources.test.ts, the rules' patterns in redeploy-on-secret-change.test.ts.
 */

const ROTATED = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!db-1-AbCdEf';
const BASE: RedeployOnSecretChangeProps = {
  namePrefix: 'p-e',
  cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/c',
  serviceName: 'svc',
  serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/c/svc',
  codedeployApplication: 'app',
  codedeployDeploymentGroup: 'group',
  deploymentGroupArn: 'arn:group',
  deploymentConfigArn: 'arn:config',
  applicationArn: 'arn:app',
  containerName: 'web',
  containerPort: 9000,
  rotatedSecretArns: [ROTATED],
};

function synthRedeploy(extra: Partial<RedeployOnSecretChangeProps> = {}): Json {
  return synthScope((scope) => void new RedeployOnSecretChange(scope, 'redeploy', { ...BASE, ...extra }));
}

describe('RedeployOnSecretChange defaults', () => {
  const json = synthRedeploy();

  it('keeps the state machine logs 30 days in the vended-logs group Step Functions requires', () => {
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_log_group'))).toEqual([
      { name: '/aws/vendedlogs/states/p-e-redeploy-api', retention_in_days: 30 },
    ]);
  });

  it('has only the rotation rule and its target when no generated secret is named', () => {
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_event_rule'))).toEqual([
      {
        name: 'p-e-redeploy-api-on-rotation',
        description: 'Redeploy the API: the rotation of a secret the API reads made a new value current',
        event_pattern: JSON.stringify({
          source: ['aws.secretsmanager'],
          'detail-type': ['Secret Label Updated'],
          resources: [ROTATED],
          detail: { labelUpdated: ['AWSCURRENT'] },
        }),
      },
    ]);
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_event_target'))).toHaveLength(1);
  });

  it('runs a STANDARD state machine logging everything, after its policy', () => {
    const [machine] = Object.values(resourcesOf(json, 'aws_sfn_state_machine'));
    const { definition, ...rest } = machine;
    expect(rest).toEqual({
      name: 'p-e-redeploy-api',
      type: 'STANDARD',
      role_arn: '${aws_iam_role.redeploy_state-machine-role_8A9E5EEA.arn}',
      logging_configuration: {
        log_destination: '${aws_cloudwatch_log_group.redeploy_log-group_263A3C5E.arn}:*',
        include_execution_data: true,
        level: 'ALL',
      },
      depends_on: ['aws_iam_role_policy.redeploy_state-machine-policy_F41DB1CB'],
    });
    const parsed = JSON.parse(definition as string) as Json;
    expect(parsed.Comment).toBe(
      'Release the running revision of svc again so its tasks read the new secret values',
    );
    expect(parsed.States.ReadService.Parameters).toEqual({ Cluster: BASE.cluster, Services: ['svc'] });
    expect(parsed.States.CreateDeployment.Parameters.Revision.AppSpecContent['Content.$']).toBe(
      'States.Format(\'\\{"version":0.0,"Resources":[\\{"TargetService":\\{"Type":"AWS::ECS::Service","Properties":\\{"TaskDefinition":"{}","LoadBalancerInfo":\\{"ContainerName":"web","ContainerPort":9000\\}\\}\\}\\}]\\}\', States.ArrayGetItem($.service.taskDefinitions, 0))',
    );
  });

  it('names the roles after the state machine and describes the service it releases', () => {
    expect(
      Object.values(resourcesOf(json, 'aws_iam_role')).map((r) => [
        r.name,
        r.description,
        JSON.parse(r.assume_role_policy as string).Statement[0].Principal.Service,
      ]),
    ).toEqual([
      ['p-e-redeploy-api-events', 'EventBridge: start the redeploy state machine', 'events.amazonaws.com'],
      [
        'p-e-redeploy-api-sfn',
        'Step Functions: release the running revision of svc again',
        'states.amazonaws.com',
      ],
    ]);
  });
});

describe('RedeployOnSecretChange options and validation', () => {
  it.each([1, 3653])('keeps the logs %i days', (days) => {
    expect(
      Object.values(resourcesOf(synthRedeploy({ logRetentionDays: days }), 'aws_cloudwatch_log_group'))[0]
        .retention_in_days,
    ).toBe(days);
  });

  it('takes a name prefix that makes the longest rule name exactly 64 characters', () => {
    const prefix = `p${'a'.repeat(38)}`;
    const names = Object.values(
      resourcesOf(synthRedeploy({ namePrefix: prefix }), 'aws_cloudwatch_event_rule'),
    ).map((rule) => rule.name);
    expect(names).toEqual([`${prefix}-redeploy-api-on-rotation`]);
    expect(names[0]).toHaveLength(64);
  });

  it('adds the update rule when a generated secret is named', () => {
    const json = synthRedeploy({ updatedSecretArns: ['arn:gen'] });
    expect(
      Object.values(resourcesOf(json, 'aws_cloudwatch_event_rule')).map((r) => [
        r.name,
        JSON.parse(r.event_pattern as string).resources,
      ]),
    ).toEqual([
      ['p-e-redeploy-api-on-rotation', [ROTATED]],
      ['p-e-redeploy-api-on-update', ['arn:gen']],
    ]);
    expect(Object.values(resourcesOf(json, 'aws_cloudwatch_event_target'))).toHaveLength(2);
  });

  it.each([
    [{ rotatedSecretArns: [] }, 'stack/redeploy.rotatedSecretArns [] must list at least one secret'],
    [
      { logRetentionDays: 0 },
      "stack/redeploy.logRetentionDays 0 must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [
      { namePrefix: `p${'a'.repeat(39)}` },
      `stack/redeploy.namePrefix p${'a'.repeat(39)} makes the rule name p${'a'.repeat(39)}-redeploy-api-on-rotation longer than 64 characters (EventBridge)`,
    ],
    [
      { namePrefix: 'P-e' },
      'stack/redeploy.namePrefix P-e must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
    ],
  ] as [Partial<RedeployOnSecretChangeProps>, string][])('fails when %j', (extra, line) => {
    expect(errorOf(() => synthRedeploy(extra))).toBe(`Invalid configuration (1 problem):\n  - ${line}`);
  });
});
