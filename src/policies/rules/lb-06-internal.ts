import { isInternetFacing, LB_TYPES, loadBalancers } from '../lb';
import type { Rule } from '../types';

export const lbInternal: Rule = {
  id: 'ECG-LB-06',
  anchor: 'exception',
  scannerIds: ['AVD-AWS-0053'],
  environments: ['staging', 'production'],
  resourceTypes: LB_TYPES,
  description: 'Load balancers are internal (not reachable from the internet).',
  checks: { 'internet-facing': 'the load balancer is internet-facing' },
  check(ctx) {
    return loadBalancers(ctx)
      .filter(isInternetFacing)
      .map((lb) => ctx.finding(lb, 'internet-facing', 'is internet-facing (internal is not true)'));
  },
};
