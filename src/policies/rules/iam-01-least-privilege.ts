import { SFN_LOG_DELIVERY_ACTIONS } from '../../lib/aws/iam';
import type { Rule, TfResource } from '../types';
import { blocks, policyStatements } from '../values';

/**
 * Actions that support no resource-level permissions, so `Resource: "*"` is the only form AWS
 * accepts (service authorization reference). A trailing `*` is a prefix.
 */
export const UNSCOPABLE_ACTIONS = [
  'ecr:GetAuthorizationToken',
  'ec2:Describe*',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2messages:*',
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  'logs:DescribeLogGroups',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  'sts:GetCallerIdentity',
  's3:ListAllMyBuckets',
  'kms:ListKeys',
  'kms:ListAliases',
  'secretsmanager:GetRandomPassword',
  'secretsmanager:ListSecrets',
  'ecs:DiscoverPollEndpoint',
  // Task definition families have no resource-level permissions for these two.
  'ecs:RegisterTaskDefinition',
  'ecs:DescribeTaskDefinition',
  'autoscaling:Describe*',
  'elasticloadbalancing:Describe*',
  'application-autoscaling:Describe*',
  'tag:GetResources',
  // CloudWatch Logs delivery for Step Functions: these take only "*".
  ...SFN_LOG_DELIVERY_ACTIONS,
];

function unscopable(action: string): boolean {
  const a = action.toLowerCase();
  return UNSCOPABLE_ACTIONS.some((p) => {
    const q = p.toLowerCase();
    return q.endsWith('*') ? a.startsWith(q.slice(0, -1)) : a === q;
  });
}

/** Permission policy documents and the resource that declares each. */
function documents(
  ctx: Parameters<Rule['check']>[0],
): { owner: TfResource; label: string; policy: unknown }[] {
  const direct = [
    'aws_iam_policy',
    'aws_iam_role_policy',
    'aws_iam_user_policy',
    'aws_iam_group_policy',
  ].flatMap((type) =>
    ctx.resources(type).map((owner) => ({ owner, label: '', policy: owner.values.policy })),
  );
  const inline = ctx.resources('aws_iam_role').flatMap((owner) =>
    blocks(owner.values.inline_policy).map((p) => ({
      owner,
      label: `inline policy ${p.name ?? ''} `.replace('  ', ' '),
      policy: p.policy,
    })),
  );
  return [...direct, ...inline];
}

export const iamLeastPrivilege: Rule = {
  id: 'ECG-IAM-01',
  anchor: 47,
  scannerIds: [
    'CKV_AWS_62',
    'CKV_AWS_63',
    'CKV_AWS_286',
    'CKV_AWS_287',
    'CKV_AWS_288',
    'CKV_AWS_289',
    'CKV_AWS_290',
    'CKV_AWS_355',
    'AwsSolutions-IAM5',
  ],
  environments: ['staging', 'production'],
  resourceTypes: [
    'aws_iam_policy',
    'aws_iam_role_policy',
    'aws_iam_user_policy',
    'aws_iam_group_policy',
    'aws_iam_role',
  ],
  description:
    'No IAM permission policy allows action "*" (or NotAction), nor Resource "*" for actions that support resource-level permissions.',
  checks: {
    'wildcard-action': 'an Allow statement grants every action',
    'wildcard-resource': 'an Allow statement applies scopable actions to Resource "*"',
    'unreadable-policy': 'the policy document cannot be read at synth time',
  },
  check(ctx) {
    return documents(ctx).flatMap(({ owner, label, policy }) => {
      const statements = policyStatements(policy);
      if (!statements)
        return [
          ctx.finding(owner, 'unreadable-policy', `${label}has a policy document that cannot be parsed`),
        ];
      return statements
        .filter((s) => s.effect === 'Allow')
        .flatMap((s, i) => {
          const name = `${label}statement ${s.sid ?? `#${i + 1}`}`;
          if (s.actions.includes('*') || s.notActions.length > 0) {
            return [
              ctx.finding(
                owner,
                'wildcard-action',
                `${name} allows ${s.notActions.length > 0 ? 'NotAction (every other action)' : 'action "*"'}`,
              ),
            ];
          }
          const scopable = s.actions.filter((a) => !unscopable(a));
          if (s.resources.includes('*') && scopable.length > 0) {
            return [
              ctx.finding(
                owner,
                'wildcard-resource',
                `${name} allows ${scopable.join(', ')} on Resource "*"`,
              ),
            ];
          }
          return [];
        });
    });
  },
};
