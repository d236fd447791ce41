import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { ManagedSecurityGroup, Peer } from '../../src/lib/security-group';
import { sgIngressDescriptions } from '../../src/policies/rules/sg-01-ingress-descriptions';
import { sgEgress } from '../../src/policies/rules/sg-02-egress';
import { vpcFlowLogsDefaultSgSubnets } from '../../src/policies/rules/vpc-01-flow-logs-default-sg-subnets';
import { findingsOf, fixture, resultOf } from './support';

/** The alb -> api shape of docs/design.md: internet-facing ALB open on 80/443, API task pulling images. */
function groups(
  extra: (
    scope: import('constructs').Construct,
    sg: { alb: ManagedSecurityGroup; api: ManagedSecurityGroup },
  ) => void = () => {},
) {
  return fixture((scope) => {
    const alb = new ManagedSecurityGroup(scope, 'alb', {
      vpcId: 'vpc-1',
      name: 'alb',
      description: 'Public ALB',
    });
    const api = new ManagedSecurityGroup(scope, 'api', {
      vpcId: 'vpc-1',
      name: 'api',
      description: 'API tasks',
    });
    alb.allowFrom(Peer.anyIpv4(), 80, 'HTTP from the internet');
    alb.allowFrom(Peer.anyIpv4(), 443, 'HTTPS from the internet');
    alb.allowTo(Peer.securityGroup(api.securityGroupId, 'api'), 8000, 'To the API');
    api.allowFrom(Peer.securityGroup(alb.securityGroupId, 'alb'), 8000, 'From the ALB');
    api.allowTo(Peer.anyIpv4(), 443, 'Image pulls and AWS APIs');
    new Lb(scope, 'lb', {
      name: 'alb',
      internal: false,
      securityGroups: [alb.securityGroupId],
      subnets: ['subnet-1'],
    });
    new EcsService(scope, 'service', {
      name: 'api',
      networkConfiguration: { subnets: ['subnet-1'], securityGroups: [api.securityGroupId] },
    });
    extra(scope, { alb, api });
  });
}

const address = (json: ReturnType<typeof fixture>, type: string, prefix: string) =>
  `${type}.${Object.keys(json.resource[type]).find((n) => n.startsWith(prefix))}`;

describe('ECG-SG-01 ingress and descriptions', () => {
  it('reports the ALB opening on 80/443 as the documented exception and nothing else', () => {
    const json = groups();
    const result = resultOf(sgIngressDescriptions, json);
    expect(result.findings.map((f) => f.check)).toEqual(['alb-web-ingress', 'alb-web-ingress']);
    expect(result.findings.map((f) => f.message)).toEqual([
      'admits 0.0.0.0/0 on tcp 443 to an internet-facing load balancer',
      'admits 0.0.0.0/0 on tcp 80 to an internet-facing load balancer',
    ]);
  });

  it('passes groups that only reference each other', () => {
    const json = fixture((scope) => {
      const a = new ManagedSecurityGroup(scope, 'a', { vpcId: 'vpc-1', name: 'a', description: 'A' });
      const b = new ManagedSecurityGroup(scope, 'b', { vpcId: 'vpc-1', name: 'b', description: 'B' });
      b.allowFrom(Peer.securityGroup(a.securityGroupId, 'a'), 5432, 'Postgres from A');
    });
    expect(resultOf(sgIngressDescriptions, json)).toMatchObject({ status: 'pass', findings: [] });
  });

  it('fails internet ingress to anything but the ALB web ports, and missing descriptions', () => {
    const json = groups((scope, { api }) => {
      api.allowFrom(Peer.anyIpv6(), 8000, '');
      new SecurityGroup(scope, 'legacy', {
        name: 'legacy',
        ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }],
      });
      new SecurityGroupRule(scope, 'legacy-rule', {
        type: 'ingress',
        securityGroupId: 'sg-legacy',
        fromPort: 0,
        toPort: 65535,
        protocol: '-1',
        cidrBlocks: ['0.0.0.0/0'],
        description: 'Everything',
      });
    });
    const ingress = address(json, 'aws_vpc_security_group_ingress_rule', 'api_in-anywhere-v6');
    expect(
      findingsOf(sgIngressDescriptions, json).filter((f) => !f.includes('internet-facing load balancer')),
    ).toEqual([
      'ECG-SG-01 aws_security_group.legacy: has no description',
      'ECG-SG-01 aws_security_group.legacy: ingress rule #1 has no description',
      'ECG-SG-01 aws_security_group.legacy: ingress rule #1 admits 0.0.0.0/0 on tcp 22',
      'ECG-SG-01 aws_security_group_rule.legacy-rule: admits 0.0.0.0/0 on all traffic',
      `ECG-SG-01 ${ingress}: has no description`,
      `ECG-SG-01 ${ingress}: admits ::/0 on tcp 8000`,
    ]);
  });
});

describe('ECG-SG-02 egress', () => {
  it("classifies a workload's internet egress apart from other groups'", () => {
    const json = groups((_scope, { alb }) => alb.allowAllOutbound('Everything'));
    const workload = address(json, 'aws_vpc_security_group_egress_rule', 'api_out-anywhere-443');
    const other = address(json, 'aws_vpc_security_group_egress_rule', 'alb_out-anywhere-all');
    expect(findingsOf(sgEgress, json)).toEqual([
      `ECG-SG-02 ${other}: allows egress to 0.0.0.0/0 on all traffic`,
      `ECG-SG-02 ${workload}: lets a workload reach 0.0.0.0/0 on tcp 443`,
    ]);
    expect(resultOf(sgEgress, json).findings.map((f) => f.check)).toEqual([
      'public-egress',
      'workload-egress',
    ]);
  });

  it('counts a VPC function as a workload (it calls AWS APIs through the NAT gateways)', () => {
    const json = fixture((scope) => {
      const fn = new ManagedSecurityGroup(scope, 'fn', {
        vpcId: 'vpc-1',
        name: 'fn',
        description: 'Function',
      });
      fn.allowTo(Peer.anyIpv4(), 443, 'AWS APIs');
      new LambdaFunction(scope, 'function', {
        functionName: 'fn',
        role: 'arn:aws:iam::123456789012:role/fn',
        vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: [fn.securityGroupId] },
      });
    });
    expect(resultOf(sgEgress, json).findings.map((f) => f.check)).toEqual(['workload-egress']);
  });

  it('passes egress that stays inside the VPC', () => {
    const json = fixture((scope) => {
      const a = new ManagedSecurityGroup(scope, 'a', { vpcId: 'vpc-1', name: 'a', description: 'A' });
      a.allowTo(Peer.ipv4('10.0.0.0/16', 'vpc'), 443, 'Inside the VPC');
    });
    expect(resultOf(sgEgress, json)).toMatchObject({ status: 'pass', findings: [] });
  });
});

/** A VPC with a public subnet (IGW route), a private subnet, flow logs and a locked default group. */
function vpc(
  options: { flowLog?: boolean; defaultSg?: 'locked' | 'open' | 'none'; privatePublicIp?: boolean } = {},
) {
  return fixture((scope) => {
    const v = new Vpc(scope, 'vpc', { cidrBlock: '10.0.0.0/16' });
    const igw = new InternetGateway(scope, 'igw', { vpcId: v.id });
    const publicRt = new RouteTable(scope, 'public-rt', { vpcId: v.id });
    new Route(scope, 'public-default', {
      routeTableId: publicRt.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });
    const privateRt = new RouteTable(scope, 'private-rt', { vpcId: v.id });
    const pub = new Subnet(scope, 'public', {
      vpcId: v.id,
      cidrBlock: '10.0.1.0/24',
      mapPublicIpOnLaunch: true,
    });
    const priv = new Subnet(scope, 'private', {
      vpcId: v.id,
      cidrBlock: '10.0.10.0/24',
      mapPublicIpOnLaunch: options.privatePublicIp ?? false,
    });
    new RouteTableAssociation(scope, 'public-assoc', { subnetId: pub.id, routeTableId: publicRt.id });
    new RouteTableAssociation(scope, 'private-assoc', { subnetId: priv.id, routeTableId: privateRt.id });
    if (options.flowLog ?? true)
      new FlowLog(scope, 'flow-log', { vpcId: v.id, trafficType: 'ALL', logDestination: 'arn:logs' });
    if ((options.defaultSg ?? 'locked') !== 'none') {
      new DefaultSecurityGroup(scope, 'default-sg', {
        vpcId: v.id,
        ingress:
          options.defaultSg === 'open'
            ? [{ fromPort: 0, toPort: 0, protocol: '-1', selfAttribute: true }]
            : [],
        egress: [],
      });
    }
  });
}

describe('ECG-VPC-01 VPC', () => {
  it('passes flow logs, a locked default group and public IPs only on the routed subnet', () => {
    expect(resultOf(vpcFlowLogsDefaultSgSubnets, vpc(), 'production')).toMatchObject({
      status: 'pass',
      findings: [],
    });
  });

  it('fails no flow log (production), an unmanaged default group and public IPs on a private subnet', () => {
    const json = vpc({ flowLog: false, defaultSg: 'none', privatePublicIp: true });
    expect(findingsOf(vpcFlowLogsDefaultSgSubnets, json, 'production')).toEqual([
      'ECG-VPC-01 aws_vpc.vpc: has no aws_flow_log (required in production)',
      'ECG-VPC-01 aws_vpc.vpc: has no aws_default_security_group (its default group keeps allow rules)',
      'ECG-VPC-01 aws_subnet.private: map_public_ip_on_launch is true but the subnet has no route to an internet gateway',
    ]);
    expect(findingsOf(vpcFlowLogsDefaultSgSubnets, vpc({ flowLog: false }), 'staging')).toEqual([]);
  });

  it('fails a default group with rules', () => {
    expect(findingsOf(vpcFlowLogsDefaultSgSubnets, vpc({ defaultSg: 'open' }))).toEqual([
      'ECG-VPC-01 aws_default_security_group.default-sg: has ingress or egress rules (the default group must have none)',
    ]);
  });
});
