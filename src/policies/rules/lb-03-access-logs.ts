import { LB_TYPES, loadBalancers } from '../lb';
import type { Rule } from '../types';
import { blocks, isSet, isTrue } from '../values';

export const lbAccessLogs: Rule = {
  id: 'ECG-LB-03',
  configField: 'alb.accessLogs',
  anchor: 35,
  scannerIds: ['CKV_AWS_91', 'AwsSolutions-ELB2'],
  environments: ['production'],
  resourceTypes: LB_TYPES,
  description: 'Every load balancer writes access logs to S3 (access_logs enabled with a bucket).',
  checks: { 'no-access-logs': 'access_logs is missing, disabled or has no bucket' },
  check(ctx) {
    return loadBalancers(ctx)
      .filter((lb) => !blocks(lb.values.access_logs).some((l) => isTrue(l.enabled) && isSet(l.bucket)))
      .map((lb) =>
        ctx.finding(
          lb,
          'no-access-logs',
          'access_logs is not enabled with a bucket (required in production)',
        ),
      );
  },
};
