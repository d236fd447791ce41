/**
 * What every service's pricing reads and writes: the stack's resources by type, literal numbers
 * and strings out of them, and the cost lines and notes being collected. One Pricer per stack.
 */
import type { UsageAssumptions } from './assumptions';
import { cents, type CostLine, type Scenario } from './model';
import { PriceBook, type PriceFile } from './prices';

// Synthesized Terraform JSON: resource bodies are free-form.
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A line to add: the price comes from the book, the monthly figure from quantity x price. */
export type LineInput = Omit<CostLine, 'unitPriceUsd' | 'monthlyUsd' | 'scenario'> & {
  scenario?: Scenario;
  /** Applied to the listed price (spot discounts). */
  factor?: number;
};

export class Pricer {
  public readonly lines: CostLine[] = [];
  public readonly notes: string[] = [];
  /** Resource types some service has looked at (the others are not billed, or unpriced). */
  public readonly handled = new Set<string>();
  public readonly book: PriceBook;
  /** Hours in a month. */
  public readonly H: number;

  constructor(
    public readonly stack: string,
    public readonly all: Record<string, Record<string, Json>>,
    prices: PriceFile,
    public readonly a: UsageAssumptions,
  ) {
    this.book = new PriceBook(prices);
    this.H = a.hoursPerMonth;
  }

  /** The resources of one type, `[name, body]`; marks the type as handled. */
  public readonly of = (type: string): [string, Json][] => {
    this.handled.add(type);
    return Object.entries(this.all[type] ?? {});
  };

  /** The resource of `type` a `${type.name.attr}` reference points to; throws naming `where`. */
  public readonly resolve = (type: string, token: unknown, where: string): Json => {
    const match = typeof token === 'string' ? /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(token) : null;
    const target = match && match[1] === type ? this.all[type]?.[match[2]] : undefined;
    if (!target)
      throw new Error(`${this.stack}: cannot resolve ${where} (${JSON.stringify(token)}) to a ${type}`);
    return target;
  };

  /** A literal number (or numeric string); throws naming `where` for an expression. */
  public readonly num = (value: unknown, where: string): number => {
    const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new Error(
        `${this.stack}: cannot price ${where}: ${JSON.stringify(value)} is not a literal number`,
      );
    }
    return n;
  };

  /** A literal string; throws naming `where` for an expression. */
  public readonly str = (value: unknown, where: string): string => {
    if (typeof value !== 'string' || value.includes('${')) {
      throw new Error(`${this.stack}: cannot price ${where}: ${JSON.stringify(value)} is not a literal`);
    }
    return value;
  };

  public readonly add = (line: LineInput): void => {
    const listed = line.priceKey === 'free' ? 0 : this.book.get(line.priceKey).usd;
    const { factor, ...rest } = line;
    // Ten decimals keep spot rates like 0.647 x 0.4 free of float noise in the JSON.
    const unitPriceUsd = Number((listed * (factor ?? 1)).toFixed(10));
    this.lines.push({
      ...rest,
      scenario: line.scenario ?? 'fixed',
      unitPriceUsd,
      monthlyUsd: cents(line.quantity * unitPriceUsd),
    });
  };
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The owning construct of a resource, from its logical name: cdktf joins the construct path with
 * `_` and appends an 8-digit hash (`model-server_asg_F1358037` is `asg` inside `model-server`).
 * Construct ids are kebab-case, so `_` only separates path segments. Names without the hash
 * (hand-written JSON, overridden ids) are used as they are.
 */
export function construct(logicalName: string): string {
  const match = /^(.+)_[0-9A-F]{8}$/.exec(logicalName);
  if (!match) return logicalName;
  const segments = match[1].split('_');
  return segments.length > 1 ? segments.slice(0, -1).join('/') : segments[0];
}

export function asArray(value: unknown): Json[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Json[];
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function quantityText(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
