import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IssueCollector, throwIfIssues } from '../../lib/validation';

/** One list price: what a unit costs and where the figure comes from. */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  /** A key of `PriceFile.sources`, then the detail (usage type, row) within that source. */
  readonly source: string;
}

/** `data/prices/<region>.json`: the dated list prices of one region. */
export interface PriceFile {
  readonly region: string;
  readonly location: string;
  readonly currency: 'USD';
  /** Date (YYYY-MM-DD) the prices were looked up. */
  readonly asOf: string;
  readonly basis: string;
  readonly lookedUp: string;
  readonly sources: Readonly<Record<string, string>>;
  /** How the estimator derives figures the file does not list. */
  readonly rules: readonly string[];
  readonly prices: Readonly<Record<string, Price>>;
}

/** Where the committed price files live. */
export const DEFAULT_PRICES_DIR = resolve(__dirname, '..', '..', '..', 'data', 'prices');

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks a parsed price file in one pass and throws a ConfigError naming every problem, so a
 * hand edit that drops a unit or a source never yields a silently unsourced figure.
 */
export function validatePriceFile(file: PriceFile, path: string): PriceFile {
  const v = new IssueCollector(path);
  v.at('region').matches(file.region, /^[a-z]{2}-[a-z]+-\d$/, 'must be an AWS region like ap-northeast-2');
  v.at('currency').oneOf(file.currency, ['USD']);
  v.at('asOf').matches(file.asOf, DATE_PATTERN, 'must be the look-up date as YYYY-MM-DD');
  const sources = file.sources ?? {};
  v.at('sources').check(
    Object.keys(sources).length > 0,
    Object.keys(sources).length,
    'must name at least one source',
  );
  const prices = file.prices ?? {};
  for (const [key, price] of Object.entries(prices)) {
    const at = v.at('prices').at(key);
    at.at('usd').check(
      typeof price.usd === 'number' && Number.isFinite(price.usd) && price.usd >= 0,
      price.usd,
      'must be a non-negative number of dollars',
    );
    at.at('unit').check(
      typeof price.unit === 'string' && price.unit.trim() !== '',
      price.unit,
      'must name the unit',
    );
    const sourceKey = typeof price.source === 'string' ? price.source.split(' ')[0] : '';
    at.at('source').check(
      sourceKey in sources,
      price.source,
      `must start with one of the file's sources (${Object.keys(sources).join(', ')})`,
    );
  }
  throwIfIssues(v.issues);
  return file;
}

/** Reads and validates `<dir>/<region>.json`. */
export function loadPriceFile(region: string, dir: string = DEFAULT_PRICES_DIR): PriceFile {
  const path = join(dir, `${region}.json`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no price file for region ${region}: expected ${path}`);
  }
  const file = JSON.parse(text) as PriceFile;
  if (file.region !== region) {
    throw new Error(`${path} holds prices for ${file.region}, not ${region}`);
  }
  return validatePriceFile(file, `prices.${region}`);
}

/** Thrown when a stack uses something the region's price file has no price for. */
export class MissingPriceError extends Error {
  constructor(
    readonly region: string,
    readonly keys: readonly string[],
  ) {
    super(
      `data/prices/${region}.json has no price for: ${keys.join(', ')} ` +
        '(add the on-demand price with its unit and source)',
    );
    this.name = 'MissingPriceError';
  }
}

/**
 * Lookup over one price file that remembers every key it could not find, so the estimator can
 * report all missing prices of a stack at once instead of failing on the first.
 */
export class PriceBook {
  private readonly missing = new Set<string>();

  constructor(readonly file: PriceFile) {}

  has(key: string): boolean {
    return key in this.file.prices;
  }

  /** The price, or a zero placeholder recorded as missing. */
  get(key: string): Price {
    const price = this.file.prices[key];
    if (price) return price;
    this.missing.add(key);
    return { usd: 0, unit: 'missing', source: 'missing' };
  }

  throwIfMissing(): void {
    if (this.missing.size > 0) throw new MissingPriceError(this.file.region, [...this.missing].sort());
  }
}
