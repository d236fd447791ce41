/**
 * `npm run policy [-- --json <file>]`: synthesizes the app in-process (as `cdktf synth` would,
 * with validation skipped so every finding is reported rather than the first failing stack),
 * evaluates the policy pack on every stack, prints one table per stack and writes the same report
 * as JSON (default reports/policy.json). Exits 1 on any unsuppressed finding.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { App } from 'cdktf';
import { buildApp } from '../src/app';
import { ConfigError } from '../src/config';
import { loadProjectConfiguration } from '../src/tools/synth';
import { buildPolicyReport, formatPolicyReport, type StackInput } from '../src/policies';

function jsonPath(args: readonly string[], projectDir: string): string {
  const i = args.indexOf('--json');
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : join(projectDir, 'reports', 'policy.json');
}

function main(): number {
  const projectDir = resolve(__dirname, '..');
  let configuration;
  try {
    configuration = loadProjectConfiguration(projectDir, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  const outdir = mkdtempSync(join(tmpdir(), 'ecg-policy-'));
  try {
    const app = new App({ outdir, skipValidation: true });
    const built = buildApp(app, configuration);
    app.synth();
    const read = (stack: string) =>
      JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackInput['json'];
    const stacks: StackInput[] = [
      { stack: built.stateBackend.node.id, environment: 'shared', json: read(built.stateBackend.node.id) },
      ...Object.values(built.platforms).map((p) => ({
        stack: p.node.id,
        environment: p.config.name,
        json: read(p.node.id),
      })),
    ];
    const report = buildPolicyReport(stacks);
    console.log(formatPolicyReport(report));
    const out = jsonPath(process.argv.slice(2), projectDir);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report written to ${out}`);
    return report.failures === 0 ? 0 : 1;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

process.exitCode = main();
