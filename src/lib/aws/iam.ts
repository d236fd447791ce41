/**
 * CloudWatch Logs delivery actions a Step Functions state machine's role needs to log; they take
 * no resource-level permissions, only "*" (Step Functions developer guide, "IAM policies for
 * logging to CloudWatch Logs").
 */
export const SFN_LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

/**
 * The key-policy statement that hands a KMS key's administration to the account's IAM policies
 * (KMS developer guide, "Default key policy"); services then use the key through grants.
 */
export function kmsAccountAdministrationStatement(accountId: string): Record<string, unknown> {
  return {
    Sid: 'AccountAdministration',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: 'kms:*',
    Resource: '*', // a key policy's Resource is always the key itself
  };
}
