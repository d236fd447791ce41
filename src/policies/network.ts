import { isInternetFacing, loadBalancers } from './lb';
import type { RuleContext, TfResource } from './types';
import { blocks, isSet, list, num, referenced } from './values';

/** One security-group rule, wherever it is declared (inline block or standalone resource). */
export interface SgRule {
  /** The resource that declares it (the group itself for inline rules). */
  readonly owner: TfResource;
  /** `ingress rule #2` for inline rules; empty for standalone rule resources. */
  readonly label: string;
  readonly direction: 'ingress' | 'egress';
  /** Addresses of the security groups it belongs to. */
  readonly groups: readonly string[];
  readonly cidrs: readonly string[];
  /** `-1` for every protocol. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly description: unknown;
}

export const WORLD = ['0.0.0.0/0', '::/0'];

export const SG_RULE_TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

function groupsOf(ctx: RuleContext, value: unknown): string[] {
  return referenced(ctx, value, 'aws_security_group').map((g) => g.address);
}

function protocolOf(value: unknown): string {
  const p = String(value ?? '-1').toLowerCase();
  return p === 'all' ? '-1' : p;
}

/** Every security-group rule of the stack. */
export function securityGroupRules(ctx: RuleContext): SgRule[] {
  const rules: SgRule[] = [];
  for (const group of ctx.resources('aws_security_group')) {
    for (const direction of ['ingress', 'egress'] as const) {
      blocks(group.values[direction]).forEach((r, i) =>
        rules.push({
          owner: group,
          label: `${direction} rule #${i + 1}`,
          direction,
          groups: [group.address],
          cidrs: [...list(r.cidr_blocks), ...list(r.ipv6_cidr_blocks)],
          protocol: protocolOf(r.protocol),
          fromPort: num(r.from_port),
          toPort: num(r.to_port),
          description: r.description,
        }),
      );
    }
  }
  for (const r of ctx.resources('aws_security_group_rule')) {
    rules.push({
      owner: r,
      label: '',
      direction: r.values.type === 'egress' ? 'egress' : 'ingress',
      groups: groupsOf(ctx, r.values.security_group_id),
      cidrs: [...list(r.values.cidr_blocks), ...list(r.values.ipv6_cidr_blocks)],
      protocol: protocolOf(r.values.protocol),
      fromPort: num(r.values.from_port),
      toPort: num(r.values.to_port),
      description: r.values.description,
    });
  }
  for (const direction of ['ingress', 'egress'] as const) {
    for (const r of ctx.resources(`aws_vpc_security_group_${direction}_rule`)) {
      rules.push({
        owner: r,
        label: '',
        direction,
        groups: groupsOf(ctx, r.values.security_group_id),
        cidrs: [r.values.cidr_ipv4, r.values.cidr_ipv6].filter(isSet).map(String),
        protocol: protocolOf(r.values.ip_protocol),
        fromPort: num(r.values.from_port),
        toPort: num(r.values.to_port),
        description: r.values.description,
      });
    }
  }
  return rules;
}

/** `all traffic`, `tcp 443`, `tcp 1024-65535`: for messages. */
export function portText(rule: SgRule): string {
  if (rule.protocol === '-1') return 'all traffic';
  if (Number.isNaN(rule.fromPort)) return rule.protocol;
  return rule.fromPort === rule.toPort
    ? `${rule.protocol} ${rule.fromPort}`
    : `${rule.protocol} ${rule.fromPort}-${rule.toPort}`;
}

/** The world CIDRs a rule opens to. */
export function worldCidrs(rule: SgRule): string[] {
  return rule.cidrs.filter((c) => WORLD.includes(c));
}

/** Security groups attached to internet-facing load balancers. */
export function internetFacingLbGroups(ctx: RuleContext): Set<string> {
  return new Set(
    loadBalancers(ctx)
      .filter(isInternetFacing)
      .flatMap((lb) => groupsOf(ctx, lb.values.security_groups)),
  );
}

/** Security groups of workloads that run code: ECS services, launch templates, instances, VPC functions. */
export function workloadGroups(ctx: RuleContext): Set<string> {
  const values: unknown[] = [
    ...ctx
      .resources('aws_ecs_service')
      .flatMap((s) => blocks(s.values.network_configuration).map((n) => n.security_groups)),
    ...ctx
      .resources('aws_launch_template')
      .flatMap((lt) => [
        lt.values.vpc_security_group_ids,
        lt.values.security_group_names,
        ...blocks(lt.values.network_interfaces).map((n) => n.security_groups),
      ]),
    ...ctx
      .resources('aws_instance')
      .flatMap((i) => [i.values.vpc_security_group_ids, i.values.security_groups]),
    ...ctx
      .resources('aws_lambda_function')
      .flatMap((f) => blocks(f.values.vpc_config).map((v) => v.security_group_ids)),
  ];
  return new Set(values.flatMap((v) => groupsOf(ctx, v)));
}
