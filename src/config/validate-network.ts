/** Validation of the `network` and `security` sections of an environment. */
import { Address4 } from 'ip-address';
import type { EnvironmentConfig } from './types';
import { IssueCollector } from '../lib/validation';
import { parseCidr, overlaps, checkRetention, checkPort } from './validate-rules';

const TIERS = ['publicSubnets', 'privateSubnets', 'gpuSubnets', 'dataSubnets'] as const;

export function validateNetwork(v: IssueCollector, cfg: EnvironmentConfig, region: string): void {
  const net = cfg.network;
  const azs = v.at('availabilityZones');
  azs.check(
    net.availabilityZones.length >= 2,
    net.availabilityZones,
    'must list at least 2 availability zones',
  );
  net.availabilityZones.forEach((az, i) => {
    azs
      .at(i)
      .check(
        new RegExp(`^${region.replace(/[-]/g, '\\-')}[a-z]$`).test(az),
        az,
        `must be an availability zone of region ${region}`,
      );
    azs.at(i).check(net.availabilityZones.indexOf(az) === i, az, 'is listed twice');
  });

  const vpc = parseCidr(v.at('vpcCidr'), net.vpcCidr, 16, 28);
  const seen: { tier: string; index: number; cidr: string; address: Address4 }[] = [];
  for (const tier of TIERS) {
    const list = net[tier];
    const t = v.at(tier);
    t.check(
      list.length === net.availabilityZones.length,
      list,
      `must hold exactly one subnet per availability zone (${net.availabilityZones.length})`,
    );
    list.forEach((cidr, index) => {
      const s = t.at(index);
      const address = parseCidr(s, cidr, 16, 28);
      if (!address) return;
      if (vpc && !address.isInSubnet(vpc)) s.report(cidr, `is not inside vpcCidr ${net.vpcCidr}`);
      for (const other of seen) {
        if (overlaps(address, other.address)) {
          s.report(cidr, `overlaps ${other.tier}[${other.index}] ${other.cidr}`);
        }
      }
      seen.push({ tier, index, cidr, address });
    });
  }
  v.at('natGateways').oneOf(net.natGateways, ['single', 'one-per-az']);
  checkRetention(v.at('flowLogRetentionDays'), net.flowLogRetentionDays);
  if (cfg.name === 'production') {
    v.at('flowLogs').check(net.flowLogs, net.flowLogs, 'must be true in production (VPC flow logs)');
  }
}

/** `security`: service ports, and SSH sources no wider than /16. */
export function validateSecurity(root: IssueCollector, cfg: EnvironmentConfig): void {
  const sec = root.at('security');
  for (const [name, port] of Object.entries(cfg.security.ports)) checkPort(sec.at('ports').at(name), port);
  cfg.security.sshAllowedCidrs.forEach((cidr, i) => {
    const s = sec.at('sshAllowedCidrs').at(i);
    const a = parseCidr(s, cidr, 8, 32);
    if (a && a.subnetMask < 16)
      s.report(cidr, 'is too wide for SSH (narrower than /16 required; prefer Session Manager)');
  });
}
