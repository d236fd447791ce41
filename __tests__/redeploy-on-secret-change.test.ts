import { RedeployOnSecretChange } from '../src/modules/redeploy-on-secret-change';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';

const SERVICE_ARN = 'arn:aws:ecs:ap-northeast-2:123456789012:service/c/api';
const DB_SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!db-1-AbCdEf';
const REDIS_SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:redis-url-AbCdEf';
const GROUP_ARN =
  'arn:aws:codedeploy:ap-northeast-2:123456789012:deploymentgroup:ecg-video-pipeline-production-api/ecg-video-pipeline-production-api';
const CONFIG_ARN =
  'arn:aws:codedeploy:ap-northeast-2:123456789012:deploymentconfig:ecg-video-pipeline-production-api-canary-10pct-10min';
const APP_ARN =
  'arn:aws:codedeploy:ap-northeast-2:123456789012:application:ecg-video-pipeline-production-api';

const base = {
  namePrefix: 'ecg-video-pipeline-production',
  cluster: 'arn:aws:ecs:ap-northeast-2:123456789012:cluster/ecg-video-pipeline-production',
  serviceName: 'ecg-video-pipeline-production-api',
  serviceArn: SERVICE_ARN,
  codedeployApplication: 'ecg-video-pipeline-production-api',
  codedeployDeploymentGroup: 'ecg-video-pipeline-production-api',
  deploymentGroupArn: GROUP_ARN,
  deploymentConfigArn: CONFIG_ARN,
  applicationArn: APP_ARN,
  containerName: 'api',
  containerPort: 8000,
  rotatedSecretArns: [DB_SECRET],
  updatedSecretArns: [REDIS_SECRET],
};

const json = synthScope((scope) => void new RedeployOnSecretChange(scope, 'redeploy', base));
const rules = resourcesOf(json, 'aws_cloudwatch_event_rule');
const ruleNamed = (suffix: string) =>
  Object.values(rules).find((r) => String(r.name).endsWith(suffix)) as Json;
const policyOf = (roleName: string) => {
  const [name] = Object.entries(resourcesOf(json, 'aws_iam_role')).find(([, r]) => r.name === roleName)!;
  const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy')).filter((p) =>
    String(p.role).includes(`aws_iam_role.${name}.`),
  );
  expect(policies).toHaveLength(1);
  return JSON.parse(policies[0].policy as string) as { Statement: Json[] };
};

describe('RedeployOnSecretChange: event -> target -> state machine -> CodeDeploy CreateDeployment', () => {
  it('matches Secrets Manager\'s own "Secret Label Updated" event for the rotated secret, AWSCURRENT only (no CloudTrail trail needed)', () => {
    expect(JSON.parse(ruleNamed('-on-rotation').event_pattern as string)).toEqual({
      source: ['aws.secretsmanager'],
      'detail-type': ['Secret Label Updated'],
      resources: [DB_SECRET],
      detail: { labelUpdated: ['AWSCURRENT'] },
    });
  });

  it('matches the same event for a new value written to a generated secret (PutSecretValue moves AWSCURRENT)', () => {
    expect(JSON.parse(ruleNamed('-on-update').event_pattern as string)).toEqual({
      source: ['aws.secretsmanager'],
      'detail-type': ['Secret Label Updated'],
      resources: [REDIS_SECRET],
      detail: { labelUpdated: ['AWSCURRENT'] },
    });
  });

  it('targets the state machine from both rules, through the events role', () => {
    const machine = Object.keys(resourcesOf(json, 'aws_sfn_state_machine'))[0];
    const targets = Object.values(resourcesOf(json, 'aws_cloudwatch_event_target'));
    expect(targets).toHaveLength(2);
    for (const t of targets) {
      expect(t.arn).toBe(`\${aws_sfn_state_machine.${machine}.arn}`);
      expect(t.role_arn).toMatch(/^\$\{aws_iam_role\.redeploy_events-role_[0-9A-F]+\.arn\}$/);
    }
    expect(targets.map((t) => t.rule).sort()).toEqual(
      Object.keys(rules)
        .map((r) => `\${aws_cloudwatch_event_rule.${r}.name}`)
        .sort(),
    );
  });

  it("reads the PRIMARY task set's task definition, then creates a CodeDeploy deployment of it (a CODE_DEPLOY service takes no forceNewDeployment)", () => {
    const machine = onlyResource(json, 'aws_sfn_state_machine');
    const definition = JSON.parse(machine.definition as string);
    expect(definition.StartAt).toBe('ReadService');
    expect(Object.keys(definition.States)).toEqual(['ReadService', 'CreateDeployment', 'WaitForRelease']);
    expect(definition.States.ReadService).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:ecs:describeServices',
      Parameters: { Cluster: base.cluster, Services: ['ecg-video-pipeline-production-api'] },
      ResultSelector: {
        'taskDefinitions.$': "$.Services[0].TaskSets[?(@.Status == 'PRIMARY')].TaskDefinition",
      },
      ResultPath: '$.service',
      Next: 'CreateDeployment',
    });
    expect(definition.States.CreateDeployment).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:codedeploy:createDeployment',
      Parameters: {
        ApplicationName: 'ecg-video-pipeline-production-api',
        DeploymentGroupName: 'ecg-video-pipeline-production-api',
        Revision: {
          RevisionType: 'AppSpecContent',
          AppSpecContent: {
            'Content.$':
              'States.Format(\'\\{"version":0.0,"Resources":[\\{"TargetService":\\{"Type":"AWS::ECS::Service","Properties":\\{"TaskDefinition":"{}","LoadBalancerInfo":\\{"ContainerName":"api","ContainerPort":8000\\}\\}\\}\\}]\\}\', States.ArrayGetItem($.service.taskDefinitions, 0))',
          },
        },
      },
      Catch: [
        {
          ErrorEquals: ['CodeDeploy.DeploymentLimitExceededException'],
          ResultPath: '$.error',
          Next: 'WaitForRelease',
        },
      ],
      End: true,
    });
    expect(definition.States.WaitForRelease).toEqual({ Type: 'Wait', Seconds: 60, Next: 'ReadService' });
    expect(machine.logging_configuration).toMatchObject({ level: 'ALL' });
    expect(String(machine.logging_configuration.log_destination)).toMatch(
      /aws_cloudwatch_log_group\..+\.arn\}:\*$/,
    );
  });

  it('formats an AppSpec that names the running revision, the container and its port (States.Format escapes literal braces)', () => {
    const definition = JSON.parse(onlyResource(json, 'aws_sfn_state_machine').definition as string);
    const call = definition.States.CreateDeployment.Parameters.Revision.AppSpecContent['Content.$'] as string;
    const revision =
      'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/ecg-video-pipeline-production-api:7';
    expect(JSON.parse(statesFormat(call, { service: { taskDefinitions: [revision] } }))).toEqual({
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: revision,
              LoadBalancerInfo: { ContainerName: 'api', ContainerPort: 8000 },
            },
          },
        },
      ],
    });
  });

  it('lets EventBridge start only this state machine', () => {
    const machine = Object.keys(resourcesOf(json, 'aws_sfn_state_machine'))[0];
    expect(policyOf('ecg-video-pipeline-production-redeploy-api-events').Statement).toEqual([
      {
        Sid: 'StartThisMachine',
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: `\${aws_sfn_state_machine.${machine}.arn}`,
      },
    ]);
  });

  it('lets the state machine describe only this service and deploy only to this group (no iam:PassRole; log delivery takes only *)', () => {
    const statements = policyOf('ecg-video-pipeline-production-redeploy-api-sfn').Statement;
    expect(statements.slice(0, 4)).toEqual([
      { Sid: 'DescribeThisService', Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: SERVICE_ARN },
      {
        Sid: 'DeployToThisGroup',
        Effect: 'Allow',
        Action: 'codedeploy:CreateDeployment',
        Resource: GROUP_ARN,
      },
      {
        Sid: 'ReadTheGroupsConfig',
        Effect: 'Allow',
        Action: 'codedeploy:GetDeploymentConfig',
        Resource: CONFIG_ARN,
      },
      {
        Sid: 'RegisterTheRevision',
        Effect: 'Allow',
        Action: 'codedeploy:RegisterApplicationRevision',
        Resource: APP_ARN,
      },
    ]);
    expect(statements[4].Resource).toBe('*');
    expect((statements[4].Action as string[]).every((a) => a.startsWith('logs:'))).toBe(true);
    expect(statements).toHaveLength(5);
    expect(JSON.stringify(statements)).not.toContain('iam:PassRole');
  });

  it('has no update rule when no generated secret is named', () => {
    const only = synthScope(
      (scope) => void new RedeployOnSecretChange(scope, 'redeploy', { ...base, updatedSecretArns: [] }),
    );
    expect(Object.values(resourcesOf(only, 'aws_cloudwatch_event_rule'))).toHaveLength(1);
  });

  it('fails when no secret is watched or the log retention is not a CloudWatch value', () => {
    expect(
      errorOf(() =>
        synthScope(
          (scope) =>
            void new RedeployOnSecretChange(scope, 'redeploy', {
              ...base,
              namePrefix: 'ecg-prod-',
              rotatedSecretArns: [],
              logRetentionDays: 10,
            }),
        ),
      ),
    ).toMatch(
      /namePrefix ecg-prod- must be lowercase letters, digits and single hyphens[\s\S]*rotatedSecretArns \[\] must list at least one secret[\s\S]*logRetentionDays 10 must be one of/,
    );
  });
});

/**
 * A reading of States.Format and States.ArrayGetItem as the Step Functions developer guide
 * ("Intrinsic functions") defines them, for the one call shape the state machine uses: a quoted
 * template whose \{ \} \' \\ are literal characters and whose {} takes the next argument.
 */
function statesFormat(call: string, input: Json): string {
  const match = /^States\.Format\('((?:[^'\\]|\\.)*)', States\.ArrayGetItem\(\$\.([\w.]+), (\d+)\)\)$/.exec(
    call,
  );
  if (!match) throw new Error(`unexpected call: ${call}`);
  const [, template, path, index] = match;
  const list = path.split('.').reduce((o: Json, key) => o[key], input) as unknown as string[];
  const arg = list[Number(index)];
  let out = '';
  let used = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\') out += template[++i];
    else if (c === '{' && template[i + 1] === '}') {
      out += arg;
      used++;
      i++;
    } else if (c === '{' || c === '}') throw new Error(`unescaped ${c} at ${i}`);
    else out += c;
  }
  expect(used).toBe(1);
  return out;
}
