import { isApplication, LB_TYPES, loadBalancers } from '../lb';
import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const lbDropInvalidHeaders: Rule = {
  id: 'ECG-LB-01',
  anchor: 33,
  scannerIds: ['CKV_AWS_131', 'AVD-AWS-0052'],
  environments: ['staging', 'production'],
  resourceTypes: LB_TYPES,
  description: 'Every application load balancer drops invalid HTTP header fields.',
  checks: { 'keeps-invalid-headers': 'drop_invalid_header_fields is not true' },
  check(ctx) {
    return loadBalancers(ctx)
      .filter(isApplication)
      .filter((lb) => !isTrue(lb.values.drop_invalid_header_fields))
      .map((lb) =>
        ctx.finding(
          lb,
          'keeps-invalid-headers',
          `drop_invalid_header_fields is ${show(lb.values.drop_invalid_header_fields)} (must be true)`,
        ),
      );
  },
};
