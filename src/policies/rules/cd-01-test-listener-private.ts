import { LB_TYPES, LISTENER_TYPES } from '../lb';
import { securityGroupRules, worldCidrs } from '../network';
import type { Finding, Rule, RuleContext, TfResource } from '../types';
import { blocks, num, referenced } from '../values';

const GROUP_TYPE = 'aws_codedeploy_deployment_group';
const TARGET_GROUP_TYPES = ['aws_lb_target_group', 'aws_alb_target_group'];

function pairInfo(group: TfResource) {
  return blocks(group.values.load_balancer_info).flatMap((i) => blocks(i.target_group_pair_info));
}

function listenersNamed(ctx: RuleContext, routes: unknown): TfResource[] {
  return blocks(routes).flatMap((r) => LISTENER_TYPES.flatMap((t) => referenced(ctx, r.listener_arns, t)));
}

/**
 * The listeners of a blue/green deployment group other than its production one: the test route's
 * listeners, and any listener whose default action forwards to one of the group's target groups
 * (a second way to the replacement tasks before they are verified).
 */
function nonProductionListeners(ctx: RuleContext, group: TfResource): TfResource[] {
  const out = new Map<string, TfResource>();
  for (const pair of pairInfo(group)) {
    const production = new Set(listenersNamed(ctx, pair.prod_traffic_route).map((l) => l.address));
    const targetGroups = new Set(
      blocks(pair.target_group).flatMap((tg) =>
        TARGET_GROUP_TYPES.flatMap((t) => referenced(ctx, tg.name, t)).map((r) => r.address),
      ),
    );
    const forwarding = LISTENER_TYPES.flatMap((t) => ctx.resources(t)).filter((l) =>
      blocks(l.values.default_action).some((a) =>
        ctx.references(a.target_group_arn).some((address) => targetGroups.has(address)),
      ),
    );
    for (const l of [...listenersNamed(ctx, pair.test_traffic_route), ...forwarding])
      if (!production.has(l.address)) out.set(l.address, l);
  }
  return [...out.values()];
}

export const codedeployTestListenerPrivate: Rule = {
  id: 'ECG-CD-01',
  anchor: 'own',
  // No scanner knows CodeDeploy's routes; this narrows trivy's public-ingress check to them.
  scannerIds: ['AVD-AWS-0107'],
  environments: ['staging', 'production'],
  resourceTypes: [GROUP_TYPE],
  description:
    "No blue/green listener but the production one is reachable from 0.0.0.0/0 or ::/0: the test listener serves unverified tasks, so its load balancer's groups admit it from inside the VPC only.",
  checks: { 'public-test-listener': 'a non-production listener of a deployment group admits the internet' },
  check(ctx) {
    const findings: Finding[] = [];
    const rules = securityGroupRules(ctx).filter((r) => r.direction === 'ingress');
    for (const group of ctx.resources(GROUP_TYPE)) {
      for (const listener of nonProductionListeners(ctx, group)) {
        const port = num(listener.values.port);
        const lbGroups = new Set(
          LB_TYPES.flatMap((t) => referenced(ctx, listener.values.load_balancer_arn, t))
            .flatMap((lb) => referenced(ctx, lb.values.security_groups, 'aws_security_group'))
            .map((g) => g.address),
        );
        for (const rule of rules) {
          const covers = rule.protocol === '-1' || (rule.fromPort <= port && port <= rule.toPort);
          if (!covers || !rule.groups.some((g) => lbGroups.has(g))) continue;
          for (const cidr of worldCidrs(rule))
            findings.push(
              ctx.finding(
                listener,
                'public-test-listener',
                `port ${port} is not the production listener of ${group.address}, yet ${rule.owner.address} admits ${cidr} to it`,
              ),
            );
        }
      }
    }
    return findings;
  },
};
