import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stackDirRefusal } from '../src/tools/cdktf-guard';
import { runSynth } from '../src/tools/synth-command';
import { shellEnv } from './support/env';

const run = promisify(execFile);
const projectDir = resolve(__dirname, '..');
const context = (
  JSON.parse(readFileSync(join(projectDir, 'cdktf.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

async function outcome(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(file, args, { cwd: projectDir, env, maxBuffer: 64 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

describe('synth leaves no file of an earlier run it did not write', () => {
  const root = mkdtempSync(join(tmpdir(), 'safe-writes-'));
  const outdir = join(root, 'cdktf.out');
  const staging = join(outdir, 'stacks', 'staging');
  const backend = join(outdir, 'stacks', 'state-backend');

  beforeAll(() => {
    expect(runSynth({ context, env: {}, outdir, cwd: root }).report).toBeUndefined();
    // An offline copy exported into cdktf.out by an older version, a stale tfvars copy, and
    // what Terraform keeps there.
    writeFileSync(join(staging, 'offline_override.tf.json'), '{"terraform":{"backend":{"local":{}}}}');
    writeFileSync(join(staging, 'offline.tfrc'), 'provider_installation {}');
    writeFileSync(join(staging, 'staging.auto.tfvars'), 'alarm_email = "old@example.com"\n');
    writeFileSync(join(staging, 'override.tf'), 'terraform {}\n');
    mkdirSync(join(staging, '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(staging, '.terraform', 'terraform.tfstate'), '{}');
    writeFileSync(join(staging, '.terraform.lock.hcl'), '# lock\n');
    writeFileSync(join(backend, 'terraform.state-backend.tfstate'), '{"serial": 7}');
    writeFileSync(join(backend, 'terraform.state-backend.tfstate.backup'), '{"serial": 6}');
    expect(stackDirRefusal(outdir, 'staging')).toContain('offline_override.tf.json, override.tf');
    expect(runSynth({ context, env: {}, outdir, cwd: root }).report).toBeUndefined();
  }, 60_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('removes the override files, the offline CLI config and the tfvars copy whose source is gone', () => {
    expect(readdirSync(staging).sort()).toEqual([
      '.terraform',
      '.terraform.lock.hcl',
      'assets',
      'cdk.tf.json',
    ]);
    expect(stackDirRefusal(outdir, 'staging')).toBeUndefined();
  });

  it("keeps Terraform's own files: working directory, lock file, local state and its backup", () => {
    expect(readFileSync(join(staging, '.terraform', 'terraform.tfstate'), 'utf8')).toBe('{}');
    expect(readFileSync(join(backend, 'terraform.state-backend.tfstate'), 'utf8')).toBe('{"serial": 7}');
    expect(existsSync(join(backend, 'terraform.state-backend.tfstate.backup'))).toBe(true);
  });
});

describe('cdktf deploy, diff and destroy refuse a stack folder with an override file', () => {
  it('names the file and where offline copies go', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'guard-'));
    mkdirSync(join(outdir, 'stacks', 'production'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'production', 'offline_override.tf.json'), '{}');
    expect(stackDirRefusal(outdir, 'production')).toBe(
      'refusing to run Terraform in cdktf.out/stacks/production: it holds offline_override.tf.json, an override ' +
        'file that would replace the S3 backend with a local one. Remove it (npm run synth removes it), and write ' +
        'offline copies outside cdktf.out (npm run plan -- <stack> --export <new folder>)',
    );
    expect(stackDirRefusal(outdir, 'staging')).toBeUndefined();
    rmSync(outdir, { recursive: true, force: true });
  });
});

describe('quiet output: one report, once; no warning the project causes', () => {
  it('npm run synth prints one line and nothing on stderr', async () => {
    const out = mkdtempSync(join(tmpdir(), 'quiet-'));
    const result = await outcome('npm', ['run', '--silent', 'synth', '--', '--output', out], shellEnv());
    rmSync(out, { recursive: true, force: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual([
      `Generated Terraform code for the stacks: production, staging, state-backend (in ${out})`,
    ]);
  }, 120_000);

  it('npm run synth prints a report of bad input once', async () => {
    const out = mkdtempSync(join(tmpdir(), 'quiet-'));
    const result = await outcome('npm', ['run', '--silent', 'synth', '--', '--output', out], {
      ...shellEnv(),
      ECG_REGION: 'ap-northest-2',
    });
    rmSync(out, { recursive: true, force: true });
    expect(result.code).toBe(1);
    const all = result.stdout + result.stderr;
    expect(all.match(/Invalid configuration/g)).toHaveLength(1);
    expect(all.match(/ECG_REGION ap-northest-2/g)).toHaveLength(1);
    expect(all).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('npm run diff:staging stops at bad input with the report once, before the cdktf CLI starts', async () => {
    const result = await outcome(
      process.execPath,
      ['scripts/run-app.mjs', 'scripts/cdktf.ts', 'diff', 'staging'],
      {
        ...shellEnv(),
        ECG_REGION: 'ap-northest-2',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.match(/Invalid configuration/g)).toHaveLength(1);
    expect(result.stderr).toContain('  - ECG_REGION ap-northest-2 must be an AWS region');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('npm run plan prints no warning and nothing on stderr', async () => {
    const result = await outcome(
      process.execPath,
      ['scripts/run-app.mjs', 'scripts/plan.ts', 'state-backend'],
      shellEnv(),
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toMatch(/warning|deprecated/i);
    expect(result.stdout).toContain('state-backend: 8 to add, 0 to change, 0 to destroy');
  }, 180_000);
});
