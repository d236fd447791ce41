/** Rules several config sections share: CIDRs, counts, ports, log retention, windows, second regions. */
import { Address4 } from 'ip-address';
import type { ProjectSettings, ScalingCountConfig } from './types';
import { IssueCollector } from '../lib/validation';
import { LOG_RETENTION_DAYS } from '../lib/aws/limits';
import { AWS_REGIONS, isRegion } from '../lib/aws/regions';
import { suggestion } from '../lib/suggest';

/** RDS backup and ElastiCache snapshot windows (UTC). */
export const WINDOW_PATTERN = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
export const WEEKLY_WINDOW_PATTERN =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;

/** Parses a CIDR; reports and returns undefined when it is not a valid, aligned IPv4 CIDR. */
export function parseCidr(
  v: IssueCollector,
  cidr: string,
  minPrefix: number,
  maxPrefix: number,
): Address4 | undefined {
  if (typeof cidr !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !Address4.isValid(cidr)) {
    v.report(cidr, 'must be an IPv4 CIDR like 10.0.0.0/16');
    return undefined;
  }
  const address = new Address4(cidr);
  if (address.startAddress().correctForm() !== address.correctForm()) {
    v.report(
      cidr,
      `is not aligned: the network address is ${address.startAddress().correctForm()}/${address.subnetMask}`,
    );
    return undefined;
  }
  if (address.subnetMask < minPrefix || address.subnetMask > maxPrefix) {
    v.report(cidr, `must have a prefix length from /${minPrefix} to /${maxPrefix}`);
    return undefined;
  }
  return address;
}

export function overlaps(a: Address4, b: Address4): boolean {
  return a.isInSubnet(b) || b.isInSubnet(a);
}

export function checkCount(v: IssueCollector, count: ScalingCountConfig, maxAllowed: number): void {
  v.at('min').intRange(count.min, 0, maxAllowed);
  v.at('max').intRange(count.max, 1, maxAllowed);
  if (count.min > count.max) {
    v.at('min').report(count.min, `must not exceed max (${count.max})`);
    return;
  }
  v.at('desired').check(
    Number.isInteger(count.desired) && count.min <= count.desired && count.desired <= count.max,
    count.desired,
    `must be from min to max (${count.min} to ${count.max})`,
  );
}

export function checkRetention(v: IssueCollector, days: number): void {
  v.check(
    (LOG_RETENTION_DAYS as readonly number[]).includes(days),
    days,
    `must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
  );
}

/**
 * A disaster-recovery region: '' (none) or an AWS region other than the stack's own; production
 * must name one (the design's RPO and RTO assume copies outside the primary region).
 */
export function checkSecondRegion(
  at: IssueCollector,
  region: string,
  settings: ProjectSettings,
  prod: boolean,
): void {
  const primary = settings.region;
  // A region taken from the drRegion setting is judged, and reported, as that setting.
  if (region !== '' && region === settings.drRegion) return;
  if (region === '') {
    at.check(!prod, region, 'must name a second region in production (disaster recovery), like us-west-2');
    return;
  }
  at.check(
    isRegion(region),
    region,
    `must be an AWS region like us-west-2${suggestion(region, AWS_REGIONS)}`,
  );
  at.check(
    region !== primary,
    region,
    `must differ from the stack's region ${primary} (a stack moved into ${region} sets ECG_DR_REGION to a third region)`,
  );
}
