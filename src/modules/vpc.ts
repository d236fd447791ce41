import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc as AwsVpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { Address4 } from 'ip-address';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { LOG_RETENTION_DAYS } from '../lib/aws/limits';
import { ManagedSecurityGroup, Peer, type PortSpec } from '../lib/security-group';
import { REGION_PATTERN } from '../lib/aws/regions';

/** How many NAT gateways serve the private and GPU tiers. */
export type NatGatewayMode = 'single' | 'one-per-az';

/**
 * The interface endpoints created when `interfaceEndpoints` is on: image pulls (ECR API and DKR;
 * layers come through the S3 gateway endpoint), logs and metrics, secrets, STS, and the three
 * channels Session Manager and ECS Exec use (ssm, ssmmessages, ec2messages).
 */
export const DEFAULT_INTERFACE_ENDPOINT_SERVICES: readonly string[] = [
  'ecr.api',
  'ecr.dkr',
  'logs',
  'monitoring',
  'secretsmanager',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'sts',
];

export interface VpcProps {
  /** `<project>-<env>`; every resource name starts with it. */
  readonly namePrefix: string;
  /** Region of the VPC; builds endpoint service names (`com.amazonaws.<region>.<service>`). */
  readonly region: string;
  /** IPv4 CIDR of the VPC (a literal, /16 to /28). */
  readonly vpcCidr: string;
  /** At least two availability zones of `region`; subnet lists are indexed like this list. */
  readonly availabilityZones: readonly string[];
  /** One CIDR per AZ: ALB and NAT gateways; the only tier that maps public IPs. */
  readonly publicSubnets: readonly string[];
  /** One CIDR per AZ: ECS API tasks; default route through a NAT gateway. */
  readonly privateSubnets: readonly string[];
  /** One CIDR per AZ: GPU model and render servers; default route through a NAT gateway. */
  readonly gpuSubnets: readonly string[];
  /** One CIDR per AZ: RDS and Redis; no route to the internet. */
  readonly dataSubnets: readonly string[];
  /**
   * `single`: one NAT gateway in the first public subnet serves every AZ (cheaper, one AZ's
   * outage cuts egress everywhere). `one-per-az`: each AZ routes through its own.
   * @default 'one-per-az'
   */
  readonly natGateways?: NatGatewayMode;
  /** VPC flow logs (all traffic) to CloudWatch Logs. @default true */
  readonly flowLogs?: boolean;
  /** Retention of the flow-log group; one of CloudWatch Logs' allowed values. @default 30 */
  readonly flowLogRetentionDays?: number;
  /**
   * Interface endpoints (private DNS on) with their own security group, so image pulls, logs,
   * metrics and secrets stay off the NAT gateways. One endpoint network interface per AZ, in the
   * private subnets; the GPU tier reaches them over the VPC's local route.
   * @default false - traffic to those services goes through NAT
   */
  readonly interfaceEndpoints?: boolean;
  /**
   * Services of the interface endpoints, as in `com.amazonaws.<region>.<service>`.
   * @default DEFAULT_INTERFACE_ENDPOINT_SERVICES (ecr.api, ecr.dkr, logs, monitoring, secretsmanager, ssm, ssmmessages, ec2messages, sts)
   */
  readonly interfaceEndpointServices?: readonly string[];
}

const TIERS = ['public', 'private', 'gpu', 'data'] as const;
type Tier = (typeof TIERS)[number];
const TIER_PROP = {
  public: 'publicSubnets',
  private: 'privateSubnets',
  gpu: 'gpuSubnets',
  data: 'dataSubnets',
} as const satisfies Record<Tier, keyof VpcProps>;

const NAME_PREFIX_PATTERN = /^[a-z][a-z0-9-]{0,46}[a-z0-9]$/;
// Short service names only: the module adds `com.amazonaws.<region>.` itself.
const SERVICE_PATTERN = /^(?!com\.)[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/** Parses an aligned IPv4 CIDR within the prefix range; reports and returns undefined otherwise. */
function parseCidr(v: IssueCollector, cidr: string, min: number, max: number): Address4 | undefined {
  // Address4 refuses anything around the address, but takes one without a prefix length as a /32.
  if (typeof cidr !== 'string' || !cidr.includes('/') || !Address4.isValid(cidr)) {
    v.report(cidr, 'must be an IPv4 CIDR like 10.0.0.0/16');
    return undefined;
  }
  const address = new Address4(cidr);
  const network = address.startAddress().correctForm();
  if (network !== address.correctForm()) {
    v.report(cidr, `is not aligned: the network address is ${network}/${address.subnetMask}`);
    return undefined;
  }
  if (address.subnetMask < min || address.subnetMask > max) {
    v.report(cidr, `must have a prefix length from /${min} to /${max}`);
    return undefined;
  }
  return address;
}

/**
 * The network of one environment: a VPC with four subnet tiers across the given AZs, internet
 * and NAT gateways, per-AZ route tables, an S3 gateway endpoint, optional interface endpoints,
 * flow logs, a locked-down default security group, and the RDS / ElastiCache subnet groups on
 * the data tier.
 */
export class Vpc extends Construct {
  public readonly vpc: AwsVpc;
  public readonly vpcId: string;
  /** The VPC's IPv4 CIDR (the literal of the props). */
  public readonly vpcCidr: string;
  public readonly availabilityZones: readonly string[];

  /** Subnets per tier, in `availabilityZones` order. */
  public readonly subnets: Readonly<Record<Tier, readonly Subnet[]>>;
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly gpuSubnetIds: string[];
  public readonly dataSubnetIds: string[];

  /** Route tables per tier, one per AZ, in `availabilityZones` order. */
  public readonly routeTables: Readonly<Record<Tier, readonly RouteTable[]>>;
  public readonly publicRouteTableIds: string[];
  public readonly privateRouteTableIds: string[];
  public readonly gpuRouteTableIds: string[];
  public readonly dataRouteTableIds: string[];

  public readonly internetGateway: InternetGateway;
  public readonly natGateways: readonly NatGateway[];
  public readonly natGatewayIds: string[];
  /** Elastic IPs of the NAT gateways: the addresses outside services see. */
  public readonly natPublicIps: string[];

  public readonly s3Endpoint: VpcEndpoint;
  /** Interface endpoints by service name (empty when `interfaceEndpoints` is off). */
  public readonly interfaceEndpoints: Readonly<Record<string, VpcEndpoint>>;
  /** Security group of the interface endpoints; undefined when they are off. */
  public readonly endpointSecurityGroup?: ManagedSecurityGroup;
  public readonly endpointSecurityGroupId?: string;

  public readonly defaultSecurityGroup: DefaultSecurityGroup;
  public readonly flowLog?: FlowLog;
  public readonly flowLogGroup?: CloudwatchLogGroup;
  public readonly flowLogRole?: IamRole;

  public readonly dbSubnetGroup: DbSubnetGroup;
  public readonly dbSubnetGroupName: string;
  public readonly cacheSubnetGroup: ElasticacheSubnetGroup;
  public readonly cacheSubnetGroupName: string;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const natMode = props.natGateways ?? 'one-per-az';
    const flowLogs = props.flowLogs ?? true;
    const flowLogRetentionDays = props.flowLogRetentionDays ?? 30;
    const endpointServices = props.interfaceEndpointServices ?? DEFAULT_INTERFACE_ENDPOINT_SERVICES;
    this.validate(props, natMode, flowLogRetentionDays, endpointServices);

    const prefix = props.namePrefix;
    const azs = props.availabilityZones;
    this.availabilityZones = [...azs];
    this.vpcCidr = props.vpcCidr;

    this.vpc = new AwsVpc(this, 'vpc', {
      cidrBlock: props.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: `${prefix}-vpc` },
    });
    this.vpcId = this.vpc.id;

    // Adopting the default group strips every rule AWS put there; nothing may use it.
    this.defaultSecurityGroup = new DefaultSecurityGroup(this, 'default-sg', {
      vpcId: this.vpcId,
      ingress: [],
      egress: [],
      tags: { Name: `${prefix}-default-unused` },
    });

    this.internetGateway = new InternetGateway(this, 'igw', {
      vpcId: this.vpcId,
      tags: { Name: `${prefix}-igw` },
    });

    const subnets = {} as Record<Tier, Subnet[]>;
    const routeTables = {} as Record<Tier, RouteTable[]>;
    for (const tier of TIERS) {
      subnets[tier] = [];
      routeTables[tier] = [];
      props[TIER_PROP[tier]].forEach((cidr, i) => {
        const name = `${prefix}-${tier}-${azs[i]}`;
        const subnet = new Subnet(this, `${tier}-${i}`, {
          vpcId: this.vpcId,
          cidrBlock: cidr,
          availabilityZone: azs[i],
          mapPublicIpOnLaunch: tier === 'public',
          tags: { Name: name, Tier: tier },
        });
        const table = new RouteTable(this, `${tier}-${i}-rt`, {
          vpcId: this.vpcId,
          tags: { Name: name, Tier: tier },
        });
        new RouteTableAssociation(this, `${tier}-${i}-rta`, {
          subnetId: subnet.id,
          routeTableId: table.id,
        });
        subnets[tier].push(subnet);
        routeTables[tier].push(table);
      });
    }
    this.subnets = subnets;
    this.routeTables = routeTables;
    this.publicSubnetIds = subnets.public.map((s) => s.id);
    this.privateSubnetIds = subnets.private.map((s) => s.id);
    this.gpuSubnetIds = subnets.gpu.map((s) => s.id);
    this.dataSubnetIds = subnets.data.map((s) => s.id);
    this.publicRouteTableIds = routeTables.public.map((t) => t.id);
    this.privateRouteTableIds = routeTables.private.map((t) => t.id);
    this.gpuRouteTableIds = routeTables.gpu.map((t) => t.id);
    this.dataRouteTableIds = routeTables.data.map((t) => t.id);

    routeTables.public.forEach((table, i) => {
      new Route(this, `public-${i}-default-route`, {
        routeTableId: table.id,
        destinationCidrBlock: '0.0.0.0/0',
        gatewayId: this.internetGateway.id,
      });
    });

    const natCount = natMode === 'single' ? 1 : azs.length;
    const eips: Eip[] = [];
    const nats: NatGateway[] = [];
    for (let i = 0; i < natCount; i++) {
      // The EIP and NAT need the IGW attached first, or creation fails on a fresh VPC.
      const eip = new Eip(this, `nat-${i}-eip`, {
        domain: 'vpc',
        tags: { Name: `${prefix}-nat-${azs[i]}` },
        dependsOn: [this.internetGateway],
      });
      nats.push(
        new NatGateway(this, `nat-${i}`, {
          allocationId: eip.allocationId,
          subnetId: subnets.public[i].id,
          tags: { Name: `${prefix}-nat-${azs[i]}` },
          dependsOn: [this.internetGateway],
        }),
      );
      eips.push(eip);
    }
    this.natGateways = nats;
    this.natGatewayIds = nats.map((n) => n.id);
    this.natPublicIps = eips.map((e) => e.publicIp);

    for (const tier of ['private', 'gpu'] as const) {
      routeTables[tier].forEach((table, i) => {
        new Route(this, `${tier}-${i}-default-route`, {
          routeTableId: table.id,
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: nats[natMode === 'single' ? 0 : i].id,
        });
      });
    }

    // Video uploads and downloads from the API and GPU servers skip NAT data charges.
    this.s3Endpoint = new VpcEndpoint(this, 's3-endpoint', {
      vpcId: this.vpcId,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [...this.privateRouteTableIds, ...this.gpuRouteTableIds],
      tags: { Name: `${prefix}-s3` },
    });

    const interfaceEndpoints: Record<string, VpcEndpoint> = {};
    if (props.interfaceEndpoints) {
      const endpointGroup = new ManagedSecurityGroup(this, 'endpoint-sg', {
        vpcId: this.vpcId,
        name: `${prefix}-vpc-endpoints`,
        description: 'Interface VPC endpoints: HTTPS from the private and GPU tiers',
      });
      this.endpointSecurityGroup = endpointGroup;
      this.endpointSecurityGroupId = endpointGroup.securityGroupId;
      // Only the tiers that call AWS APIs: the public tier (load balancers, NAT) and the data tier
      // (RDS, Redis) never do.
      for (const tier of ['private', 'gpu'] as const) {
        props[TIER_PROP[tier]].forEach((cidr, i) => {
          endpointGroup.allowFrom(
            Peer.ipv4(cidr, `${tier}-${i}`),
            443,
            `HTTPS to the AWS service endpoints from the ${tier} subnet in ${azs[i]}`,
          );
        });
      }
      for (const service of endpointServices) {
        interfaceEndpoints[service] = new VpcEndpoint(this, `endpoint-${service.replace(/\./g, '-')}`, {
          vpcId: this.vpcId,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          // An interface endpoint takes one subnet per AZ, one network interface in each (VPC user
          // guide, "Interface VPC endpoints": subnets in different Availability Zones); the
          // private subnets hold them and the GPU subnets reach them through the local route.
          subnetIds: this.privateSubnetIds,
          securityGroupIds: [this.endpointSecurityGroupId],
          tags: { Name: `${prefix}-${service}` },
        });
      }
    }
    this.interfaceEndpoints = interfaceEndpoints;

    if (flowLogs) {
      this.flowLogGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
        name: `/vpc/${prefix}-flow-logs`,
        retentionInDays: flowLogRetentionDays,
      });
      this.flowLogRole = new IamRole(this, 'flow-log-role', {
        name: `${prefix}-vpc-flow-logs`,
        description: 'Lets VPC Flow Logs write to its CloudWatch Logs group',
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      });
      // The group exists already, so no CreateLogGroup; streams live under `<group arn>:*`.
      const flowLogPolicy = new IamRolePolicy(this, 'flow-log-policy', {
        name: 'write-flow-logs',
        role: this.flowLogRole.id,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'logs:CreateLogStream',
                'logs:PutLogEvents',
                'logs:DescribeLogGroups',
                'logs:DescribeLogStreams',
              ],
              Resource: [this.flowLogGroup.arn, `${this.flowLogGroup.arn}:*`],
            },
          ],
        }),
      });
      this.flowLog = new FlowLog(this, 'flow-log', {
        vpcId: this.vpcId,
        trafficType: 'ALL',
        logDestinationType: 'cloud-watch-logs',
        logDestination: this.flowLogGroup.arn,
        iamRoleArn: this.flowLogRole.arn,
        tags: { Name: `${prefix}-vpc` },
        // The role must already hold its permissions to publish to the group (VPC user guide,
        // "IAM role for publishing flow logs to CloudWatch Logs").
        dependsOn: [flowLogPolicy],
      });
    }

    this.dbSubnetGroup = new DbSubnetGroup(this, 'db-subnet-group', {
      name: `${prefix}-data`,
      description: 'RDS on the data tier (no internet route)',
      subnetIds: this.dataSubnetIds,
      tags: { Name: `${prefix}-data` },
    });
    this.dbSubnetGroupName = this.dbSubnetGroup.name;
    this.cacheSubnetGroup = new ElasticacheSubnetGroup(this, 'cache-subnet-group', {
      name: `${prefix}-data`,
      description: 'ElastiCache on the data tier (no internet route)',
      subnetIds: this.dataSubnetIds,
      tags: { Name: `${prefix}-data` },
    });
    this.cacheSubnetGroupName = this.cacheSubnetGroup.name;
  }

  /**
   * Allows inbound `port` from `peer` to the interface endpoints' security group. Throws when
   * `interfaceEndpoints` is off, since there is no group to open.
   */
  public allowFrom(peer: Peer, port: PortSpec, description: string): VpcSecurityGroupIngressRule {
    if (!this.endpointSecurityGroup) {
      throw new Error(
        `${this.node.path}: interfaceEndpoints is off, so there is no endpoint security group to allow ${peer.label} into`,
      );
    }
    return this.endpointSecurityGroup.allowFrom(peer, port, description);
  }

  private validate(
    props: VpcProps,
    natMode: NatGatewayMode,
    flowLogRetentionDays: number,
    endpointServices: readonly string[],
  ): void {
    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(
      props.namePrefix,
      NAME_PREFIX_PATTERN,
      'must be 2-48 lowercase letters, digits or hyphens, starting with a letter (RDS and IAM names derive from it)',
    );
    v.at('region').matches(props.region, REGION_PATTERN, 'must be an AWS region like ap-northeast-2');

    const azs = props.availabilityZones;
    const azField = v.at('availabilityZones');
    azField.check(azs.length >= 2, azs, 'must list at least 2 availability zones (RDS subnet groups need 2)');
    azs.forEach((az, i) => {
      azField
        .at(i)
        .check(
          typeof az === 'string' && az.length === props.region.length + 1 && az.startsWith(props.region),
          az,
          `must be an availability zone of region ${props.region}`,
        );
      azField.at(i).check(azs.indexOf(az) === i, az, 'is listed twice');
    });

    const vpc = parseCidr(v.at('vpcCidr'), props.vpcCidr, 16, 28);
    const seen: { field: string; cidr: string; address: Address4 }[] = [];
    for (const tier of TIERS) {
      const field = TIER_PROP[tier];
      const list = props[field];
      v.at(field).check(
        list.length === azs.length,
        list,
        `must hold exactly one subnet per availability zone (${azs.length})`,
      );
      list.forEach((cidr, i) => {
        const s = v.at(field).at(i);
        const address = parseCidr(s, cidr, 16, 28);
        if (!address) return;
        if (vpc && !address.isInSubnet(vpc)) s.report(cidr, `is not inside vpcCidr ${props.vpcCidr}`);
        for (const other of seen) {
          if (address.isInSubnet(other.address) || other.address.isInSubnet(address)) {
            s.report(cidr, `overlaps ${other.field} ${other.cidr}`);
          }
        }
        seen.push({ field: `${field}[${i}]`, cidr, address });
      });
    }

    v.at('natGateways').oneOf(natMode, ['single', 'one-per-az']);
    v.at('flowLogRetentionDays').check(
      (LOG_RETENTION_DAYS as readonly number[]).includes(flowLogRetentionDays),
      flowLogRetentionDays,
      `must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
    );
    if (props.interfaceEndpoints) {
      v.at('interfaceEndpointServices').check(
        endpointServices.length > 0,
        endpointServices,
        'must list at least one service when interfaceEndpoints is on',
      );
    }
    endpointServices.forEach((service, i) => {
      const s = v.at('interfaceEndpointServices').at(i);
      s.matches(
        service,
        SERVICE_PATTERN,
        'must be an endpoint service like ecr.api (no com.amazonaws.<region>. prefix)',
      );
      s.check(service !== 's3', service, 'must not be s3 (the S3 gateway endpoint is always created)');
      s.check(endpointServices.indexOf(service) === i, service, 'is listed twice');
    });
    throwIfIssues(v.issues);
  }
}
