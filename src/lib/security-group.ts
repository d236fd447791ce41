import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The other side of a security-group rule. `label` is part of the rule's construct id (and so of
 * its Terraform address): keep it short and stable, e.g. the peer group's role (`alb`, `api`).
 */
export class Peer {
  /** Another security group, by id (inside the VPC: prefer this to CIDRs). */
  static securityGroup(securityGroupId: string, label: string): Peer {
    return new Peer(label, { referencedSecurityGroupId: securityGroupId });
  }

  static ipv4(cidr: string, label?: string): Peer {
    return new Peer(label ?? cidr.replace(/[./]/g, '-'), { cidrIpv4: cidr });
  }

  static anyIpv4(): Peer {
    return new Peer('anywhere', { cidrIpv4: '0.0.0.0/0' });
  }

  static anyIpv6(): Peer {
    return new Peer('anywhere-v6', { cidrIpv6: '::/0' });
  }

  static prefixList(prefixListId: string, label: string): Peer {
    return new Peer(label, { prefixListId });
  }

  private constructor(
    readonly label: string,
    readonly target: {
      readonly referencedSecurityGroupId?: string;
      readonly cidrIpv4?: string;
      readonly cidrIpv6?: string;
      readonly prefixListId?: string;
    },
  ) {}
}

/** A TCP port, or `'all'` for every protocol and port. */
export type PortSpec = number | 'all';

function portArgs(port: PortSpec): { ipProtocol: string; fromPort?: number; toPort?: number } {
  return port === 'all' ? { ipProtocol: '-1' } : { ipProtocol: 'tcp', fromPort: port, toPort: port };
}

export interface ManagedSecurityGroupProps {
  readonly vpcId: string;
  /** Group name, `<project>-<env>-<role>`. */
  readonly name: string;
  /** Required by policy: every group says what it is for. */
  readonly description: string;
}

/**
 * A security group whose rules are standalone `aws_vpc_security_group_ingress_rule` /
 * `_egress_rule` resources, so groups that reference each other never form a cycle. The group
 * starts with no rules: the provider removes AWS's default allow-all egress rule on create, so
 * egress is only what `allowTo` / `allowAllOutbound` add.
 */
export class ManagedSecurityGroup extends Construct {
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: ManagedSecurityGroupProps) {
    super(scope, id);
    // No inline rules: mixing them with standalone rule resources makes Terraform fight itself.
    this.securityGroup = new SecurityGroup(this, 'group', {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      tags: { Name: props.name },
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = this.securityGroup.id;
  }

  /** Allows inbound `port` from `peer`. */
  public allowFrom(peer: Peer, port: PortSpec, description: string): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, `in-${peer.label}-${port}`, {
      securityGroupId: this.securityGroupId,
      description,
      ...portArgs(port),
      ...peer.target,
    });
  }

  /**
   * Allows inbound `port` from every IPv4 CIDR of a list known only at deploy time (a Terraform
   * variable): one rule resource per CIDR through `for_each`.
   */
  public allowFromCidrList(
    cidrs: string[],
    label: string,
    port: PortSpec,
    description: string,
  ): VpcSecurityGroupIngressRule {
    const each = TerraformIterator.fromList(cidrs);
    return new VpcSecurityGroupIngressRule(this, `in-${label}-${port}`, {
      forEach: each,
      securityGroupId: this.securityGroupId,
      description,
      ...portArgs(port),
      cidrIpv4: each.value,
    });
  }

  /** Allows outbound `port` to `peer`. */
  public allowTo(peer: Peer, port: PortSpec, description: string): VpcSecurityGroupEgressRule {
    return new VpcSecurityGroupEgressRule(this, `out-${peer.label}-${port}`, {
      securityGroupId: this.securityGroupId,
      description,
      ...portArgs(port),
      ...peer.target,
    });
  }

  /** Allows all outbound traffic (IPv4), for hosts that pull images and packages. */
  public allowAllOutbound(description: string): VpcSecurityGroupEgressRule {
    return this.allowTo(Peer.anyIpv4(), 'all', description);
  }
}
