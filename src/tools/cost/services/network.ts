/** Cost lines, by service. Network: NAT gateways, public IPv4 addresses and interface endpoints; load balancers. */
import { asArray, plural, type Json, type Pricer } from '../pricing';

/** A load balancer as the network and load-balancing lines see it. */
export interface LoadBalancer {
  readonly name: string;
  readonly body: Json;
  readonly type: string;
  readonly internal: boolean;
  /** Subnets (or subnet mappings): an internet-facing one has a public address in each. */
  readonly subnets: number;
}

/** NAT gateways, Elastic IPs, the public addresses of internet-facing load balancers, interface endpoints. */
export function priceNetwork(p: Pricer): LoadBalancer[] {
  const { a, H, of, add, str } = p;
  const nats = of('aws_nat_gateway');
  if (nats.length > 0) {
    add({
      key: 'nat-gateway-hours',
      category: 'Network',
      item: 'NAT gateways',
      basis: `${plural(nats.length, 'NAT gateway')} x ${H} h`,
      quantity: nats.length * H,
      unit: 'h',
      priceKey: 'vpc.natGateway.hour',
    });
    add({
      key: 'nat-gateway-data',
      category: 'Network',
      item: 'NAT data processed',
      basis: `${a.natProcessedGb} GB (assumption)`,
      quantity: a.natProcessedGb,
      unit: 'GB',
      priceKey: 'vpc.natGateway.gb',
    });
  }
  const eips = of('aws_eip');
  if (eips.length > 0) {
    add({
      key: 'public-ipv4-eip',
      category: 'Network',
      item: 'Public IPv4: Elastic IPs',
      basis: `${plural(eips.length, 'address', 'addresses')} x ${H} h`,
      quantity: eips.length * H,
      unit: 'h',
      priceKey: 'vpc.publicIpv4.hour',
    });
  }
  const lbs = of('aws_lb').map(([name, body]) => ({
    name,
    body,
    type: str(body.load_balancer_type ?? 'application', `aws_lb.${name}.load_balancer_type`),
    internal: body.internal === true,
    subnets: body.subnets !== undefined ? asArray(body.subnets).length : asArray(body.subnet_mapping).length,
  }));
  const lbAddresses = lbs.filter((lb) => !lb.internal).reduce((sum, lb) => sum + lb.subnets, 0);
  if (lbAddresses > 0) {
    add({
      key: 'public-ipv4-alb',
      category: 'Network',
      item: 'Public IPv4: internet-facing load balancers',
      basis: `${plural(lbAddresses, 'address', 'addresses')} (one per subnet, at least) x ${H} h`,
      quantity: lbAddresses * H,
      unit: 'h',
      priceKey: 'vpc.publicIpv4.hour',
    });
  }
  const interfaceEndpoints = of('aws_vpc_endpoint').filter(
    ([, body]) => (body.vpc_endpoint_type ?? 'Gateway') === 'Interface',
  );
  if (interfaceEndpoints.length > 0) {
    const placements = interfaceEndpoints.reduce((sum, [, body]) => sum + asArray(body.subnet_ids).length, 0);
    add({
      key: 'interface-endpoints',
      category: 'Network',
      item: 'Interface VPC endpoints',
      basis: `${plural(interfaceEndpoints.length, 'endpoint')} in ${plural(placements, 'AZ placement')} x ${H} h`,
      quantity: placements * H,
      unit: 'h',
      priceKey: 'vpc.interfaceEndpoint.azHour',
    });
    add({
      key: 'interface-endpoints-data',
      category: 'Network',
      item: 'Interface VPC endpoints: data processed',
      basis: `${a.endpointProcessedGb} GB (assumption)`,
      quantity: a.endpointProcessedGb,
      unit: 'GB',
      priceKey: 'vpc.interfaceEndpoint.gb',
    });
  }

  return lbs;
}

/**
 * Load balancer hours and capacity units, by type and scheme. An internal ALB behind a CloudFront
 * VPC origin carries the public API traffic, so it takes the internet-facing LCU assumption.
 */
export function priceLoadBalancers(p: Pricer, lbs: readonly LoadBalancer[]): void {
  const { a, H, of, add } = p;
  const vpcOriginTargets = new Set(
    of('aws_cloudfront_vpc_origin').flatMap(([, body]) =>
      asArray(body.vpc_origin_endpoint_config).map(
        (c) => /\$\{aws_lb\.([^.]+)\.arn\}/.exec(String(c.arn))?.[1],
      ),
    ),
  );
  const lcusOf = (lb: LoadBalancer) =>
    !lb.internal || vpcOriginTargets.has(lb.name) ? a.albLcus.internetFacing : a.albLcus.internal;
  for (const internal of [false, true]) {
    const kind = internal ? 'internal' : 'internet-facing';
    const group = lbs.filter((lb) => lb.internal === internal);
    for (const type of [...new Set(group.map((lb) => lb.type))].sort()) {
      const n = group.filter((lb) => lb.type === type).length;
      const lcus = group.filter((lb) => lb.type === type).reduce((sum, lb) => sum + lcusOf(lb), 0);
      const what = type === 'application' ? 'ALB' : `${type} LB`;
      add({
        key: `lb-hours:${type}:${kind}`,
        category: 'Load balancing',
        item: `${what} (${kind})`,
        basis: `${plural(n, 'load balancer')} x ${H} h`,
        quantity: n * H,
        unit: 'h',
        priceKey: `elb.${type}.hour`,
      });
      add({
        key: `lb-lcu:${type}:${kind}`,
        category: 'Load balancing',
        item: `${what} capacity units (${kind})`,
        basis: `${plural(n, 'load balancer')}, ${lcus} LCU in all (assumption) x ${H} h`,
        quantity: lcus * H,
        unit: 'LCU-h',
        priceKey: `elb.${type}.lcuHour`,
      });
    }
  }
}
