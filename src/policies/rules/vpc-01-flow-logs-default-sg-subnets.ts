import type { RuleContext, Rule, TfResource } from '../types';
import { blocks, isTrue, referenced, referrers } from '../values';

/** Route tables with a route to an internet gateway. */
function internetRouteTables(ctx: RuleContext): Set<string> {
  const toIgw = (gateway: unknown) =>
    referenced(ctx, gateway, 'aws_internet_gateway').length > 0 ||
    (typeof gateway === 'string' && gateway.startsWith('igw-'));
  const result = new Set<string>();
  for (const type of ['aws_route_table', 'aws_default_route_table']) {
    for (const table of ctx.resources(type)) {
      if (blocks(table.values.route).some((r) => toIgw(r.gateway_id))) result.add(table.address);
    }
  }
  for (const route of ctx.resources('aws_route').filter((r) => toIgw(r.values.gateway_id))) {
    for (const table of ctx.references(route.values.route_table_id)) result.add(table);
  }
  return result;
}

/** The route tables a subnet uses: its explicit associations, else its VPC's main route table. */
function routeTablesOf(ctx: RuleContext, subnet: TfResource): string[] {
  const explicit = referrers(ctx, 'aws_route_table_association', 'subnet_id', subnet).flatMap((a) =>
    ctx.references(a.values.route_table_id),
  );
  if (explicit.length > 0) return explicit;
  const vpcs = ctx.references(subnet.values.vpc_id);
  return [
    ...ctx
      .resources('aws_main_route_table_association')
      .filter((m) => ctx.references(m.values.vpc_id).some((v) => vpcs.includes(v)))
      .flatMap((m) => ctx.references(m.values.route_table_id)),
    ...ctx
      .resources('aws_default_route_table')
      .filter((t) => ctx.references(t.values.default_route_table_id).some((v) => vpcs.includes(v)))
      .map((t) => t.address),
  ];
}

export const vpcFlowLogsDefaultSgSubnets: Rule = {
  id: 'ECG-VPC-01',
  configField: 'network.flowLogs',
  anchor: 46,
  scannerIds: ['CKV2_AWS_11', 'AVD-AWS-0178', 'AwsSolutions-VPC7', 'CKV2_AWS_12', 'AVD-AWS-0164'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_vpc', 'aws_subnet'],
  description:
    'Every VPC has flow logs (production) and a managed default security group with no rules; only subnets routed to an internet gateway map public IPs.',
  checks: {
    'no-flow-log': 'the VPC has no aws_flow_log (production)',
    'default-sg-unmanaged': "the VPC's default security group is not managed, so it keeps AWS's allow rules",
    'default-sg-rules': 'the default security group has rules',
    'public-ip-on-private-subnet': 'a subnet without an internet route maps public IPs',
  },
  check(ctx) {
    const findings = [];
    for (const vpc of ctx.resources('aws_vpc')) {
      if (ctx.isProduction && referrers(ctx, 'aws_flow_log', 'vpc_id', vpc).length === 0) {
        findings.push(ctx.finding(vpc, 'no-flow-log', 'has no aws_flow_log (required in production)'));
      }
      const defaults = referrers(ctx, 'aws_default_security_group', 'vpc_id', vpc);
      if (defaults.length === 0) {
        findings.push(
          ctx.finding(
            vpc,
            'default-sg-unmanaged',
            'has no aws_default_security_group (its default group keeps allow rules)',
          ),
        );
      }
      for (const sg of defaults.filter(
        (d) => blocks(d.values.ingress).length + blocks(d.values.egress).length > 0,
      )) {
        findings.push(
          ctx.finding(
            sg,
            'default-sg-rules',
            'has ingress or egress rules (the default group must have none)',
          ),
        );
      }
    }
    const internet = internetRouteTables(ctx);
    for (const subnet of ctx
      .resources('aws_subnet')
      .filter((s) => isTrue(s.values.map_public_ip_on_launch))) {
      if (!routeTablesOf(ctx, subnet).some((t) => internet.has(t))) {
        findings.push(
          ctx.finding(
            subnet,
            'public-ip-on-private-subnet',
            'map_public_ip_on_launch is true but the subnet has no route to an internet gateway',
          ),
        );
      }
    }
    return findings;
  },
};
