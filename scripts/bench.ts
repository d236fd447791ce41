/**
 * `npm run bench`: timings (median of N runs, default 5) of synth and offline plans, written to
 * docs/benchmarks.md with the machine's CPU count, memory, Node and Terraform versions.
 * A benchmark, not a test: it never fails on a missed target, it reports it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatLikeRepo } from '../src/tools/format';
import { readCdktfJson } from '../src/tools/synth';

const root = resolve(__dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const tsx = ['--import', 'tsx'];

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

const context = JSON.stringify(readCdktfJson(root).context ?? {});
const app = (outdir: string) =>
  seconds(process.execPath, [...tsx, 'main.ts'], { CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: context });
const rootImport = (outdir: string) =>
  seconds(
    process.execPath,
    [
      ...tsx,
      '-e',
      "require('@cdktf/provider-aws'); require('@cdktf/provider-random'); require('./main.ts');",
    ],
    { CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: context },
  );
const cli = (outdir: string) => seconds('npx', ['cdktf', 'synth', '--output', outdir]);
const envs = (n: number) => (outdir: string) =>
  seconds(process.execPath, [...tsx, 'scripts/bench-envs.ts', String(n), outdir]);

const results = {
  app: measure('app-only synth (3 stacks)', runs, app),
  cli: measure('npx cdktf synth', runs, cli),
  rootImport: measure('app with root provider imports', runs, rootImport),
  envs2: measure('2 generated environments', runs, envs(2)),
  envs10: measure('10 generated environments', runs, envs(10)),
};

const plans: Record<string, number> = {};
for (const stack of ['state-backend', 'staging', 'production']) {
  plans[stack] = measure(`offline plan ${stack}`, Math.min(runs, 3), () =>
    seconds(process.execPath, [...tsx, 'scripts/plan.ts', stack]),
  );
}
const test = process.env.BENCH_SKIP_TEST
  ? NaN
  : measure('npm test', 1, () => seconds('npm', ['test', '--silent']));

const version = (cmd: string, args: string[]) => execFileSync(cmd, args).toString().split('\n')[0].trim();
const check = (ok: boolean) => (ok ? 'met' : '**missed**');
const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (medians; offline plans of 3 runs, `npm test` of 1). Re-run after changes',
  'that touch synthesis; numbers vary with the load of the machine.',
  '',
  `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB memory, Node ${process.version}, ${version('terraform', ['version'])}.`,
  '',
  '| measurement | seconds | target | |',
  '| --- | --- | --- | --- |',
  `| app-only synth, all 3 stacks (the cdktf.json app command) | ${results.app.toFixed(2)} | <= 1.0 | ${check(results.app <= 1)} |`,
  `| \`npx cdktf synth\` | ${results.cli.toFixed(2)} | <= 3 | ${check(results.cli <= 3)} |`,
  `| same app with the root provider imports | ${results.rootImport.toFixed(2)} | >= 5x the app-only time (ratio ${(results.rootImport / results.app).toFixed(1)}x) | ${check(results.rootImport / results.app >= 5)} |`,
  `| 2 generated environments | ${results.envs2.toFixed(2)} | | |`,
  `| 10 generated environments | ${results.envs10.toFixed(2)} | <= 2x of 2 (ratio ${(results.envs10 / results.envs2).toFixed(2)}x) | ${check(results.envs10 / results.envs2 <= 2)} |`,
  ...Object.entries(plans).map(
    ([s, t]) => `| offline plan \`${s}\` (synth + init + validate + plan + show) | ${t.toFixed(2)} | | |`,
  ),
  `| \`npm test\` (every offline plan included) | ${Number.isNaN(test) ? 'skipped' : test.toFixed(1)} | <= 60 | ${Number.isNaN(test) ? '' : check(test <= 60)} |`,
  '',
];
const target = join(root, 'docs', 'benchmarks.md');
void formatLikeRepo(lines.join('\n'), target).then((text) => {
  writeFileSync(target, text);
  console.log('written docs/benchmarks.md');
});
