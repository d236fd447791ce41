import { internetFacingLbGroups, portText, SG_RULE_TYPES, securityGroupRules, worldCidrs } from '../network';
import type { Rule } from '../types';
import { isSet } from '../values';

const WEB_PORTS = [80, 443];

export const sgIngressDescriptions: Rule = {
  id: 'ECG-SG-01',
  anchor: 45,
  scannerIds: [
    'CKV_AWS_24',
    'CKV_AWS_25',
    'CKV_AWS_260',
    'CKV_AWS_277',
    'AVD-AWS-0107',
    'AwsSolutions-EC23',
    'CKV_AWS_23',
    'AVD-AWS-0099',
    'AVD-AWS-0124',
    'AwsSolutions-EC27',
  ],
  environments: ['staging', 'production'],
  resourceTypes: SG_RULE_TYPES,
  description:
    'No ingress from 0.0.0.0/0 or ::/0 (only 80/443 to an internet-facing load balancer, a documented exception), and every security group and rule has a description.',
  checks: {
    'public-ingress': 'a rule admits the whole internet',
    'alb-web-ingress': 'the internet-facing load balancer admits the internet on 80/443',
    'missing-description': 'a security group or rule has no description',
  },
  check(ctx) {
    const findings = [];
    const lbGroups = internetFacingLbGroups(ctx);
    for (const group of ctx.resources('aws_security_group')) {
      const d = group.values.description;
      if (!isSet(d) || d === 'Managed by Terraform')
        findings.push(ctx.finding(group, 'missing-description', 'has no description'));
    }
    for (const rule of securityGroupRules(ctx)) {
      const prefix = rule.label ? `${rule.label} ` : '';
      if (!isSet(rule.description))
        findings.push(ctx.finding(rule.owner, 'missing-description', `${prefix}has no description`));
      if (rule.direction !== 'ingress') continue;
      for (const cidr of worldCidrs(rule)) {
        const web =
          rule.protocol === 'tcp' &&
          rule.fromPort === rule.toPort &&
          WEB_PORTS.includes(rule.fromPort) &&
          rule.groups.length > 0 &&
          rule.groups.every((g) => lbGroups.has(g));
        findings.push(
          web
            ? ctx.finding(
                rule.owner,
                'alb-web-ingress',
                `${prefix}admits ${cidr} on ${portText(rule)} to an internet-facing load balancer`,
              )
            : ctx.finding(rule.owner, 'public-ingress', `${prefix}admits ${cidr} on ${portText(rule)}`),
        );
      }
    }
    return findings;
  },
};
