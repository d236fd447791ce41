import { portText, SG_RULE_TYPES, securityGroupRules, workloadGroups, worldCidrs } from '../network';
import type { Rule } from '../types';

export const sgEgress: Rule = {
  id: 'ECG-SG-02',
  anchor: 'exception',
  scannerIds: ['AVD-AWS-0104'],
  environments: ['staging', 'production'],
  resourceTypes: SG_RULE_TYPES,
  description: 'No egress to 0.0.0.0/0 or ::/0 (workloads that pull images are a documented exception).',
  checks: {
    'workload-egress': 'a workload (ECS task, EC2 instance) may reach the whole internet',
    'public-egress': 'a group that is not a workload may reach the whole internet',
  },
  check(ctx) {
    const workloads = workloadGroups(ctx);
    return securityGroupRules(ctx)
      .filter((rule) => rule.direction === 'egress')
      .flatMap((rule) =>
        worldCidrs(rule).map((cidr) => {
          const prefix = rule.label ? `${rule.label} ` : '';
          const workload = rule.groups.length > 0 && rule.groups.every((g) => workloads.has(g));
          return workload
            ? ctx.finding(
                rule.owner,
                'workload-egress',
                `${prefix}lets a workload reach ${cidr} on ${portText(rule)}`,
              )
            : ctx.finding(
                rule.owner,
                'public-egress',
                `${prefix}allows egress to ${cidr} on ${portText(rule)}`,
              );
        }),
      );
  },
};
