import type { UsageAssumptions } from './assumptions';
import {
  CATEGORIES,
  EDGE_NAMES,
  cents,
  type CostLine,
  type CostTotals,
  type Scenario,
  type StackCost,
} from './model';
import type { PriceFile } from './prices';

/** A figure from somebody else's estimate set next to ours. */
export interface Comparison {
  readonly label: string;
  readonly theirs: string;
  readonly oursUsd: number;
}

/** What `npm run cost` writes to docs/cost.json; docs/cost.md is rendered from the same object. */
export interface CostReport {
  readonly generatedBy: string;
  readonly currency: 'USD';
  readonly priceFiles: readonly Pick<
    PriceFile,
    'region' | 'location' | 'asOf' | 'basis' | 'lookedUp' | 'sources' | 'rules'
  >[];
  readonly stacks: readonly StackCost[];
  readonly comparisons: readonly Comparison[];
}

export function buildCostReport(
  stacks: readonly StackCost[],
  priceFiles: readonly PriceFile[],
  comparisons: readonly Comparison[] = [],
): CostReport {
  const used = new Set(stacks.map((s) => s.region));
  return {
    generatedBy: 'npm run cost (scripts/cost.ts): do not edit by hand',
    currency: 'USD',
    priceFiles: priceFiles
      .filter((f) => used.has(f.region))
      .map(({ region, location, asOf, basis, lookedUp, sources, rules }) => ({
        region,
        location,
        asOf,
        basis,
        lookedUp,
        sources,
        rules,
      })),
    stacks,
    comparisons,
  };
}

/** `$1,234.56` */
export function money(usd: number): string {
  const [whole, fraction] = Math.abs(usd).toFixed(2).split('.');
  return `${usd < 0 ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

function quantity(n: number): string {
  const [whole, fraction] = String(Number(n.toFixed(2))).split('.');
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '');
}

function unitPrice(usd: number): string {
  return `$${Number(usd.toFixed(6))}`;
}

interface Row {
  readonly category: string;
  readonly item: string;
  readonly cells: readonly string[];
}

const SCENARIO_LABEL: Record<Scenario, string> = {
  fixed: '',
  'gpu-min': ' (at min)',
  'gpu-scheduled': ' (at schedule)',
  'gpu-max': ' (at max)',
};

/**
 * Line keys of all stacks in one order: each stack's own order is kept, and a key only one
 * stack has is placed after the key that precedes it in that stack.
 */
function mergedKeys(stacks: readonly StackCost[]): string[] {
  const keys: string[] = [];
  for (const stack of stacks) {
    let previous: string | undefined;
    for (const line of stack.lines) {
      if (line.key === previous) continue;
      if (!keys.includes(line.key)) keys.splice(previous ? keys.indexOf(previous) + 1 : 0, 0, line.key);
      previous = line.key;
    }
  }
  return keys;
}

/**
 * Item rows with one dollar cell per stack, by category; a GPU item has an "at min" and an
 * "at max" row. `-` where a stack has no such item.
 */
function itemRows(stacks: readonly StackCost[]): Row[] {
  const keys = mergedKeys(stacks);
  const rows: Row[] = [];
  for (const category of CATEGORIES) {
    for (const key of keys) {
      for (const scenario of ['fixed', 'gpu-min', 'gpu-scheduled', 'gpu-max'] as const) {
        const found = stacks.map((s) => s.lines.find((l) => l.key === key && l.scenario === scenario));
        const first = found.find((l) => l !== undefined);
        if (!first || first.category !== category) continue;
        rows.push({
          category,
          item: first.item + SCENARIO_LABEL[scenario],
          cells: found.map((l) => (l ? money(l.monthlyUsd) : '-')),
        });
      }
    }
  }
  return rows;
}

const TOTAL_ROWS: readonly [keyof CostTotals, string][] = [
  ['withoutGpu', 'Total without GPU'],
  ['gpuAtMin', 'GPU fleets at min'],
  ['withGpuAtMin', 'Total with GPU at min'],
  ['gpuScheduled', 'GPU fleets at their schedules'],
  ['withGpuScheduled', 'Total with GPU at their schedules'],
  ['gpuAtMax', 'GPU fleets at max'],
  ['withGpuAtMax', 'Total with GPU at max'],
];

function totalRows(stacks: readonly StackCost[]): Row[] {
  return TOTAL_ROWS.map(([field, label]) => ({
    category: 'Total',
    item: label,
    cells: stacks.map((s) => money(s.totals[field])),
  }));
}

/** Plain-text table for the terminal: items, then totals, one column per stack. */
export function renderTextTable(report: CostReport): string {
  const stacks = report.stacks;
  const header = ['Category', 'Item', ...stacks.map((s) => s.stack)];
  const body = itemRows(stacks).map((r) => [r.category, r.item, ...r.cells]);
  const totals = totalRows(stacks).map((r) => [r.category, r.item, ...r.cells]);
  const all = [header, ...body, ...totals];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const format = (row: string[]) =>
    row.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const prices = report.priceFiles.map((f) => `${f.region} prices as of ${f.asOf}`).join('; ');
  return [
    `Monthly cost estimate (USD, ${prices})`,
    format(header),
    rule,
    ...body.map(format),
    rule,
    ...totals.map(format),
  ].join('\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightFrom: number): string[] {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const align = header.map((_, i) => (i >= rightFrom ? '---:' : '---'));
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ];
}

const ASSUMPTION_ROWS: readonly [string, (a: UsageAssumptions) => string][] = [
  ['Hours per month', (a) => String(a.hoursPerMonth)],
  ['ALB LCUs per hour, internet-facing', (a) => String(a.albLcus.internetFacing)],
  ['ALB LCUs per hour, internal', (a) => String(a.albLcus.internal)],
  ['NAT data processed (GB)', (a) => String(a.natProcessedGb)],
  ['Log ingestion (GB)', (a) => String(a.logIngestionGb)],
  ['VPC flow logs (GB)', (a) => String(a.flowLogGb)],
  ['Custom metrics', (a) => String(a.customMetrics)],
  ['CloudFront data out (GB)', (a) => String(a.cloudFrontGb)],
  ['CloudFront requests (M)', (a) => String(a.cloudFrontRequestsMillions)],
  ['CloudFront viewer edge (outside PriceClass_100)', (a) => a.cloudFrontViewerEdge],
  ['WAF requests (M)', (a) => String(a.wafRequestsMillions)],
  ['S3 Standard (GB)', (a) => String(a.s3StandardGb)],
  ['S3 Glacier Flexible Retrieval (GB)', (a) => String(a.s3GlacierGb)],
  ['S3 PUT/COPY/POST/LIST (thousands)', (a) => String(a.s3PutRequestsThousands)],
  ['S3 GET (thousands)', (a) => String(a.s3GetRequestsThousands)],
  ['ECR storage (GB)', (a) => String(a.ecrStorageGb)],
  [
    'GPU spot discount (2026-05-02 Seoul Spot prices: g4dn.2xlarge 72 % off; see assumptions.ts)',
    (a) => `${a.gpuSpotDiscount * 100} %`,
  ],
  ['Scheduled function run time (ms)', (a) => String(a.functionDurationMs)],
  ['Fargate Spot discount', (a) => `${a.fargateSpotDiscount * 100} %`],
];

function basisRows(lines: readonly CostLine[]): string[][] {
  return lines.map((l) => [
    l.item + SCENARIO_LABEL[l.scenario],
    l.basis,
    /^\d/.test(l.unit) ? `${quantity(l.quantity)} x ${l.unit}` : `${quantity(l.quantity)} ${l.unit}`,
    l.priceKey === 'free' ? 'free' : `${unitPrice(l.unitPriceUsd)} / ${l.unit}`,
    money(l.monthlyUsd),
  ]);
}

/** docs/cost.md: summary, comparison, per-item table, then how each figure was reached. */
export function renderMarkdown(report: CostReport): string {
  const stacks = report.stacks;
  const names = stacks.map((s) => s.stack);
  const out: string[] = [
    '# Monthly cost estimate',
    '',
    `Generated by \`npm run cost\` from the synthesized stacks (${names.join(', ')}); do not edit by hand.`,
    'Amounts are USD per month, rounded to cents per line.',
    ...report.priceFiles.map(
      (f) =>
        `Prices: \`data/prices/${f.region}.json\`, ${f.location}, as of ${f.asOf}. ${f.basis} ` +
        'Usage that the stacks cannot tell (traffic, data volumes, logs, spot discounts) comes from ' +
        '`src/tools/cost/assumptions.ts`, listed at the end.',
    ),
    '',
    '## Totals',
    '',
    ...table(
      ['', ...names],
      totalRows(stacks).map((r) => [r.item, ...r.cells]),
      1,
    ),
    '',
    'GPU fleets are priced at their Auto Scaling group minimum, at the minimum their scheduled actions',
    'keep over a week (the minimum all week where a group has no schedule) and at their maximum;',
    'Spot above the on-demand base where the group has a mixed-instances policy with Spot. Scaling',
    'above the minimum on load (queue depth, GPU utilization) is extra. Everything else runs all month.',
  ];
  if (report.comparisons.length > 0) {
    out.push(
      '',
      "## Against the team's estimates",
      '',
      ...table(
        ['', 'Team estimate', 'This estimate'],
        report.comparisons.map((c) => [c.label, c.theirs, money(c.oursUsd)]),
        1,
      ),
    );
  }
  out.push(
    '',
    '## Per item',
    '',
    ...table(
      ['Category', 'Item', ...names],
      itemRows(stacks).map((r) => [r.category, r.item, ...r.cells]),
      2,
    ),
  );
  const withCloudFront = stacks.filter((s) => s.cloudFront);
  if (withCloudFront.length > 0) {
    const cell = (get: (c: NonNullable<StackCost['cloudFront']>) => string) =>
      withCloudFront.map((s) => get(s.cloudFront!));
    out.push(
      '',
      '## CloudFront price class',
      '',
      ...table(
        ['', ...withCloudFront.map((s) => s.stack)],
        [
          ['Price class', ...cell((c) => c.priceClass)],
          ['Viewers billed at', ...cell((c) => `${EDGE_NAMES[c.edge]} edges`)],
          ['Data out and HTTPS requests', ...cell((c) => money(c.monthlyUsd))],
          ['Same traffic on PriceClass_100', ...cell((c) => money(c.atPriceClass100Usd))],
          ['Difference', ...cell((c) => money(cents(c.monthlyUsd - c.atPriceClass100Usd)))],
        ],
        1,
      ),
      '',
      'PriceClass_100 has edges in North America and Europe only: Korean viewers are then served, and',
      'billed, from there, across the Pacific. PriceClass_200 adds the edges in Korea and Japan at',
      'their higher rates.',
    );
  }
  for (const stack of stacks) {
    out.push(
      '',
      `## How the ${stack.stack} figures are reached`,
      '',
      ...table(['Item', 'Basis', 'Quantity', 'Unit price', 'Monthly'], basisRows(stack.lines), 2),
      '',
      'Resources without a line of their own:',
      '',
      ...Object.entries(groupByReason(stack.notBilled)).map(
        ([reason, types]) => `- ${reason}: ${types.join(', ')}`,
      ),
    );
    if (stack.unpriced.length > 0) {
      out.push(
        '',
        `**Not priced (unknown resource types, a cost may be missing):** ${stack.unpriced.join(', ')}.`,
      );
    }
    if (stack.notes.length > 0)
      out.push('', 'Left out of the figures:', '', ...stack.notes.map((n) => `- ${n}`));
  }
  out.push(
    '',
    '## Usage assumptions',
    '',
    ...table(
      ['Assumption', ...names],
      ASSUMPTION_ROWS.map(([label, get]) => [label, ...stacks.map((s) => get(s.assumptions))]),
      1,
    ),
    '',
    '## Price sources',
  );
  for (const file of report.priceFiles) {
    out.push(
      '',
      `${file.location} (\`${file.region}\`), as of ${file.asOf}. ${file.lookedUp}`,
      '',
      ...Object.entries(file.sources).map(([key, text]) => `- \`${key}\`: ${text}`),
      ...file.rules.map((rule) => `- Rule: ${rule}`),
    );
  }
  return `${out.join('\n')}\n`;
}

function groupByReason(notBilled: Readonly<Record<string, string>>): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const [type, reason] of Object.entries(notBilled)) (groups[reason] ??= []).push(type);
  return groups;
}

/** docs/cost.json */
export function renderJson(report: CostReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
