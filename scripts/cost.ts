/**
 * `npm run cost -- [stack ...] [--write] [--json <file>] [--md <file>]`: synthesizes the app
 * in-process, estimates the monthly cost of each stack from its JSON (staging and production by
 * default) and prints the table side by side. It writes nothing unless asked: `--write` updates
 * the committed docs/cost.json and docs/cost.md (both environments, from the cdktf.json settings
 * with no ECG_* variables, so the committed figures never depend on a shell); `--json` and `--md`
 * write the report of this run to the files named. `--write` also regenerates the cost table of
 * README.md and README.ko.md (between the cost markers) from the same report.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatLikeRepo } from '../src/tools/format';
import { runCli, synthesizeInProcess } from '../src/tools/synth';
import {
  assumptionsFor,
  buildCostReport,
  estimateStack,
  loadPriceFile,
  renderJson,
  renderMarkdown,
  readmeCostTable,
  renderTextTable,
  replaceCostBlock,
  stackRegion,
  type ReadmeLanguage,
  type Comparison,
  type PriceFile,
  type StackCost,
} from '../src/tools/cost';

const DEFAULT_STACKS = ['staging', 'production'];
/** READMEs whose cost table (between the cost markers) `--write` regenerates. */
const README_FILES: readonly [string, ReadmeLanguage][] = [
  ['README.md', 'en'],
  ['README.ko.md', 'ko'],
];

/** The team's own monthly figures (docs/design.md, "Team estimates"). */
const TEAM_ESTIMATES = { staging: '~$91', production: '~$121', withOneGpu: '~$500' };
const TEAM_GPU_TYPE = 'g4dn.xlarge';
/** The team's Phase 2 table: render workers on g4dn.2xlarge x 4 at $1.26/h each = $5.04/h. */
const TEAM_PHASE2 = { type: 'g4dn.2xlarge', count: 4, perHour: 5.04 };

/** Options that take a value. */
const VALUE_OPTIONS = ['--json', '--md'];

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : undefined;
}

function comparisons(costs: readonly StackCost[], prices: ReadonlyMap<string, PriceFile>): Comparison[] {
  const out: Comparison[] = [];
  const staging = costs.find((c) => c.stack === 'staging');
  const production = costs.find((c) => c.stack === 'production');
  if (staging) {
    out.push({
      label: 'staging without GPU',
      theirs: TEAM_ESTIMATES.staging,
      oursUsd: staging.totals.withoutGpu,
    });
  }
  if (production) {
    out.push({
      label: 'production without GPU',
      theirs: TEAM_ESTIMATES.production,
      oursUsd: production.totals.withoutGpu,
    });
  }
  const gpu = staging && prices.get(staging.region)?.prices[`ec2.linux.${TEAM_GPU_TYPE}`];
  if (staging && gpu) {
    out.push({
      label: `staging plus one ${TEAM_GPU_TYPE} on demand around the clock`,
      theirs: TEAM_ESTIMATES.withOneGpu,
      oursUsd:
        Math.round((staging.totals.withoutGpu + gpu.usd * staging.assumptions.hoursPerMonth) * 100) / 100,
    });
  }
  const render = production?.lines.filter(
    (l) => l.scenario === 'gpu-scheduled' && l.key.endsWith(':render-worker'),
  );
  const phase2 = production && prices.get(production.region)?.prices[`ec2.linux.${TEAM_PHASE2.type}`];
  if (production && render && phase2) {
    const hours = production.assumptions.hoursPerMonth;
    out.push(
      {
        label: `${TEAM_PHASE2.type} x ${TEAM_PHASE2.count} on demand, per hour (Phase 2 table)`,
        theirs: `$${TEAM_PHASE2.perHour.toFixed(2)}`,
        oursUsd: Math.round(TEAM_PHASE2.count * phase2.usd * 100) / 100,
      },
      {
        label: `production render workers: Phase 2's ${TEAM_PHASE2.count} all month vs. the schedule with Spot above the base, per month`,
        theirs: `$${(TEAM_PHASE2.perHour * hours).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
        oursUsd: Math.round(render.reduce((sum, l) => sum + l.monthlyUsd, 0) * 100) / 100,
      },
    );
  }
  return out;
}

const formatted = (file: string, text: string): Promise<string> => formatLikeRepo(text, file);

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknownOption = args.find(
    (a, i) =>
      a.startsWith('-') &&
      a !== '--write' &&
      !VALUE_OPTIONS.includes(a) &&
      !VALUE_OPTIONS.includes(args[i - 1]),
  );
  if (unknownOption) {
    console.error(
      `unknown option ${unknownOption}: npm run cost -- [stack ...] [--write] [--json <file>] [--md <file>]`,
    );
    return 1;
  }
  const chosen = args.filter((a, i) => !a.startsWith('-') && !VALUE_OPTIONS.includes(args[i - 1]));
  const write = args.includes('--write');
  if (write && chosen.length > 0) {
    console.error(
      '--write updates docs/cost.* for both environments: name no stack (use --json/--md for a subset)',
    );
    return 1;
  }
  const stacks = chosen.length > 0 ? chosen : DEFAULT_STACKS;
  const projectDir = resolve(__dirname, '..');
  const outputs: [string, 'json' | 'md'][] = [];
  const jsonOut = option(args, '--json') ?? (write ? join(projectDir, 'docs', 'cost.json') : undefined);
  const mdOut = option(args, '--md') ?? (write ? join(projectDir, 'docs', 'cost.md') : undefined);
  if (jsonOut) outputs.push([jsonOut, 'json']);
  if (mdOut) outputs.push([mdOut, 'md']);

  let env: NodeJS.ProcessEnv = process.env;
  if (write) {
    const ignored = Object.keys(process.env).filter((k) => k.startsWith('ECG_'));
    if (ignored.length > 0)
      console.warn(`docs/cost.* describe the cdktf.json settings: ignoring ${ignored.sort().join(', ')}`);
    env = {};
  }
  const synthesized = synthesizeInProcess(projectDir, env);
  const known = synthesized.map((s) => s.id);
  const unknown = stacks.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    console.error(`unknown stack ${unknown.join(', ')} (stacks: ${known.join(', ')})`);
    return 1;
  }
  const prices = new Map<string, PriceFile>();
  const costs = stacks.map((stack) => {
    const json = synthesized.find((s) => s.id === stack)!.json;
    const region = stackRegion(json);
    if (!prices.has(region)) prices.set(region, loadPriceFile(region));
    return estimateStack({ stack, json, prices: prices.get(region)!, assumptions: assumptionsFor(stack) });
  });
  const report = buildCostReport(costs, [...prices.values()], comparisons(costs, prices));
  console.log(renderTextTable(report));
  for (const cost of costs.filter((c) => c.unpriced.length > 0)) {
    console.warn(`warning: ${cost.stack} has resource types with no price: ${cost.unpriced.join(', ')}`);
  }
  for (const [file, kind] of outputs) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, await formatted(file, kind === 'json' ? renderJson(report) : renderMarkdown(report)));
    console.log(`written ${file}`);
  }
  if (write) {
    for (const [readme, language] of README_FILES) {
      const file = join(projectDir, readme);
      const updated = replaceCostBlock(readFileSync(file, 'utf8'), readmeCostTable(report, language));
      if (updated === undefined) {
        console.log(`${readme} has no cost markers: left alone`);
        continue;
      }
      writeFileSync(file, await formatted(file, updated));
      console.log(`written ${file} (cost table)`);
    }
  }
  return 0;
}

runCli(main);
