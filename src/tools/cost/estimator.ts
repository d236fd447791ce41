/**
 * Prices a synthesized stack: each service group's lines come from services/, in the order the
 * report lists them; this file puts them together with the totals and the types nobody prices.
 */
import type { UsageAssumptions } from './assumptions';
import {
  cents,
  type CloudFrontPricing,
  type CostLine,
  type CostTotals,
  type Scenario,
  type StackCost,
} from './model';
import { NOT_BILLED } from './not-billed';
import type { PriceFile } from './prices';
import { Pricer, asArray, type Json } from './pricing';
import { priceContainers } from './services/containers';
import { priceCaches, priceDatabaseBackupReplication, priceDatabases } from './services/data';
import { priceDomain, priceEdge } from './services/edge';
import { priceGpuFleets } from './services/gpu';
import { priceMonitoring, priceScheduledFunctions } from './services/monitoring';
import { priceTracing } from './services/tracing';
import { priceLoadBalancers, priceNetwork } from './services/network';
import { priceSecretsAndKeys, priceStateMachines } from './services/security';
import { priceBucketReplication, priceBuckets, priceRepositories } from './services/storage';

export { construct } from './pricing';

export interface EstimateInput {
  readonly stack: string;
  /** The synthesized `cdk.tf.json` of the stack. */
  readonly json: Json;
  readonly prices: PriceFile;
  readonly assumptions: UsageAssumptions;
}

/** The region of a stack's default (un-aliased) AWS provider. */
export function stackRegion(json: Json): string {
  const providers = asArray(json.provider?.aws);
  const main = providers.find((p) => !p.alias) ?? providers[0];
  const region = main?.region;
  if (typeof region !== 'string' || region.includes('${')) {
    throw new Error('cannot tell the stack region: the default aws provider has no literal region');
  }
  return region;
}

/**
 * Reads what the stack creates and prices it. Counts, classes and sizes must be literals in the
 * JSON (names may be expressions); a count that is an expression fails with the attribute named.
 */
export function estimateStack(input: EstimateInput): StackCost {
  const { stack, json, assumptions: a } = input;
  const all = (json.resource ?? {}) as Record<string, Record<string, Json>>;
  const p = new Pricer(stack, all, input.prices, a);

  const lbs = priceNetwork(p);
  priceLoadBalancers(p, lbs);
  priceContainers(p);
  const managedPasswords = priceDatabases(p);
  priceCaches(p);
  const cloudFront: CloudFrontPricing | undefined = priceEdge(p);
  priceDomain(p);
  priceBuckets(p);
  // Disaster recovery: the video replica and the RDS backups in the second region
  priceBucketReplication(p);
  priceDatabaseBackupReplication(p);
  priceStateMachines(p);
  priceRepositories(p);
  priceMonitoring(p);
  priceSecretsAndKeys(p, managedPasswords);
  priceGpuFleets(p);
  priceScheduledFunctions(p);
  priceTracing(p);

  p.book.throwIfMissing();

  const { lines, notes, handled } = p;
  const present = Object.keys(all).sort();
  const notBilled = Object.fromEntries(
    present.filter((t) => !handled.has(t) && t in NOT_BILLED).map((t) => [t, NOT_BILLED[t]]),
  );
  const unpriced = present.filter((t) => !handled.has(t) && !(t in NOT_BILLED));
  return {
    stack,
    region: input.prices.region,
    pricesAsOf: input.prices.asOf,
    assumptions: a,
    lines,
    totals: totalsOf(lines),
    notBilled,
    unpriced,
    notes,
    ...(cloudFront ? { cloudFront } : {}),
  };
}

function totalsOf(lines: readonly CostLine[]): CostTotals {
  const sum = (scenario: Scenario) =>
    cents(lines.filter((l) => l.scenario === scenario).reduce((s, l) => s + l.monthlyUsd, 0));
  const withoutGpu = sum('fixed');
  const gpuAtMin = sum('gpu-min');
  const gpuScheduled = sum('gpu-scheduled');
  const gpuAtMax = sum('gpu-max');
  return {
    withoutGpu,
    gpuAtMin,
    gpuScheduled,
    gpuAtMax,
    withGpuAtMin: cents(withoutGpu + gpuAtMin),
    withGpuScheduled: cents(withoutGpu + gpuScheduled),
    withGpuAtMax: cents(withoutGpu + gpuAtMax),
  };
}
