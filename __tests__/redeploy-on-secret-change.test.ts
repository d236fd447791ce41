import { RedeployOnSecretChange, UPDATE_SERVICE_RESOURCE } from '../src/modules/redeploy-on-secret-change';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';

const SERVICE_ARN = 'arn:aws:ecs:ap-northeast-2:123456789012:service/c/api';
const DB_SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!db-1-AbCdEf';
const REDIS_SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:redis-url-AbCdEf';

const base = {
  namePrefix: 'ecg-video-pipeline-production',
  cluster: 'arn:aws:ecs:ap-northeast-2:123456789012:cluster/ecg-video-pipeline-production',
  serviceName: 'ecg-video-pipeline-production-api',
  serviceArn: SERVICE_ARN,
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

describe('RedeployOnSecretChange: event -> target -> state machine -> UpdateService', () => {
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

  it('runs one task: ECS UpdateService with forceNewDeployment on the service, retried, logged', () => {
    const machine = onlyResource(json, 'aws_sfn_state_machine');
    const definition = JSON.parse(machine.definition as string);
    expect(Object.keys(definition.States)).toEqual(['ForceNewDeployment']);
    expect(definition.StartAt).toBe('ForceNewDeployment');
    expect(definition.States.ForceNewDeployment).toMatchObject({
      Type: 'Task',
      Resource: UPDATE_SERVICE_RESOURCE,
      Parameters: { Cluster: base.cluster, Service: base.serviceName, ForceNewDeployment: true },
      End: true,
    });
    expect(UPDATE_SERVICE_RESOURCE).toBe('arn:aws:states:::aws-sdk:ecs:updateService');
    expect(definition.States.ForceNewDeployment.Retry[0].MaxAttempts).toBeGreaterThan(0);
    expect(machine.logging_configuration).toMatchObject({ level: 'ALL' });
    expect(String(machine.logging_configuration.log_destination)).toMatch(
      /aws_cloudwatch_log_group\..+\.arn\}:\*$/,
    );
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

  it('lets the state machine update only this service (plus log delivery, which takes only *)', () => {
    const statements = policyOf('ecg-video-pipeline-production-redeploy-api-sfn').Statement;
    expect(statements[0]).toEqual({
      Sid: 'UpdateThisService',
      Effect: 'Allow',
      Action: 'ecs:UpdateService',
      Resource: SERVICE_ARN,
    });
    expect(statements[1].Resource).toBe('*');
    expect((statements[1].Action as string[]).every((a) => a.startsWith('logs:'))).toBe(true);
    expect(statements).toHaveLength(2);
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
