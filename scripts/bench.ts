/**
 * `npm run bench [-- --write]`: timings (median of N runs, default 5) of synth and offline plans,
 * with the machine's CPU count, memory, Node and Terraform versions. It prints the table; only
 * `--write` puts it into docs/benchmarks.md. A benchmark, not a test: it never fails on a missed
 * target, it reports it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatLikeRepo } from '../src/tools/format';
import { projectCacheDir } from '../src/tools/provider-mirror';
import { readCdktfJson } from '../src/tools/synth';

const root = resolve(__dirname, '..');
const write = process.argv.slice(2).includes('--write');
/** Where `npm run plan` keeps initialized working directories: emptied for a cold plan. */
const initCache = join(projectCacheDir(root), 'terraform-init');
/** The cold `npm run plan -- staging` before working directories were kept (docs/benchmarks.md of then). */
const PLAN_BEFORE = 10.79;
const runs = Number(process.env.BENCH_RUNS ?? 5);
/** How `npm run plan` starts the script (package.json): the launcher's cached bundle. */
const launcher = ['scripts/run-app.mjs'];

function seconds(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median seconds of `times` runs; each run gets a fresh output folder. */
function measure(label: string, times: number, fn: (outdir: string) => number): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const outdir = mkdtempSync(join(tmpdir(), 'bench-'));
    try {
      samples.push(fn(outdir));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  const m = median(samples);
  console.log(`${label}: median ${m.toFixed(2)} s of ${samples.map((s) => s.toFixed(2)).join(', ')}`);
  return m;
}

const cdktfJson = readCdktfJson(root);
const context = JSON.stringify(cdktfJson.context ?? {});
const [appCommand, ...appArgs] = cdktfJson.app.split(/\s+/);
const appEnv = (outdir: string) => ({ CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: context });
/** The cdktf.json app command, as `cdktf synth` runs it. */
const app = (outdir: string) => seconds(appCommand, appArgs, appEnv(outdir));
/** What Node needs just to load the provider's root index (what deep imports avoid). */
const rootIndex = () => seconds(process.execPath, ['-e', "require('@cdktf/provider-aws')"]);
const cli = (outdir: string) => seconds('npx', ['cdktf', 'synth', '--output', outdir]);
/** N generated environments, run by the app command's launcher like the app itself. */
const envs = (n: number) => (outdir: string) =>
  seconds(appCommand, [...appArgs.slice(0, -1), 'scripts/bench-envs.ts', String(n), outdir]);

/** Medians of `a` and `b` measured alternately, so a change in the machine's load touches both alike. */
function measurePair(
  labels: [string, string],
  times: number,
  a: (outdir: string) => number,
  b: (outdir: string) => number,
): [number, number] {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < times; i++) {
    for (const [k, fn] of [a, b].entries()) {
      const outdir = mkdtempSync(join(tmpdir(), 'bench-'));
      try {
        samples[k].push(fn(outdir));
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    }
  }
  return [0, 1].map((k) => {
    const m = median(samples[k]);
    console.log(
      `${labels[k]}: median ${m.toFixed(2)} s of ${samples[k].map((s) => s.toFixed(2)).join(', ')}`,
    );
    return m;
  }) as [number, number];
}

// An edit to any source the app imports (here: main.ts's modification time) rebuilds the
// launcher's bundle on the next synth; the other measurements reuse it, as synths do.
const touched = join(root, 'main.ts');
const afterEdit = measure('app-only synth after an edit (bundle rebuilt)', 1, (outdir) => {
  const now = new Date();
  utimesSync(touched, now, now);
  return app(outdir);
});
measure('warm-up of the generated environments', 1, envs(1));
const [appOnly, rootLoad] = measurePair(
  ['app-only synth (3 stacks)', 'node loading the root index of @cdktf/provider-aws'],
  runs,
  app,
  rootIndex,
);
const [envs2, envs10] = measurePair(
  ['2 generated environments', '10 generated environments'],
  runs,
  envs(2),
  envs(10),
);
const results = {
  app: appOnly,
  rootLoad,
  afterEdit,
  envs2,
  envs10,
  cli: measure('npx cdktf synth', runs, cli),
};

const plan = (stack: string) => () => seconds(process.execPath, [...launcher, 'scripts/plan.ts', stack]);
const planRuns = Math.min(runs, 3);
// Cold and warm alternate, so a change in the machine's load touches both alike.
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < planRuns; i++) {
  rmSync(initCache, { recursive: true, force: true });
  cold.push(plan('staging')());
  warm.push(plan('staging')());
}
const coldPlan = median(cold);
const warmPlan = median(warm);
console.log(
  `offline plan staging, cold: median ${coldPlan.toFixed(2)} s of ${cold.map((s) => s.toFixed(2)).join(', ')}`,
);
console.log(
  `offline plan staging, warm: median ${warmPlan.toFixed(2)} s of ${warm.map((s) => s.toFixed(2)).join(', ')}`,
);
const plans: Record<string, number> = {};
for (const stack of ['state-backend', 'production']) {
  plans[stack] = measure(`offline plan ${stack}, warm`, planRuns, plan(stack));
}
const test = process.env.BENCH_SKIP_TEST
  ? NaN
  : measure('npm test', 1, () => seconds('npm', ['test', '--silent']));

const version = (cmd: string, args: string[]) => execFileSync(cmd, args).toString().split('\n')[0].trim();
const check = (ok: boolean) => (ok ? 'met' : '**missed**');
const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench -- --write` (medians; offline plans of 3 runs, `npm test` of 1). Re-run',
  'after changes that touch synthesis; numbers vary with the load of the machine, so the ratios',
  'compare two commands measured alternately in the same run. The app command runs main.ts from the',
  "launcher's cached bundle (`scripts/run-app.mjs`), as every synth does while the sources are",
  'unchanged; the row after an edit shows the synth that rebuilds it. A cold plan has no',
  'initialized working directory yet (`terraform init` runs); a warm one reuses it from',
  '`node_modules/.cache/ecg-infra/terraform-init`. Each `npm run plan` synthesizes; the plan validates.',
  '',
  `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB memory, Node ${process.version}, ${version('terraform', ['version'])}.`,
  '',
  '| measurement | seconds | target | |',
  '| --- | --- | --- | --- |',
  `| app-only synth, all 3 stacks (the cdktf.json app command) | ${results.app.toFixed(2)} | <= 1.0 | ${check(results.app <= 1)} |`,
  `| Node loading \`@cdktf/provider-aws\`'s root index, measured alternately with the row above | ${results.rootLoad.toFixed(2)} | app-only synth <= 0.4x this (ratio ${(results.app / results.rootLoad).toFixed(2)}x) | ${check(results.app / results.rootLoad <= 0.4)} |`,
  `| app-only synth after an edit (the launcher rebuilds its bundle; 1 run) | ${results.afterEdit.toFixed(2)} | | |`,
  `| \`npx cdktf synth\` | ${results.cli.toFixed(2)} | <= 3 | ${check(results.cli <= 3)} |`,
  `| 2 generated environments | ${results.envs2.toFixed(2)} | | |`,
  `| 10 generated environments, measured alternately with 2 | ${results.envs10.toFixed(2)} | <= 2x of 2 (ratio ${(results.envs10 / results.envs2).toFixed(2)}x) | ${check(results.envs10 / results.envs2 <= 2)} |`,
  `| \`npm run plan -- staging\`, cold (synth + init + plan) | ${coldPlan.toFixed(2)} | | |`,
  `| \`npm run plan -- staging\`, warm (synth + plan) | ${warmPlan.toFixed(2)} | <= ${(PLAN_BEFORE / 2).toFixed(2)}, half the ${PLAN_BEFORE} s cold plan before (synth + init + validate + plan + show) | ${check(warmPlan <= PLAN_BEFORE / 2)} |`,
  ...Object.entries(plans).map(([s, t]) => `| \`npm run plan -- ${s}\`, warm | ${t.toFixed(2)} | | |`),
  `| \`npm test\` (every offline plan included) | ${Number.isNaN(test) ? 'skipped' : test.toFixed(1)} | <= 60 | ${Number.isNaN(test) ? '' : check(test <= 60)} |`,
  '',
];
const target = join(root, 'docs', 'benchmarks.md');
void formatLikeRepo(lines.join('\n'), target).then((text) => {
  console.log(`\n${text}`);
  if (write) {
    writeFileSync(target, text);
    console.log('written docs/benchmarks.md');
  }
});
