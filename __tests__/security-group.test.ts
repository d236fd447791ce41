import { Peer, ManagedSecurityGroup } from '../src/lib/security-group';
import { resourcesOf, synthScope } from './support/synth';

describe('ManagedSecurityGroup', () => {
  const json = synthScope((scope) => {
    const sg = new ManagedSecurityGroup(scope, 'db', {
      vpcId: 'vpc-1',
      name: 'p-e-db',
      description: 'database',
    });
    sg.allowFrom(Peer.securityGroup('sg-api', 'api'), 5432, 'PostgreSQL from the API');
    sg.allowTo(Peer.ipv4('10.0.0.0/16'), 443, 'HTTPS inside the VPC');
    sg.allowAllOutbound('updates');
  });

  it('creates the group with a description and no inline rules', () => {
    const [group] = Object.values(resourcesOf(json, 'aws_security_group'));
    expect(group).toMatchObject({ name: 'p-e-db', description: 'database', vpc_id: 'vpc-1' });
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  it('writes each rule as a standalone resource with its description', () => {
    const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress).toEqual([
      expect.objectContaining({
        referenced_security_group_id: 'sg-api',
        from_port: 5432,
        to_port: 5432,
        ip_protocol: 'tcp',
        description: 'PostgreSQL from the API',
      }),
    ]);
    const egress = Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'));
    expect(egress).toEqual([
      expect.objectContaining({ cidr_ipv4: '10.0.0.0/16', from_port: 443, ip_protocol: 'tcp' }),
      expect.objectContaining({ cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1', description: 'updates' }),
    ]);
    expect(egress[1].from_port).toBeUndefined();
  });
});
