import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { Peer } from '../src/lib/security-group';
import { Vpc, type VpcProps } from '../src/modules/vpc';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

/** Only the required props: every optional one takes its default. */
const MIN: VpcProps = {
  namePrefix: 'p-e',
  region: 'ap-northeast-2',
  // /16 and /28: the largest VPC and the smallest subnet the module takes.
  vpcCidr: '10.9.0.0/16',
  availabilityZones: ['ap-northeast-2a', 'ap-northeast-2c'],
  publicSubnets: ['10.9.0.0/24', '10.9.1.0/24'],
  privateSubnets: ['10.9.16.0/20', '10.9.32.0/20'],
  gpuSubnets: ['10.9.64.0/20', '10.9.80.0/20'],
  dataSubnets: ['10.9.128.0/28', '10.9.128.16/28'],
};

/** Every resource of the synth by type and address, its JSON policy documents parsed. */
function resourcesRead(props: VpcProps): Json {
  const json = synthScope((scope) => {
    new Vpc(scope, 'network', props);
  });
  const out: Json = {};
  for (const [type, resources] of Object.entries<Json>(json.resource)) {
    out[type] = Object.fromEntries(
      Object.entries<Json>(resources).map(([address, body]) => {
        const copy = { ...body };
        for (const key of ['policy', 'assume_role_policy']) {
          if (typeof copy[key] === 'string') copy[key] = JSON.parse(copy[key]);
        }
        return [address, copy];
      }),
    );
  }
  return out;
}

describe('Vpc with only the required props', () => {
  const all = resourcesRead(MIN);

  it('builds the whole network with its defaults: one NAT gateway per AZ, flow logs kept 30 days, no interface endpoints', () => {
    expect(all).toEqual({
      aws_cloudwatch_log_group: {
        'network_flow-log-group_73759AFD': {
          name: '/vpc/p-e-flow-logs',
          retention_in_days: 30,
        },
      },
      aws_db_subnet_group: {
        'network_db-subnet-group_C930E3C6': {
          description: 'RDS on the data tier (no internet route)',
          name: 'p-e-data',
          subnet_ids: [
            '${aws_subnet.network_data-0_D885DC7E.id}',
            '${aws_subnet.network_data-1_266948A5.id}',
          ],
          tags: {
            Name: 'p-e-data',
          },
        },
      },
      aws_default_security_group: {
        'network_default-sg_0F35F98C': {
          egress: [],
          ingress: [],
          tags: {
            Name: 'p-e-default-unused',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
      },
      aws_eip: {
        'network_nat-0-eip_D0BD6ED7': {
          depends_on: ['aws_internet_gateway.network_igw_5DF1EDA1'],
          domain: 'vpc',
          tags: {
            Name: 'p-e-nat-ap-northeast-2a',
          },
        },
        'network_nat-1-eip_9D53D89B': {
          depends_on: ['aws_internet_gateway.network_igw_5DF1EDA1'],
          domain: 'vpc',
          tags: {
            Name: 'p-e-nat-ap-northeast-2c',
          },
        },
      },
      aws_elasticache_subnet_group: {
        'network_cache-subnet-group_F70E0C73': {
          description: 'ElastiCache on the data tier (no internet route)',
          name: 'p-e-data',
          subnet_ids: [
            '${aws_subnet.network_data-0_D885DC7E.id}',
            '${aws_subnet.network_data-1_266948A5.id}',
          ],
          tags: {
            Name: 'p-e-data',
          },
        },
      },
      aws_flow_log: {
        'network_flow-log_4CEF6CCF': {
          depends_on: ['aws_iam_role_policy.network_flow-log-policy_D2D7635F'],
          iam_role_arn: '${aws_iam_role.network_flow-log-role_D4C6C2EC.arn}',
          log_destination: '${aws_cloudwatch_log_group.network_flow-log-group_73759AFD.arn}',
          log_destination_type: 'cloud-watch-logs',
          tags: {
            Name: 'p-e-vpc',
          },
          traffic_type: 'ALL',
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
      },
      aws_iam_role: {
        'network_flow-log-role_D4C6C2EC': {
          assume_role_policy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: {
                  Service: 'vpc-flow-logs.amazonaws.com',
                },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          description: 'Lets VPC Flow Logs write to its CloudWatch Logs group',
          name: 'p-e-vpc-flow-logs',
        },
      },
      aws_iam_role_policy: {
        'network_flow-log-policy_D2D7635F': {
          name: 'write-flow-logs',
          policy: {
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
                Resource: [
                  '${aws_cloudwatch_log_group.network_flow-log-group_73759AFD.arn}',
                  '${aws_cloudwatch_log_group.network_flow-log-group_73759AFD.arn}:*',
                ],
              },
            ],
          },
          role: '${aws_iam_role.network_flow-log-role_D4C6C2EC.id}',
        },
      },
      aws_internet_gateway: {
        network_igw_5DF1EDA1: {
          tags: {
            Name: 'p-e-igw',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
      },
      aws_nat_gateway: {
        'network_nat-0_D2F55FEE': {
          allocation_id: '${aws_eip.network_nat-0-eip_D0BD6ED7.allocation_id}',
          depends_on: ['aws_internet_gateway.network_igw_5DF1EDA1'],
          subnet_id: '${aws_subnet.network_public-0_A4E682E0.id}',
          tags: {
            Name: 'p-e-nat-ap-northeast-2a',
          },
        },
        'network_nat-1_A72B97BB': {
          allocation_id: '${aws_eip.network_nat-1-eip_9D53D89B.allocation_id}',
          depends_on: ['aws_internet_gateway.network_igw_5DF1EDA1'],
          subnet_id: '${aws_subnet.network_public-1_8D79547B.id}',
          tags: {
            Name: 'p-e-nat-ap-northeast-2c',
          },
        },
      },
      aws_route: {
        'network_gpu-0-default-route_0ED87D10': {
          destination_cidr_block: '0.0.0.0/0',
          nat_gateway_id: '${aws_nat_gateway.network_nat-0_D2F55FEE.id}',
          route_table_id: '${aws_route_table.network_gpu-0-rt_4BF5CD8B.id}',
        },
        'network_gpu-1-default-route_B1803C6F': {
          destination_cidr_block: '0.0.0.0/0',
          nat_gateway_id: '${aws_nat_gateway.network_nat-1_A72B97BB.id}',
          route_table_id: '${aws_route_table.network_gpu-1-rt_1EB68697.id}',
        },
        'network_private-0-default-route_386F73E8': {
          destination_cidr_block: '0.0.0.0/0',
          nat_gateway_id: '${aws_nat_gateway.network_nat-0_D2F55FEE.id}',
          route_table_id: '${aws_route_table.network_private-0-rt_708F33C0.id}',
        },
        'network_private-1-default-route_AD127BD6': {
          destination_cidr_block: '0.0.0.0/0',
          nat_gateway_id: '${aws_nat_gateway.network_nat-1_A72B97BB.id}',
          route_table_id: '${aws_route_table.network_private-1-rt_64ABB613.id}',
        },
        'network_public-0-default-route_BFE89039': {
          destination_cidr_block: '0.0.0.0/0',
          gateway_id: '${aws_internet_gateway.network_igw_5DF1EDA1.id}',
          route_table_id: '${aws_route_table.network_public-0-rt_98066E5D.id}',
        },
        'network_public-1-default-route_89013DCA': {
          destination_cidr_block: '0.0.0.0/0',
          gateway_id: '${aws_internet_gateway.network_igw_5DF1EDA1.id}',
          route_table_id: '${aws_route_table.network_public-1-rt_11944866.id}',
        },
      },
      aws_route_table: {
        'network_data-0-rt_2E5014C7': {
          tags: {
            Name: 'p-e-data-ap-northeast-2a',
            Tier: 'data',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_data-1-rt_AD1798AC': {
          tags: {
            Name: 'p-e-data-ap-northeast-2c',
            Tier: 'data',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_gpu-0-rt_4BF5CD8B': {
          tags: {
            Name: 'p-e-gpu-ap-northeast-2a',
            Tier: 'gpu',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_gpu-1-rt_1EB68697': {
          tags: {
            Name: 'p-e-gpu-ap-northeast-2c',
            Tier: 'gpu',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_private-0-rt_708F33C0': {
          tags: {
            Name: 'p-e-private-ap-northeast-2a',
            Tier: 'private',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_private-1-rt_64ABB613': {
          tags: {
            Name: 'p-e-private-ap-northeast-2c',
            Tier: 'private',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_public-0-rt_98066E5D': {
          tags: {
            Name: 'p-e-public-ap-northeast-2a',
            Tier: 'public',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_public-1-rt_11944866': {
          tags: {
            Name: 'p-e-public-ap-northeast-2c',
            Tier: 'public',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
      },
      aws_route_table_association: {
        'network_data-0-rta_FB15EE36': {
          route_table_id: '${aws_route_table.network_data-0-rt_2E5014C7.id}',
          subnet_id: '${aws_subnet.network_data-0_D885DC7E.id}',
        },
        'network_data-1-rta_A4A6546F': {
          route_table_id: '${aws_route_table.network_data-1-rt_AD1798AC.id}',
          subnet_id: '${aws_subnet.network_data-1_266948A5.id}',
        },
        'network_gpu-0-rta_1043AEFF': {
          route_table_id: '${aws_route_table.network_gpu-0-rt_4BF5CD8B.id}',
          subnet_id: '${aws_subnet.network_gpu-0_8EC44FA2.id}',
        },
        'network_gpu-1-rta_BF766C7B': {
          route_table_id: '${aws_route_table.network_gpu-1-rt_1EB68697.id}',
          subnet_id: '${aws_subnet.network_gpu-1_F982689E.id}',
        },
        'network_private-0-rta_EE8E3C27': {
          route_table_id: '${aws_route_table.network_private-0-rt_708F33C0.id}',
          subnet_id: '${aws_subnet.network_private-0_A0649C48.id}',
        },
        'network_private-1-rta_EFD631C8': {
          route_table_id: '${aws_route_table.network_private-1-rt_64ABB613.id}',
          subnet_id: '${aws_subnet.network_private-1_4188AF2B.id}',
        },
        'network_public-0-rta_6BAFB1DB': {
          route_table_id: '${aws_route_table.network_public-0-rt_98066E5D.id}',
          subnet_id: '${aws_subnet.network_public-0_A4E682E0.id}',
        },
        'network_public-1-rta_5AB9F371': {
          route_table_id: '${aws_route_table.network_public-1-rt_11944866.id}',
          subnet_id: '${aws_subnet.network_public-1_8D79547B.id}',
        },
      },
      aws_subnet: {
        'network_data-0_D885DC7E': {
          availability_zone: 'ap-northeast-2a',
          cidr_block: '10.9.128.0/28',
          map_public_ip_on_launch: false,
          tags: {
            Name: 'p-e-data-ap-northeast-2a',
            Tier: 'data',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_data-1_266948A5': {
          availability_zone: 'ap-northeast-2c',
          cidr_block: '10.9.128.16/28',
          map_public_ip_on_launch: false,
          tags: {
            Name: 'p-e-data-ap-northeast-2c',
            Tier: 'data',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_gpu-0_8EC44FA2': {
          availability_zone: 'ap-northeast-2a',
          cidr_block: '10.9.64.0/20',
          map_public_ip_on_launch: false,
          tags: {
            Name: 'p-e-gpu-ap-northeast-2a',
            Tier: 'gpu',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_gpu-1_F982689E': {
          availability_zone: 'ap-northeast-2c',
          cidr_block: '10.9.80.0/20',
          map_public_ip_on_launch: false,
          tags: {
            Name: 'p-e-gpu-ap-northeast-2c',
            Tier: 'gpu',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_private-0_A0649C48': {
          availability_zone: 'ap-northeast-2a',
          cidr_block: '10.9.16.0/20',
          map_public_ip_on_launch: false,
          tags: {
            Name: 'p-e-private-ap-northeast-2a',
            Tier: 'private',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_private-1_4188AF2B': {
          availability_zone: 'ap-northeast-2c',
          cidr_block: '10.9.32.0/20',
          map_public_ip_on_launch: false,
          tags: {
            Name: 'p-e-private-ap-northeast-2c',
            Tier: 'private',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_public-0_A4E682E0': {
          availability_zone: 'ap-northeast-2a',
          cidr_block: '10.9.0.0/24',
          map_public_ip_on_launch: true,
          tags: {
            Name: 'p-e-public-ap-northeast-2a',
            Tier: 'public',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
        'network_public-1_8D79547B': {
          availability_zone: 'ap-northeast-2c',
          cidr_block: '10.9.1.0/24',
          map_public_ip_on_launch: true,
          tags: {
            Name: 'p-e-public-ap-northeast-2c',
            Tier: 'public',
          },
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
      },
      aws_vpc: {
        network_vpc_4E8F0223: {
          cidr_block: '10.9.0.0/16',
          enable_dns_hostnames: true,
          enable_dns_support: true,
          tags: {
            Name: 'p-e-vpc',
          },
        },
      },
      aws_vpc_endpoint: {
        'network_s3-endpoint_3093E6A5': {
          route_table_ids: [
            '${aws_route_table.network_private-0-rt_708F33C0.id}',
            '${aws_route_table.network_private-1-rt_64ABB613.id}',
            '${aws_route_table.network_gpu-0-rt_4BF5CD8B.id}',
            '${aws_route_table.network_gpu-1-rt_1EB68697.id}',
          ],
          service_name: 'com.amazonaws.ap-northeast-2.s3',
          tags: {
            Name: 'p-e-s3',
          },
          vpc_endpoint_type: 'Gateway',
          vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
        },
      },
    });
  });
});

describe('Vpc interface endpoints (read whole)', () => {
  const all = resourcesRead({
    ...MIN,
    flowLogs: false,
    interfaceEndpoints: true,
    interfaceEndpointServices: ['ecr.api', 'comprehend'],
  });

  it('creates the endpoint group with HTTPS from each private and GPU subnet, each rule described with its tier and AZ', () => {
    expect(all.aws_security_group).toEqual({
      'network_endpoint-sg_group_FB9D6DC8': {
        description: 'Interface VPC endpoints: HTTPS from the private and GPU tiers',
        lifecycle: {
          create_before_destroy: true,
        },
        name: 'p-e-vpc-endpoints',
        tags: {
          Name: 'p-e-vpc-endpoints',
        },
        vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
      },
    });
    expect(all.aws_vpc_security_group_ingress_rule).toEqual({
      'network_endpoint-sg_in-gpu-0-443_542814A8': {
        cidr_ipv4: '10.9.64.0/20',
        description: 'HTTPS to the AWS service endpoints from the gpu subnet in ap-northeast-2a',
        from_port: 443,
        ip_protocol: 'tcp',
        security_group_id: '${aws_security_group.network_endpoint-sg_group_FB9D6DC8.id}',
        to_port: 443,
      },
      'network_endpoint-sg_in-gpu-1-443_84E4096F': {
        cidr_ipv4: '10.9.80.0/20',
        description: 'HTTPS to the AWS service endpoints from the gpu subnet in ap-northeast-2c',
        from_port: 443,
        ip_protocol: 'tcp',
        security_group_id: '${aws_security_group.network_endpoint-sg_group_FB9D6DC8.id}',
        to_port: 443,
      },
      'network_endpoint-sg_in-private-0-443_93A62E42': {
        cidr_ipv4: '10.9.16.0/20',
        description: 'HTTPS to the AWS service endpoints from the private subnet in ap-northeast-2a',
        from_port: 443,
        ip_protocol: 'tcp',
        security_group_id: '${aws_security_group.network_endpoint-sg_group_FB9D6DC8.id}',
        to_port: 443,
      },
      'network_endpoint-sg_in-private-1-443_13ABE5CD': {
        cidr_ipv4: '10.9.32.0/20',
        description: 'HTTPS to the AWS service endpoints from the private subnet in ap-northeast-2c',
        from_port: 443,
        ip_protocol: 'tcp',
        security_group_id: '${aws_security_group.network_endpoint-sg_group_FB9D6DC8.id}',
        to_port: 443,
      },
    });
  });

  it('creates only the listed services, in the private subnets, addressed by the service name with dots as hyphens', () => {
    expect(all.aws_vpc_endpoint).toEqual({
      'network_endpoint-comprehend_FB7FEBAB': {
        private_dns_enabled: true,
        security_group_ids: ['${aws_security_group.network_endpoint-sg_group_FB9D6DC8.id}'],
        service_name: 'com.amazonaws.ap-northeast-2.comprehend',
        subnet_ids: [
          '${aws_subnet.network_private-0_A0649C48.id}',
          '${aws_subnet.network_private-1_4188AF2B.id}',
        ],
        tags: {
          Name: 'p-e-comprehend',
        },
        vpc_endpoint_type: 'Interface',
        vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
      },
      'network_endpoint-ecr-api_D4544AC2': {
        private_dns_enabled: true,
        security_group_ids: ['${aws_security_group.network_endpoint-sg_group_FB9D6DC8.id}'],
        service_name: 'com.amazonaws.ap-northeast-2.ecr.api',
        subnet_ids: [
          '${aws_subnet.network_private-0_A0649C48.id}',
          '${aws_subnet.network_private-1_4188AF2B.id}',
        ],
        tags: {
          Name: 'p-e-ecr.api',
        },
        vpc_endpoint_type: 'Interface',
        vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
      },
      'network_s3-endpoint_3093E6A5': {
        route_table_ids: [
          '${aws_route_table.network_private-0-rt_708F33C0.id}',
          '${aws_route_table.network_private-1-rt_64ABB613.id}',
          '${aws_route_table.network_gpu-0-rt_4BF5CD8B.id}',
          '${aws_route_table.network_gpu-1-rt_1EB68697.id}',
        ],
        service_name: 'com.amazonaws.ap-northeast-2.s3',
        tags: {
          Name: 'p-e-s3',
        },
        vpc_endpoint_type: 'Gateway',
        vpc_id: '${aws_vpc.network_vpc_4E8F0223.id}',
      },
    });
  });
});

const THREE_AZS: VpcProps = {
  ...MIN,
  availabilityZones: ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'],
  publicSubnets: ['10.9.0.0/24', '10.9.1.0/24', '10.9.2.0/24'],
  privateSubnets: ['10.9.16.0/20', '10.9.32.0/20', '10.9.48.0/20'],
  gpuSubnets: ['10.9.64.0/20', '10.9.80.0/20', '10.9.96.0/20'],
  dataSubnets: ['10.9.128.0/28', '10.9.128.16/28', '10.9.128.32/28'],
};

describe('Vpc NAT gateways across three AZs', () => {
  it('single: one EIP and NAT gateway in the first public subnet, the default route of every private and GPU table through it', () => {
    const all = resourcesRead({ ...THREE_AZS, natGateways: 'single' });
    // The EIP and NAT wait for the IGW: creation fails on a VPC without an attached gateway.
    expect(all.aws_eip).toEqual({
      'network_nat-0-eip_D0BD6ED7': {
        depends_on: ['aws_internet_gateway.network_igw_5DF1EDA1'],
        domain: 'vpc',
        tags: { Name: 'p-e-nat-ap-northeast-2a' },
      },
    });
    expect(all.aws_nat_gateway).toEqual({
      'network_nat-0_D2F55FEE': {
        allocation_id: '${aws_eip.network_nat-0-eip_D0BD6ED7.allocation_id}',
        depends_on: ['aws_internet_gateway.network_igw_5DF1EDA1'],
        subnet_id: '${aws_subnet.network_public-0_A4E682E0.id}',
        tags: { Name: 'p-e-nat-ap-northeast-2a' },
      },
    });
    const nat0 = '${aws_nat_gateway.network_nat-0_D2F55FEE.id}';
    const igw = '${aws_internet_gateway.network_igw_5DF1EDA1.id}';
    expect(all.aws_route).toEqual({
      'network_gpu-0-default-route_0ED87D10': {
        destination_cidr_block: '0.0.0.0/0',
        nat_gateway_id: nat0,
        route_table_id: '${aws_route_table.network_gpu-0-rt_4BF5CD8B.id}',
      },
      'network_gpu-1-default-route_B1803C6F': {
        destination_cidr_block: '0.0.0.0/0',
        nat_gateway_id: nat0,
        route_table_id: '${aws_route_table.network_gpu-1-rt_1EB68697.id}',
      },
      'network_gpu-2-default-route_9007C6CF': {
        destination_cidr_block: '0.0.0.0/0',
        nat_gateway_id: nat0,
        route_table_id: '${aws_route_table.network_gpu-2-rt_F7A5D2D7.id}',
      },
      'network_private-0-default-route_386F73E8': {
        destination_cidr_block: '0.0.0.0/0',
        nat_gateway_id: nat0,
        route_table_id: '${aws_route_table.network_private-0-rt_708F33C0.id}',
      },
      'network_private-1-default-route_AD127BD6': {
        destination_cidr_block: '0.0.0.0/0',
        nat_gateway_id: nat0,
        route_table_id: '${aws_route_table.network_private-1-rt_64ABB613.id}',
      },
      'network_private-2-default-route_49351674': {
        destination_cidr_block: '0.0.0.0/0',
        nat_gateway_id: nat0,
        route_table_id: '${aws_route_table.network_private-2-rt_197B5A03.id}',
      },
      'network_public-0-default-route_BFE89039': {
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: igw,
        route_table_id: '${aws_route_table.network_public-0-rt_98066E5D.id}',
      },
      'network_public-1-default-route_89013DCA': {
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: igw,
        route_table_id: '${aws_route_table.network_public-1-rt_11944866.id}',
      },
      'network_public-2-default-route_93150FD4': {
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: igw,
        route_table_id: '${aws_route_table.network_public-2-rt_15B8E6F9.id}',
      },
    });
  });

  it('one-per-az (the default): three NAT gateways, each AZ routing through its own', () => {
    const all = resourcesRead(THREE_AZS);
    expect(Object.keys(all.aws_nat_gateway)).toEqual([
      'network_nat-0_D2F55FEE',
      'network_nat-1_A72B97BB',
      'network_nat-2_1CA02788',
    ]);
    expect(all.aws_nat_gateway['network_nat-2_1CA02788']).toEqual({
      allocation_id: '${aws_eip.network_nat-2-eip_0F1795A9.allocation_id}',
      depends_on: ['aws_internet_gateway.network_igw_5DF1EDA1'],
      subnet_id: '${aws_subnet.network_public-2_7452BF82.id}',
      tags: { Name: 'p-e-nat-ap-northeast-2c' },
    });
    expect(
      Object.fromEntries(
        Object.entries<Json>(all.aws_route).map(([address, r]) => [
          address,
          r.nat_gateway_id ?? r.gateway_id,
        ]),
      ),
    ).toEqual({
      'network_gpu-0-default-route_0ED87D10': '${aws_nat_gateway.network_nat-0_D2F55FEE.id}',
      'network_gpu-1-default-route_B1803C6F': '${aws_nat_gateway.network_nat-1_A72B97BB.id}',
      'network_gpu-2-default-route_9007C6CF': '${aws_nat_gateway.network_nat-2_1CA02788.id}',
      'network_private-0-default-route_386F73E8': '${aws_nat_gateway.network_nat-0_D2F55FEE.id}',
      'network_private-1-default-route_AD127BD6': '${aws_nat_gateway.network_nat-1_A72B97BB.id}',
      'network_private-2-default-route_49351674': '${aws_nat_gateway.network_nat-2_1CA02788.id}',
      'network_public-0-default-route_BFE89039': '${aws_internet_gateway.network_igw_5DF1EDA1.id}',
      'network_public-1-default-route_89013DCA': '${aws_internet_gateway.network_igw_5DF1EDA1.id}',
      'network_public-2-default-route_93150FD4': '${aws_internet_gateway.network_igw_5DF1EDA1.id}',
    });
  });
});

describe('Vpc defaults and switches', () => {
  it('creates the nine default interface endpoints when interfaceEndpoints is on and no services are listed', () => {
    const all = resourcesRead({ ...MIN, interfaceEndpoints: true });
    expect(
      Object.fromEntries(
        Object.entries<Json>(all.aws_vpc_endpoint).map(([address, e]) => [
          address,
          [e.service_name, e.tags.Name],
        ]),
      ),
    ).toEqual({
      'network_endpoint-ec2messages_4A45AA0D': [
        'com.amazonaws.ap-northeast-2.ec2messages',
        'p-e-ec2messages',
      ],
      'network_endpoint-ecr-api_D4544AC2': ['com.amazonaws.ap-northeast-2.ecr.api', 'p-e-ecr.api'],
      'network_endpoint-ecr-dkr_CF8099FB': ['com.amazonaws.ap-northeast-2.ecr.dkr', 'p-e-ecr.dkr'],
      'network_endpoint-logs_CE5FA222': ['com.amazonaws.ap-northeast-2.logs', 'p-e-logs'],
      'network_endpoint-monitoring_B8360E78': ['com.amazonaws.ap-northeast-2.monitoring', 'p-e-monitoring'],
      'network_endpoint-secretsmanager_E3AC2FC7': [
        'com.amazonaws.ap-northeast-2.secretsmanager',
        'p-e-secretsmanager',
      ],
      'network_endpoint-ssm_F4BDAE05': ['com.amazonaws.ap-northeast-2.ssm', 'p-e-ssm'],
      'network_endpoint-ssmmessages_DD03304E': [
        'com.amazonaws.ap-northeast-2.ssmmessages',
        'p-e-ssmmessages',
      ],
      'network_endpoint-sts_888AF5F0': ['com.amazonaws.ap-northeast-2.sts', 'p-e-sts'],
      'network_s3-endpoint_3093E6A5': ['com.amazonaws.ap-northeast-2.s3', 'p-e-s3'],
    });
  });

  it('leaves out the flow log, its group, role and policy when flowLogs is false, and the endpoints when interfaceEndpoints is false', () => {
    const all = resourcesRead({
      ...MIN,
      flowLogs: false,
      interfaceEndpoints: false,
      interfaceEndpointServices: [],
    });
    expect(Object.keys(all).sort()).toEqual([
      'aws_db_subnet_group',
      'aws_default_security_group',
      'aws_eip',
      'aws_elasticache_subnet_group',
      'aws_internet_gateway',
      'aws_nat_gateway',
      'aws_route',
      'aws_route_table',
      'aws_route_table_association',
      'aws_subnet',
      'aws_vpc',
      'aws_vpc_endpoint',
    ]);
    expect(Object.keys(all.aws_vpc_endpoint)).toEqual(['network_s3-endpoint_3093E6A5']);
  });

  it('keeps the flow-log group for the retention given (3653, the longest CloudWatch Logs value)', () => {
    const all = resourcesRead({ ...MIN, flowLogRetentionDays: 3653 });
    expect(all.aws_cloudwatch_log_group).toEqual({
      'network_flow-log-group_73759AFD': { name: '/vpc/p-e-flow-logs', retention_in_days: 3653 },
    });
  });

  it('exposes the subnet, route table, NAT IP and subnet group references, and the AZs and CIDR of the props', () => {
    let vpc: Vpc | undefined;
    const json = synthScope((scope) => {
      vpc = new Vpc(scope, 'network', {
        ...MIN,
        interfaceEndpoints: true,
        interfaceEndpointServices: ['sts'],
      });
      const fields = [
        'vpcId',
        'publicSubnetIds',
        'privateSubnetIds',
        'gpuSubnetIds',
        'dataSubnetIds',
        'publicRouteTableIds',
        'privateRouteTableIds',
        'gpuRouteTableIds',
        'dataRouteTableIds',
        'natGatewayIds',
        'natPublicIps',
        'dbSubnetGroupName',
        'cacheSubnetGroupName',
        'endpointSecurityGroupId',
      ] as const;
      for (const field of fields) new TerraformOutput(scope, field, { value: vpc[field] });
    });
    const value = (field: string) => json.output[field].value;
    expect(value('vpcId')).toBe('${aws_vpc.network_vpc_4E8F0223.id}');
    expect(value('publicSubnetIds')).toEqual([
      '${aws_subnet.network_public-0_A4E682E0.id}',
      '${aws_subnet.network_public-1_8D79547B.id}',
    ]);
    expect(value('privateSubnetIds')).toEqual([
      '${aws_subnet.network_private-0_A0649C48.id}',
      '${aws_subnet.network_private-1_4188AF2B.id}',
    ]);
    expect(value('gpuSubnetIds')).toEqual([
      '${aws_subnet.network_gpu-0_8EC44FA2.id}',
      '${aws_subnet.network_gpu-1_F982689E.id}',
    ]);
    expect(value('dataSubnetIds')).toEqual([
      '${aws_subnet.network_data-0_D885DC7E.id}',
      '${aws_subnet.network_data-1_266948A5.id}',
    ]);
    expect(value('publicRouteTableIds')).toEqual([
      '${aws_route_table.network_public-0-rt_98066E5D.id}',
      '${aws_route_table.network_public-1-rt_11944866.id}',
    ]);
    expect(value('privateRouteTableIds')).toEqual([
      '${aws_route_table.network_private-0-rt_708F33C0.id}',
      '${aws_route_table.network_private-1-rt_64ABB613.id}',
    ]);
    expect(value('gpuRouteTableIds')).toEqual([
      '${aws_route_table.network_gpu-0-rt_4BF5CD8B.id}',
      '${aws_route_table.network_gpu-1-rt_1EB68697.id}',
    ]);
    expect(value('dataRouteTableIds')).toEqual([
      '${aws_route_table.network_data-0-rt_2E5014C7.id}',
      '${aws_route_table.network_data-1-rt_AD1798AC.id}',
    ]);
    expect(value('natGatewayIds')).toEqual([
      '${aws_nat_gateway.network_nat-0_D2F55FEE.id}',
      '${aws_nat_gateway.network_nat-1_A72B97BB.id}',
    ]);
    expect(value('natPublicIps')).toEqual([
      '${aws_eip.network_nat-0-eip_D0BD6ED7.public_ip}',
      '${aws_eip.network_nat-1-eip_9D53D89B.public_ip}',
    ]);
    expect(value('dbSubnetGroupName')).toBe('${aws_db_subnet_group.network_db-subnet-group_C930E3C6.name}');
    expect(value('cacheSubnetGroupName')).toBe(
      '${aws_elasticache_subnet_group.network_cache-subnet-group_F70E0C73.name}',
    );
    expect(value('endpointSecurityGroupId')).toBe(
      '${aws_security_group.network_endpoint-sg_group_FB9D6DC8.id}',
    );
    expect(vpc!.availabilityZones).toEqual(['ap-northeast-2a', 'ap-northeast-2c']);
    expect(vpc!.vpcCidr).toBe('10.9.0.0/16');
    expect(Object.keys(vpc!.interfaceEndpoints)).toEqual(['sts']);
    expect(vpc!.natGateways).toHaveLength(2);
    expect(vpc!.flowLog).toBeDefined();
  });

  it('allowFrom opens the endpoint group to a peer with the port and description given', () => {
    const json = synthScope((scope) => {
      const v = new Vpc(scope, 'network', {
        ...MIN,
        interfaceEndpoints: true,
        interfaceEndpointServices: ['sts'],
      });
      v.allowFrom(Peer.securityGroup('sg-123', 'api'), 443, 'HTTPS from the API tasks');
    });
    const rules = resourcesOf(json, 'aws_vpc_security_group_ingress_rule');
    expect(Object.keys(rules)).toHaveLength(5);
    expect(Object.values(rules).filter((r) => r.referenced_security_group_id !== undefined)).toEqual([
      {
        description: 'HTTPS from the API tasks',
        from_port: 443,
        ip_protocol: 'tcp',
        referenced_security_group_id: 'sg-123',
        security_group_id: '${aws_security_group.network_endpoint-sg_group_FB9D6DC8.id}',
        to_port: 443,
      },
    ]);
  });
});

describe('Vpc validation edges', () => {
  const build = (props: Partial<VpcProps>) => () =>
    new Vpc(new TerraformStack(Testing.app(), 'stack'), 'network', { ...MIN, ...props });
  const oneProblem = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;
  const PREFIX_RULE =
    'must be 2-48 lowercase letters, digits or hyphens, starting with a letter (RDS and IAM names derive from it)';

  it('takes a name prefix of 2 and of 48 characters', () => {
    expect(build({ namePrefix: 'ab' })).not.toThrow();
    expect(build({ namePrefix: `a${'b'.repeat(47)}` })).not.toThrow();
  });

  it('fails when the name prefix is 1 or 49 characters, ends in a hyphen or starts with a digit', () => {
    for (const prefix of ['a', `a${'b'.repeat(48)}`, 'ecg-', '1ecg', 'ecg_x']) {
      expect(errorOf(build({ namePrefix: prefix }))).toBe(
        oneProblem(`stack/network.namePrefix ${prefix} ${PREFIX_RULE}`),
      );
    }
  });

  it('fails when an availability zone is longer than region plus one letter, or of another region of that length', () => {
    expect(errorOf(build({ availabilityZones: ['ap-northeast-2a', 'ap-northeast-2ab'] }))).toBe(
      oneProblem(
        'stack/network.availabilityZones[1] ap-northeast-2ab must be an availability zone of region ap-northeast-2',
      ),
    );
    expect(errorOf(build({ availabilityZones: ['xap-northeast-2', 'ap-northeast-2c'] }))).toBe(
      oneProblem(
        'stack/network.availabilityZones[0] xap-northeast-2 must be an availability zone of region ap-northeast-2',
      ),
    );
  });

  it('fails when the VPC is larger than /16 or smaller than /28, and a subnet larger than /16', () => {
    expect(errorOf(build({ vpcCidr: '10.8.0.0/15' }))).toBe(
      oneProblem('stack/network.vpcCidr 10.8.0.0/15 must have a prefix length from /16 to /28'),
    );
    expect(errorOf(build({ dataSubnets: ['10.9.128.0/29', '10.9.128.16/28'] }))).toBe(
      oneProblem('stack/network.dataSubnets[0] 10.9.128.0/29 must have a prefix length from /16 to /28'),
    );
    expect(errorOf(build({ dataSubnets: ['10.9.128.0/28', '10.10.0.0/15'] }))).toBe(
      oneProblem('stack/network.dataSubnets[1] 10.10.0.0/15 must have a prefix length from /16 to /28'),
    );
  });

  it('fails when a CIDR has an octet above 255', () => {
    expect(errorOf(build({ publicSubnets: ['10.9.0.0/24', '10.9.256.0/24'] }))).toBe(
      oneProblem('stack/network.publicSubnets[1] 10.9.256.0/24 must be an IPv4 CIDR like 10.0.0.0/16'),
    );
  });

  // Address4 alone takes an address without a prefix length (as a /32) and text around a CIDR.
  it.each([
    ['no prefix length', '10.9.1.0', '10.9.1.0'],
    ['text before the address', 'x10.9.1.0/24', 'x10.9.1.0/24'],
    ['text after the prefix length', '10.9.1.0/24x', '10.9.1.0/24x'],
    ['a number instead of text', 10, '10'],
  ])('fails when a CIDR has %s', (_, cidr, shown) => {
    expect(errorOf(build({ publicSubnets: ['10.9.0.0/24', cidr as string] }))).toBe(
      oneProblem(`stack/network.publicSubnets[1] ${shown} must be an IPv4 CIDR like 10.0.0.0/16`),
    );
  });

  it('fails when a later subnet contains an earlier one, naming each it overlaps', () => {
    expect(errorOf(build({ privateSubnets: ['10.9.0.0/20', '10.9.32.0/20'] }))).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - stack/network.privateSubnets[0] 10.9.0.0/20 overlaps publicSubnets[0] 10.9.0.0/24',
        '  - stack/network.privateSubnets[0] 10.9.0.0/20 overlaps publicSubnets[1] 10.9.1.0/24',
      ].join('\n'),
    );
  });

  it('fails when a subnet of a later tier lies inside one of an earlier tier', () => {
    expect(errorOf(build({ gpuSubnets: ['10.9.17.0/24', '10.9.80.0/20'] }))).toBe(
      oneProblem('stack/network.gpuSubnets[0] 10.9.17.0/24 overlaps privateSubnets[0] 10.9.16.0/20'),
    );
  });

  it('fails when a tier lists more subnets than AZs', () => {
    expect(errorOf(build({ dataSubnets: ['10.9.128.0/28', '10.9.128.16/28', '10.9.128.32/28'] }))).toBe(
      oneProblem(
        'stack/network.dataSubnets ["10.9.128.0/28","10.9.128.16/28","10.9.128.32/28"] must hold exactly one subnet per availability zone (2)',
      ),
    );
  });

  it('takes flow-log retentions of 1 and 3653 days and fails on 2', () => {
    expect(build({ flowLogRetentionDays: 1 })).not.toThrow();
    expect(build({ flowLogRetentionDays: 3653 })).not.toThrow();
    expect(errorOf(build({ flowLogRetentionDays: 2 }))).toBe(
      oneProblem(
        "stack/network.flowLogRetentionDays 2 must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      ),
    );
  });

  it('takes an empty service list while interfaceEndpoints is off, and a service starting with "com" that is no prefix', () => {
    expect(build({ interfaceEndpoints: false, interfaceEndpointServices: [] })).not.toThrow();
    expect(
      build({ interfaceEndpoints: true, interfaceEndpointServices: ['comprehend', 'sagemaker.runtime'] }),
    ).not.toThrow();
  });

  it('checks the service names even while interfaceEndpoints is off', () => {
    expect(errorOf(build({ interfaceEndpointServices: ['s3'] }))).toBe(
      oneProblem(
        'stack/network.interfaceEndpointServices[0] s3 must not be s3 (the S3 gateway endpoint is always created)',
      ),
    );
  });

  it('fails when a service name has capitals, a space, or a leading, trailing or doubled dot', () => {
    const rule = 'must be an endpoint service like ecr.api (no com.amazonaws.<region>. prefix)';
    for (const service of ['ECR.api', 'ecr api', '.ecr', 'ecr.', 'ecr..api']) {
      expect(errorOf(build({ interfaceEndpoints: true, interfaceEndpointServices: [service] }))).toBe(
        oneProblem(`stack/network.interfaceEndpointServices[0] ${service} ${rule}`),
      );
    }
  });
});
