import type { Rule } from '../types';
import { blocks, isTrue } from '../values';

export const dynamodbPitrEncryption: Rule = {
  id: 'ECG-DDB-01',
  anchor: 49,
  scannerIds: ['CKV_AWS_28', 'AVD-AWS-0024', 'AwsSolutions-DDB3'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_dynamodb_table'],
  description: 'Every DynamoDB table has point-in-time recovery and server-side encryption enabled.',
  checks: {
    'no-pitr': 'point_in_time_recovery.enabled is not true',
    'no-sse': 'server_side_encryption.enabled is not true',
  },
  check(ctx) {
    return ctx
      .resources('aws_dynamodb_table')
      .flatMap((t) => [
        ...(blocks(t.values.point_in_time_recovery).some((p) => isTrue(p.enabled))
          ? []
          : [ctx.finding(t, 'no-pitr', 'point_in_time_recovery.enabled is not true')]),
        ...(blocks(t.values.server_side_encryption).some((s) => isTrue(s.enabled))
          ? []
          : [ctx.finding(t, 'no-sse', 'server_side_encryption.enabled is not true')]),
      ]);
  },
};
