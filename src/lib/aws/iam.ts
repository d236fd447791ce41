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

/** Key-policy statement: CloudWatch alarms may use the key of the encrypted topic they notify. */
export function cloudwatchAlarmsKeyStatement(): Record<string, unknown> {
  return {
    Sid: 'CloudWatchAlarmsPublish',
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    Resource: '*', // a key policy's Resource is always the key itself
  };
}

/**
 * Topic-policy statement: CloudWatch alarms of this account may publish (a topic policy replaces
 * SNS's default one, so CloudWatch is named explicitly).
 */
export function cloudwatchAlarmsPublishStatement(
  topicArn: string,
  accountId: string,
): Record<string, unknown> {
  return {
    Sid: 'CloudWatchAlarmsPublish',
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: 'sns:Publish',
    Resource: topicArn,
    Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
  };
}

/**
 * Sending traces, and nothing else: the actions of the AWS managed policy AWSXrayWriteOnlyAccess
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSXrayWriteOnlyAccess.html).
 * None of them supports resource-level permissions, so "*" is the only Resource X-Ray accepts
 * (ECG-IAM-01 lists them as unscopable).
 */
export const XRAY_WRITE_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
] as const;

/**
 * The identity-policy statement that lets a role send traces to X-Ray. `sampling: false` leaves
 * out the sampling reads: a Lambda function with active tracing is sampled by Lambda and needs only
 * the two Put actions (Lambda developer guide, "Visualize Lambda function invocations using AWS
 * X-Ray", execution role permissions).
 */
export function xrayWriteStatement(options: { sampling?: boolean } = {}): {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string;
} {
  const actions = options.sampling === false ? XRAY_WRITE_ACTIONS.slice(0, 2) : XRAY_WRITE_ACTIONS;
  return { Sid: 'XRayWrite', Effect: 'Allow', Action: [...actions], Resource: '*' };
}
