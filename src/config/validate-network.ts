/** Validation of the `network` and `security` sections of an environment. */
import { Address4 } from 'ip-address';
import type { EnvironmentConfig } from './types';
import { IssueCollector } from '../lib/validation';
import { AVAILABILITY_ZONES_TAKEN_ON, availabilityZonesOf } from '../lib/aws/availability-zones';
import { suggestion } from '../lib/suggest';
import { parseCidr, overlaps, checkRetention } from './validate-rules';

const TIERS = ['publicSubnets', 'privateSubnets', 'gpuSubnets', 'dataSubnets'] as const;

export function validateNetwork(v: IssueCollector, cfg: EnvironmentConfig, region: string): void {
  const net = cfg.network;
  const azs = v.at('availabilityZones');
  azs.check(
    net.availabilityZones.length >= 2,
    net.availabilityZones,
    'must list at least 2 availability zones',
  );
  const known = availabilityZonesOf(region);
  net.availabilityZones.forEach((az, i) => {
    const shaped = new RegExp(`^${region.replace(/[-]/g, '\\-')}[a-z]$`).test(az);
    azs
      .at(i)
      .check(
        shaped,
        az,
        `must be an availability zone of region ${region}${known ? ` (${known.join(', ')})` : ''}${suggestion(az, known ?? [])}`,
      );
    if (shaped && known && !known.includes(az)) {
      azs
        .at(i)
        .report(
          az,
          `is not an availability zone of ${region}, which has ${known.join(', ')} (AWS Availability Zones, as of ${AVAILABILITY_ZONES_TAKEN_ON})`,
        );
    }
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
  checkRetention(v.at('flowLogRetentionDays'), net.flowLogRetentionDays);
  if (cfg.name === 'production') {
    v.at('flowLogs').check(net.flowLogs, net.flowLogs, 'must be true in production (VPC flow logs)');
  }
}
