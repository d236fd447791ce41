/** The shapes of a cost estimate: categories, scenarios, lines and totals. */
import type { UsageAssumptions } from './assumptions';

export const CATEGORIES = [
  'Network',
  'Load balancing',
  'Containers',
  'Database',
  'Cache',
  'Edge',
  'Storage',
  'Monitoring',
  'Security',
  'GPU',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * `fixed` lines cost the same at any GPU fleet size; GPU lines come at min, at the minimum the
 * scheduled actions keep over a week (`gpu-scheduled`; the group's min all week without
 * schedules) and at max.
 */
export type Scenario = 'fixed' | 'gpu-min' | 'gpu-scheduled' | 'gpu-max';

/** One billed dimension: quantity x unit price = monthly dollars. */
export interface CostLine {
  /** Stable across environments so staging and production rows line up. */
  readonly key: string;
  readonly category: Category;
  readonly item: string;
  readonly scenario: Scenario;
  /** Where the quantity comes from, in words. */
  readonly basis: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  /** Key in the region's price file (`free` for a documented free tier). */
  readonly priceKey: string;
  readonly monthlyUsd: number;
}

export interface CostTotals {
  readonly withoutGpu: number;
  readonly gpuAtMin: number;
  /** GPU fleets at the minimum their schedules keep (scaling above it on load is extra). */
  readonly gpuScheduled: number;
  readonly gpuAtMax: number;
  readonly withGpuAtMin: number;
  readonly withGpuScheduled: number;
  readonly withGpuAtMax: number;
}

/**
 * CloudFront viewer traffic under the distribution's price class, next to the same traffic under
 * PriceClass_100. A price class without the viewers' region serves (and bills) them from the
 * cheapest edges it has; PriceClass_100 has North American and European edges only (CloudFront
 * developer guide, "Choose the price class for a CloudFront distribution").
 */
export interface CloudFrontPricing {
  readonly priceClass: string;
  /** Edge group the viewers are billed at. */
  readonly edge: 'northAmerica' | 'asiaPacific';
  /** Data transfer out and HTTPS requests, as priced on the lines. */
  readonly monthlyUsd: number;
  /** The same data transfer and requests under PriceClass_100 (North American rates). */
  readonly atPriceClass100Usd: number;
}

export interface StackCost {
  readonly stack: string;
  readonly region: string;
  readonly pricesAsOf: string;
  readonly assumptions: UsageAssumptions;
  readonly lines: readonly CostLine[];
  readonly totals: CostTotals;
  /** Resource types present that have no line of their own, with the reason. */
  readonly notBilled: Readonly<Record<string, string>>;
  /** Resource types present that the estimator does not know: a cost may be missing. */
  readonly unpriced: readonly string[];
  /** Charges knowingly left out of the figures. */
  readonly notes: readonly string[];
  /** CloudFront traffic by price class; absent without a distribution. */
  readonly cloudFront?: CloudFrontPricing;
}

export const EDGE_NAMES = { northAmerica: 'North American', asiaPacific: 'Asia Pacific' } as const;

/** Rounds to cents; every line is rounded and totals add rounded lines, as a bill does. */
export function cents(usd: number): number {
  return Math.round((usd + Number.EPSILON) * 100) / 100;
}
