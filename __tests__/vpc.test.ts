import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Vpc as AwsVpc } from '@cdktf/provider-aws/lib/vpc';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { Peer } from '../src/lib/security-group';
import { Vpc, type VpcProps } from '../src/modules/vpc';
import { onlyResource, resourcesOf, synthScope, type Json } from './support/synth';
import { PRESETS, propsOf } from './variants/vpc';

const OUTPUTS = [
  'vpcId',
  'publicSubnetIds',
  'privateSubnetIds',
  'gpuSubnetIds',
  'dataSubnetIds',
  'publicRouteTableIds',
  'privateRouteTableIds',
  'gpuRouteTableIds',
  'dataRouteTableIds',
  'natPublicIps',
  'dbSubnetGroupName',
  'cacheSubnetGroupName',
  'endpointSecurityGroupId',
] as const;

/**
 * Synthesizes one Vpc; its outputs are rendered through test-only TerraformOutputs, so
 * `outputs[field]` is the Terraform expression the field resolves to.
 */
function synthVpc(props: VpcProps): { json: Json; vpc: Vpc; outputs: Record<string, unknown> } {
  let vpc: Vpc | undefined;
  const json = synthScope((scope) => {
    vpc = new Vpc(scope, 'network', props);
    for (const field of OUTPUTS) {
      if (vpc[field] !== undefined) new TerraformOutput(scope, field, { value: vpc[field] });
    }
  });
  const outputs = Object.fromEntries(
    Object.entries<Json>(json.output ?? {}).map(([field, o]) => [field, o.value]),
  );
  return { json, vpc: vpc!, outputs };
}

/** `${aws_x.name.attr}` -> the resource it points at, with its type and name. */
function deref(json: Json, expr: string): { type: string; name: string; body: Json } {
  const m = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(expr);
  if (!m) throw new Error(`not a single reference: ${expr}`);
  const body = resourcesOf(json, m[1])[m[2]];
  if (!body) throw new Error(`dangling reference: ${expr}`);
  return { type: m[1], name: m[2], body };
}

const refTo = (type: string, name: string, attr = 'id') => `\${${type}.${name}.${attr}}`;

/** The tier and AZ of the subnet(s) a route table is associated with. */
function tableSubnets(json: Json, tableName: string): Json[] {
  return Object.values(resourcesOf(json, 'aws_route_table_association'))
    .filter((a) => a.route_table_id === refTo('aws_route_table', tableName))
    .map((a) => deref(json, a.subnet_id).body);
}

function routesOf(json: Json, tableName: string): Json[] {
  return Object.values(resourcesOf(json, 'aws_route')).filter(
    (r) => r.route_table_id === refTo('aws_route_table', tableName),
  );
}

const tablesOfTier = (json: Json, tier: string) =>
  Object.entries(resourcesOf(json, 'aws_route_table')).filter(([, t]) => t.tags.Tier === tier);

/** The network table of docs/design.md, by second octet. */
function designSubnets(o: number) {
  return {
    public: [`10.${o}.1.0/24`, `10.${o}.2.0/24`],
    private: [`10.${o}.10.0/24`, `10.${o}.20.0/24`],
    gpu: [`10.${o}.3.0/24`, `10.${o}.30.0/24`],
    data: [`10.${o}.100.0/24`, `10.${o}.200.0/24`],
  };
}

/** The one gateway endpoint (S3) among the VPC's endpoints. */
function gatewayEndpoint(json: Parameters<typeof resourcesOf>[0]) {
  const gateways = Object.values(resourcesOf(json, 'aws_vpc_endpoint')).filter(
    (e) => e.vpc_endpoint_type === 'Gateway',
  );
  expect(gateways).toHaveLength(1);
  return gateways[0];
}

describe.each([
  { env: 'staging', octet: 1, nats: 1 },
  { env: 'production', octet: 0, nats: 2 },
] as const)('Vpc with the $env preset', ({ env, octet, nats }) => {
  const prefix = `ecg-video-pipeline-${env}`;
  const { json, vpc, outputs } = synthVpc(propsOf(PRESETS[env]));

  it('creates the VPC with the design CIDR and DNS hostnames and support', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(AwsVpc, {
      cidr_block: `10.${octet}.0.0/16`,
      enable_dns_hostnames: true,
      enable_dns_support: true,
      tags: { Name: `${prefix}-vpc` },
    });
  });

  it('creates 8 subnets: the design CIDRs of four tiers across ap-northeast-2a and 2c', () => {
    const subnets = Object.values(resourcesOf(json, 'aws_subnet'));
    expect(subnets).toHaveLength(8);
    for (const [tier, cidrs] of Object.entries(designSubnets(octet))) {
      const ofTier = subnets.filter((s) => s.tags.Tier === tier);
      expect(ofTier.map((s) => [s.cidr_block, s.availability_zone])).toEqual([
        [cidrs[0], 'ap-northeast-2a'],
        [cidrs[1], 'ap-northeast-2c'],
      ]);
      expect(ofTier.map((s) => s.tags.Name)).toEqual([
        `${prefix}-${tier}-ap-northeast-2a`,
        `${prefix}-${tier}-ap-northeast-2c`,
      ]);
    }
  });

  it('maps public IPs on launch only in public subnets (anchor 46: AVD-AWS-0164)', () => {
    for (const s of Object.values(resourcesOf(json, 'aws_subnet'))) {
      expect(s.map_public_ip_on_launch).toBe(s.tags.Tier === 'public');
    }
  });

  it('associates every subnet with its own route table of the same tier and AZ', () => {
    const tables = resourcesOf(json, 'aws_route_table');
    expect(Object.keys(tables)).toHaveLength(8);
    for (const [name, table] of Object.entries(tables)) {
      expect(table.route).toBeUndefined();
      const subnets = tableSubnets(json, name);
      expect(subnets).toHaveLength(1);
      expect(subnets[0].tags.Tier).toBe(table.tags.Tier);
      expect(subnets[0].tags.Name).toBe(table.tags.Name);
    }
  });

  it('routes the public tier to the internet gateway', () => {
    const igw = onlyResource(json, 'aws_internet_gateway');
    expect(igw.tags.Name).toBe(`${prefix}-igw`);
    const igwName = Object.keys(resourcesOf(json, 'aws_internet_gateway'))[0];
    for (const [name] of tablesOfTier(json, 'public')) {
      expect(routesOf(json, name)).toEqual([
        expect.objectContaining({
          destination_cidr_block: '0.0.0.0/0',
          gateway_id: refTo('aws_internet_gateway', igwName),
        }),
      ]);
    }
  });

  it(`creates ${nats} NAT gateway(s) with Elastic IPs in the public subnets`, () => {
    const natGateways = Object.values(resourcesOf(json, 'aws_nat_gateway'));
    expect(natGateways).toHaveLength(nats);
    expect(Object.keys(resourcesOf(json, 'aws_eip'))).toHaveLength(nats);
    natGateways.forEach((nat, i) => {
      const subnet = deref(json, nat.subnet_id).body;
      expect(subnet.tags.Tier).toBe('public');
      expect(subnet.availability_zone).toBe(['ap-northeast-2a', 'ap-northeast-2c'][i]);
      const eip = deref(json, nat.allocation_id);
      expect(eip.type).toBe('aws_eip');
      expect(eip.body.domain).toBe('vpc');
    });
  });

  it(
    env === 'production'
      ? 'routes private and GPU subnets through the NAT gateway of their own AZ'
      : 'routes private and GPU subnets of every AZ through the one shared NAT gateway',
    () => {
      const natNames = Object.keys(resourcesOf(json, 'aws_nat_gateway'));
      for (const tier of ['private', 'gpu']) {
        const tables = tablesOfTier(json, tier);
        expect(tables).toHaveLength(2);
        for (const [name] of tables) {
          const routes = routesOf(json, name);
          expect(routes).toHaveLength(1);
          expect(routes[0].destination_cidr_block).toBe('0.0.0.0/0');
          expect(routes[0].gateway_id).toBeUndefined();
          const nat = deref(json, routes[0].nat_gateway_id);
          expect(nat.type).toBe('aws_nat_gateway');
          const natAz = deref(json, nat.body.subnet_id).body.availability_zone;
          const tableAz = tableSubnets(json, name)[0].availability_zone;
          if (env === 'production') expect(natAz).toBe(tableAz);
          else expect(nat.name).toBe(natNames[0]);
        }
      }
    },
  );

  it('gives the data tier no route at all, so no route to the internet', () => {
    const tables = tablesOfTier(json, 'data');
    expect(tables).toHaveLength(2);
    for (const [name, table] of tables) {
      expect(routesOf(json, name)).toEqual([]);
      expect(table.route).toBeUndefined();
    }
    const s3 = gatewayEndpoint(json);
    for (const [name] of tables) expect(s3.route_table_ids).not.toContain(refTo('aws_route_table', name));
  });

  it('attaches the S3 gateway endpoint to exactly the private and GPU route tables', () => {
    const s3 = gatewayEndpoint(json);
    expect(s3).toMatchObject({
      service_name: 'com.amazonaws.ap-northeast-2.s3',
      vpc_endpoint_type: 'Gateway',
    });
    const expected = [...tablesOfTier(json, 'private'), ...tablesOfTier(json, 'gpu')].map(([name]) =>
      refTo('aws_route_table', name),
    );
    expect([...s3.route_table_ids].sort()).toEqual(expected.sort());
  });

  it('creates the interface endpoints in production only (staging: off for cost)', () => {
    if (env === 'production') {
      expect(Object.keys(vpc.interfaceEndpoints)).toHaveLength(9);
      expect(Object.keys(resourcesOf(json, 'aws_security_group'))).toHaveLength(1);
      expect(vpc.endpointSecurityGroupId).toBeDefined();
      return;
    }
    expect(resourcesOf(json, 'aws_security_group')).toEqual({});
    expect(vpc.endpointSecurityGroupId).toBeUndefined();
    expect(() => vpc.allowFrom(Peer.securityGroup('sg-1', 'api'), 443, 'x')).toThrow(
      'stack/network: interfaceEndpoints is off, so there is no endpoint security group to allow api into',
    );
  });

  it('manages the default security group with no rules (anchor 46: CKV2_AWS_12)', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(DefaultSecurityGroup, {
      ingress: [],
      egress: [],
    });
    expect(onlyResource(json, 'aws_default_security_group').vpc_id).toBe(outputs.vpcId);
  });

  it('puts the RDS and ElastiCache subnet groups on the two data subnets', () => {
    const dataSubnets = outputs.dataSubnetIds as string[];
    const db = onlyResource(json, 'aws_db_subnet_group');
    const cache = onlyResource(json, 'aws_elasticache_subnet_group');
    for (const group of [db, cache]) {
      expect(group.name).toBe(`${prefix}-data`);
      expect(group.description).toBeTruthy();
      expect(group.subnet_ids).toEqual(dataSubnets);
      expect(group.subnet_ids.map((id: string) => deref(json, id).body.tags.Tier)).toEqual(['data', 'data']);
    }
  });

  it('exposes ids per tier, route tables, NAT IPs and subnet group names', () => {
    const ids = (type: string, tier: string) =>
      Object.entries(resourcesOf(json, type))
        .filter(([, r]) => r.tags.Tier === tier)
        .map(([name]) => refTo(type, name));
    expect(outputs.vpcId).toBe(refTo('aws_vpc', Object.keys(resourcesOf(json, 'aws_vpc'))[0]));
    expect(vpc.vpcCidr).toBe(`10.${octet}.0.0/16`);
    expect(outputs.publicSubnetIds).toEqual(ids('aws_subnet', 'public'));
    expect(outputs.privateSubnetIds).toEqual(ids('aws_subnet', 'private'));
    expect(outputs.gpuSubnetIds).toEqual(ids('aws_subnet', 'gpu'));
    expect(outputs.dataSubnetIds).toEqual(ids('aws_subnet', 'data'));
    expect(outputs.publicRouteTableIds).toEqual(ids('aws_route_table', 'public'));
    expect(outputs.privateRouteTableIds).toEqual(ids('aws_route_table', 'private'));
    expect(outputs.gpuRouteTableIds).toEqual(ids('aws_route_table', 'gpu'));
    expect(outputs.dataRouteTableIds).toEqual(ids('aws_route_table', 'data'));
    expect(outputs.natPublicIps).toEqual(
      Object.keys(resourcesOf(json, 'aws_eip')).map((n) => refTo('aws_eip', n, 'public_ip')),
    );
    // The field itself, not only its resolved form (resolving drops an undefined element).
    expect(vpc.natPublicIps).toHaveLength(Object.keys(resourcesOf(json, 'aws_eip')).length);
    expect(outputs.dbSubnetGroupName).toMatch(/^\$\{aws_db_subnet_group\.[^.]+\.name\}$/);
    expect(outputs.cacheSubnetGroupName).toMatch(/^\$\{aws_elasticache_subnet_group\.[^.]+\.name\}$/);
  });

  it('keeps the environment name out of every Terraform address', () => {
    for (const resources of Object.values<Json>(json.resource)) {
      for (const address of Object.keys(resources)) expect(address).not.toContain(env);
    }
  });
});

describe('Vpc flow logs', () => {
  const production = synthVpc(propsOf(PRESETS.production)).json;

  it('are on in production: all traffic to a CloudWatch group kept 30 days (anchors 46, 48: CKV2_AWS_11, AS-VPC7)', () => {
    const group = onlyResource(production, 'aws_cloudwatch_log_group');
    expect(group).toEqual({ name: '/vpc/ecg-video-pipeline-production-flow-logs', retention_in_days: 30 });
    const groupName = Object.keys(resourcesOf(production, 'aws_cloudwatch_log_group'))[0];
    const roleName = Object.keys(resourcesOf(production, 'aws_iam_role'))[0];
    expect(onlyResource(production, 'aws_flow_log')).toMatchObject({
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: refTo('aws_cloudwatch_log_group', groupName, 'arn'),
      iam_role_arn: refTo('aws_iam_role', roleName, 'arn'),
      vpc_id: refTo('aws_vpc', Object.keys(resourcesOf(production, 'aws_vpc'))[0]),
    });
  });

  it('use a role only vpc-flow-logs.amazonaws.com can assume', () => {
    const role = onlyResource(production, 'aws_iam_role');
    expect(role.name).toBe('ecg-video-pipeline-production-vpc-flow-logs');
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
  });

  it('write with a policy scoped to the flow-log group: no wildcard action or resource (anchor 47)', () => {
    const groupArn = refTo(
      'aws_cloudwatch_log_group',
      Object.keys(resourcesOf(production, 'aws_cloudwatch_log_group'))[0],
      'arn',
    );
    const policy = JSON.parse(onlyResource(production, 'aws_iam_role_policy').policy);
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'logs:DescribeLogGroups',
          'logs:DescribeLogStreams',
        ],
        Resource: [groupArn, `${groupArn}:*`],
      },
    ]);
    expect(resourcesOf(production, 'aws_iam_role_policy_attachment')).toEqual({});
  });

  // VPC user guide: the flow log's role must have the permissions to publish to the log group.
  it('start publishing only once the role holds its policy', () => {
    const [policy] = Object.keys(resourcesOf(production, 'aws_iam_role_policy'));
    expect(onlyResource(production, 'aws_flow_log').depends_on).toEqual([`aws_iam_role_policy.${policy}`]);
  });

  it('are off in staging by default: no flow log, log group or role', () => {
    const staging = synthVpc(propsOf(PRESETS.staging)).json;
    for (const type of ['aws_flow_log', 'aws_cloudwatch_log_group', 'aws_iam_role', 'aws_iam_role_policy']) {
      expect(resourcesOf(staging, type)).toEqual({});
    }
  });

  it('can be turned on in staging with its own retention', () => {
    const staging = synthVpc({ ...propsOf(PRESETS.staging), flowLogs: true }).json;
    expect(onlyResource(staging, 'aws_cloudwatch_log_group').retention_in_days).toBe(7);
    expect(onlyResource(staging, 'aws_flow_log').traffic_type).toBe('ALL');
  });
});

describe('Vpc interface endpoints', () => {
  const { json, outputs } = synthVpc({ ...propsOf(PRESETS.staging), interfaceEndpoints: true });
  const interfaceEndpoints = Object.values(resourcesOf(json, 'aws_vpc_endpoint')).filter(
    (e) => e.vpc_endpoint_type === 'Interface',
  );

  it('creates the nine services with private DNS, one subnet per AZ (VPC user guide: one endpoint network interface per AZ), behind their own group', () => {
    expect(interfaceEndpoints.map((e) => e.service_name).sort()).toEqual(
      [
        'ec2messages',
        'ecr.api',
        'ecr.dkr',
        'logs',
        'monitoring',
        'secretsmanager',
        'ssm',
        'ssmmessages',
        'sts',
      ].map((s) => `com.amazonaws.ap-northeast-2.${s}`),
    );
    for (const e of interfaceEndpoints) {
      expect(e.private_dns_enabled).toBe(true);
      expect(e.subnet_ids).toEqual(outputs.privateSubnetIds);
      expect(e.security_group_ids).toEqual([outputs.endpointSecurityGroupId]);
    }
  });

  it('lets only HTTPS from the private and GPU subnets into the endpoint group, each rule described (anchor 45)', () => {
    const group = onlyResource(json, 'aws_security_group');
    expect(group.name).toBe('ecg-video-pipeline-staging-vpc-endpoints');
    expect(group.description).toBeTruthy();
    const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    const props = propsOf(PRESETS.staging);
    expect(ingress.map((r) => r.cidr_ipv4).sort()).toEqual(
      [...props.privateSubnets, ...props.gpuSubnets].sort(),
    );
    for (const rule of ingress) {
      expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: 443, to_port: 443 });
      expect(rule.description).toMatch(
        /^HTTPS to the AWS service endpoints from the (private|gpu) subnet in /,
      );
    }
    for (const cidr of [...props.publicSubnets, ...props.dataSubnets, props.vpcCidr]) {
      expect(ingress.map((r) => r.cidr_ipv4)).not.toContain(cidr);
    }
    expect(resourcesOf(json, 'aws_vpc_security_group_egress_rule')).toEqual({});
  });

  it('allowFrom adds a described rule to the endpoint group', () => {
    const extra = synthScope((scope) => {
      const v = new Vpc(scope, 'network', { ...propsOf(PRESETS.staging), interfaceEndpoints: true });
      v.allowFrom(Peer.securityGroup('sg-123', 'api'), 443, 'HTTPS from the API tasks');
    });
    expect(Object.values(resourcesOf(extra, 'aws_vpc_security_group_ingress_rule'))).toContainEqual(
      expect.objectContaining({
        referenced_security_group_id: 'sg-123',
        description: 'HTTPS from the API tasks',
      }),
    );
  });
});

describe('Vpc input validation', () => {
  const base = propsOf(PRESETS.production);
  const build = (props: Partial<VpcProps>) => () =>
    new Vpc(new TerraformStack(Testing.app(), 'stack'), 'network', { ...base, ...props });

  it('fails when a subnet overlaps another tier, leaves the VPC or a tier misses an AZ', () => {
    expect(
      build({
        privateSubnets: ['10.0.1.0/24', '10.0.20.0/24'],
        gpuSubnets: ['10.1.3.0/24', '10.0.30.0/24'],
        dataSubnets: ['10.0.100.0/24'],
      }),
    ).toThrow(
      [
        'Invalid configuration (3 problems):',
        '  - stack/network.privateSubnets[0] 10.0.1.0/24 overlaps publicSubnets[0] 10.0.1.0/24',
        '  - stack/network.gpuSubnets[0] 10.1.3.0/24 is not inside vpcCidr 10.0.0.0/16',
        '  - stack/network.dataSubnets ["10.0.100.0/24"] must hold exactly one subnet per availability zone (2)',
      ].join('\n'),
    );
  });

  it('fails when a CIDR is malformed, unaligned or the VPC is too large', () => {
    expect(build({ vpcCidr: '10.0.0.0/8', publicSubnets: ['10.0.1.0/33', '10.0.2.5/24'] })).toThrow(
      [
        'Invalid configuration (3 problems):',
        '  - stack/network.vpcCidr 10.0.0.0/8 must have a prefix length from /16 to /28',
        '  - stack/network.publicSubnets[0] 10.0.1.0/33 must be an IPv4 CIDR like 10.0.0.0/16',
        '  - stack/network.publicSubnets[1] 10.0.2.5/24 is not aligned: the network address is 10.0.2.0/24',
      ].join('\n'),
    );
  });

  it('fails when the availability zones are too few, repeated or of another region', () => {
    expect(build({ availabilityZones: ['ap-northeast-2a', 'ap-northeast-2a'] })).toThrow(
      'stack/network.availabilityZones[1] ap-northeast-2a is listed twice',
    );
    expect(build({ availabilityZones: ['ap-northeast-2a', 'us-east-1c'] })).toThrow(
      'stack/network.availabilityZones[1] us-east-1c must be an availability zone of region ap-northeast-2',
    );
    expect(build({ availabilityZones: ['ap-northeast-2a', null as unknown as string] })).toThrow(
      /stack\/network\.availabilityZones\[1\] .* must be an availability zone of region ap-northeast-2/,
    );
    expect(
      build({
        availabilityZones: ['ap-northeast-2a'],
        publicSubnets: ['10.0.1.0/24'],
        privateSubnets: ['10.0.10.0/24'],
        gpuSubnets: ['10.0.3.0/24'],
        dataSubnets: ['10.0.100.0/24'],
      }),
    ).toThrow(
      'Invalid configuration (1 problem):\n  - stack/network.availabilityZones ["ap-northeast-2a"] must list at least 2 availability zones (RDS subnet groups need 2)',
    );
  });

  it('fails when the NAT mode, flow-log retention, name prefix or region is invalid', () => {
    expect(
      build({
        natGateways: 'two' as VpcProps['natGateways'],
        flowLogRetentionDays: 10,
        namePrefix: 'ECG_prod',
        region: 'korea',
      }),
    ).toThrow(
      [
        'Invalid configuration (6 problems):',
        '  - stack/network.namePrefix ECG_prod must be 2-48 lowercase letters, digits or hyphens, starting with a letter (RDS and IAM names derive from it)',
        '  - stack/network.region korea must be an AWS region like ap-northeast-2',
        '  - stack/network.availabilityZones[0] ap-northeast-2a must be an availability zone of region korea',
        '  - stack/network.availabilityZones[1] ap-northeast-2c must be an availability zone of region korea',
        '  - stack/network.natGateways two must be one of single, one-per-az',
      ].join('\n') +
        "\n  - stack/network.flowLogRetentionDays 10 must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    );
  });

  it('fails when interface endpoint services are empty, prefixed, duplicated or s3', () => {
    expect(build({ interfaceEndpoints: true, interfaceEndpointServices: [] })).toThrow(
      'stack/network.interfaceEndpointServices [] must list at least one service when interfaceEndpoints is on',
    );
    expect(
      build({
        interfaceEndpoints: true,
        interfaceEndpointServices: ['com.amazonaws.ap-northeast-2.ssm', 'ssm', 's3', 'ssm'],
      }),
    ).toThrow(
      [
        'Invalid configuration (3 problems):',
        '  - stack/network.interfaceEndpointServices[0] com.amazonaws.ap-northeast-2.ssm must be an endpoint service like ecr.api (no com.amazonaws.<region>. prefix)',
        '  - stack/network.interfaceEndpointServices[2] s3 must not be s3 (the S3 gateway endpoint is always created)',
        '  - stack/network.interfaceEndpointServices[3] ssm is listed twice',
      ].join('\n'),
    );
  });
});
