import { LB_TYPES, loadBalancers } from '../lb';
import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const lbDeletionProtection: Rule = {
  id: 'ECG-LB-02',
  configField: 'alb.deletionProtection',
  anchor: 34,
  scannerIds: ['CKV_AWS_150'],
  environments: ['production'],
  resourceTypes: LB_TYPES,
  description: 'Every load balancer has deletion protection.',
  checks: { unprotected: 'enable_deletion_protection is not true' },
  check(ctx) {
    return loadBalancers(ctx)
      .filter((lb) => !isTrue(lb.values.enable_deletion_protection))
      .map((lb) =>
        ctx.finding(
          lb,
          'unprotected',
          `enable_deletion_protection is ${show(lb.values.enable_deletion_protection)} (must be true in production)`,
        ),
      );
  },
};
