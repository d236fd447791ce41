/**
 * `npm run policy [-- --json <file>]`: synthesizes the app in-process (as `cdktf synth` would,
 * with validation skipped so every finding is reported rather than the first failing stack),
 * evaluates the policy pack on every stack, prints one table per stack and writes the same report
 * as JSON (default reports/policy.json). Exits 1 on any unsuppressed finding.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runCli, synthesizeInProcess } from '../src/tools/synth';
import { buildPolicyReport, formatPolicyReport, type StackInput } from '../src/policies';

function jsonPath(args: readonly string[], projectDir: string): string {
  const i = args.indexOf('--json');
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : join(projectDir, 'reports', 'policy.json');
}

function main(): number {
  const projectDir = resolve(__dirname, '..');
  const stacks: StackInput[] = synthesizeInProcess(projectDir, process.env, { skipValidation: true }).map(
    (s) => ({
      stack: s.id,
      environment: s.environment,
      json: s.json,
    }),
  );
  const report = buildPolicyReport(stacks);
  console.log(formatPolicyReport(report));
  const out = jsonPath(process.argv.slice(2), projectDir);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`report written to ${out}`);
  return report.failures === 0 ? 0 : 1;
}

runCli(main);
