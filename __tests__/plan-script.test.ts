import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { PLAN_USAGE, STACK_IDS, parsePlanArgs } from '../src/tools/plan-cli';
import { didYouMean } from '../src/lib/suggest';
import { TFVARS_DIR_ENV } from '../src/tools/tfvars';
import { testProviderMirror } from './support/provider';
import { buildTestApp } from './support/app';

const run = promisify(execFile);
const projectDir = resolve(__dirname, '..');

/** Runs a command in the project folder; resolves with its exit code and output either way. */
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

describe('npm run plan arguments', () => {
  it('knows the stacks the app synthesizes, in its order', () => {
    const built = buildTestApp();
    expect(STACK_IDS).toEqual([built.stateBackend.node.id, ...Object.keys(built.platforms)]);
  });

  it('plans every stack when none is named', () => {
    expect(parsePlanArgs([])).toEqual({ stacks: STACK_IDS, verbose: false, exportDir: undefined });
    expect(parsePlanArgs(['staging', '--verbose'])).toEqual({
      stacks: ['staging'],
      verbose: true,
      exportDir: undefined,
    });
  });

  it.each([
    [
      ['stagign'],
      'unknown stack "stagign": did you mean staging?\nstacks: state-backend, staging, production',
    ],
    [['prod'], 'unknown stack "prod": did you mean production?\nstacks: state-backend, staging, production'],
    [['qa', 'staging'], 'unknown stack "qa"\nstacks: state-backend, staging, production'],
    [['--verbos'], `unknown option --verbos\n${PLAN_USAGE}`],
    [['staging', '--export'], `--export needs a folder\n${PLAN_USAGE}`],
    [['--export', 'x'], '--export writes one stack: name it (stacks: state-backend, staging, production)'],
  ])('fails when the arguments are %j', (argv, error) => {
    expect(parsePlanArgs(argv)).toEqual({ error });
  });

  it('suggests only a likely typo or an unambiguous abbreviation', () => {
    expect(didYouMean('prodution', STACK_IDS)).toBe('production');
    expect(didYouMean('state-backnd', STACK_IDS)).toBe('state-backend');
    expect(didYouMean('st', STACK_IDS)).toBeUndefined();
    expect(didYouMean('sta', STACK_IDS)).toBeUndefined(); // state-backend or staging
    expect(didYouMean('dev', STACK_IDS)).toBeUndefined();
  });

  it('fails on an unknown stack before it synthesizes anything, listing the stacks', async () => {
    const result = await outcome(
      process.execPath,
      ['scripts/run-app.mjs', 'scripts/plan.ts', 'stagign'],
      process.env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe('unknown stack "stagign": did you mean staging?');
    expect(result.stderr).toContain('stacks: state-backend, staging, production');
    expect(result.stdout).toBe('');
  });

  it('fails on bad input with the report of the app alone, before any Terraform', async () => {
    const result = await outcome(process.execPath, ['scripts/run-app.mjs', 'scripts/plan.ts', 'staging'], {
      ...process.env,
      ECG_REGION: 'ap-northest-2',
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid configuration (1 problem); nothing was written:',
      '  - ECG_REGION ap-northest-2 must be an AWS region like ap-northeast-2 (did you mean ap-northeast-2?)',
    ]);
    expect(result.stdout).not.toContain('terraform');
  });
});

/** The fenced block after `<!-- plain-terraform:offline -->` in the README. */
function offlineRoute(): string {
  const readme = readFileSync(join(projectDir, 'README.md'), 'utf8');
  const marker = readme.indexOf('<!-- plain-terraform:offline -->');
  expect(marker, 'README.md has no <!-- plain-terraform:offline --> marker').toBeGreaterThan(0);
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (!block) throw new Error('no bash block after the offline-route marker');
  return block[1];
}

describe("the README's offline route for plain Terraform", () => {
  it('plans staging with plain terraform commands, with pinned account ids, from the exported copy', async () => {
    const script = offlineRoute();
    expect(script).toContain('npm run plan -- staging --export');
    expect(script).toContain('terraform -chdir="$dir" plan');
    const result = await outcome('bash', ['-euo', 'pipefail', '-c', script], {
      ...process.env,
      // The mirror the suite found; the closed loopback proxy of the test setup stays in place.
      TF_PROVIDER_MIRROR: testProviderMirror(),
      ECG_STAGING_ACCOUNT_IDS: '123456789012',
      ECG_PRODUCTION_ACCOUNT_IDS: '210987654321',
      [TFVARS_DIR_ENV]: mkdtempSync(join(tmpdir(), 'no-tfvars-')),
    });
    const output = stripVTControlCharacters(result.stdout + result.stderr); // Terraform's colours
    expect(result.code, output).toBe(0);
    expect(output).toContain(
      'staging: dropped allowed_account_ids from provider aws, aws.us_east_1 for this offline copy only',
    );
    expect(output).toContain('offline.tfrc');
    expect(output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    expect(output).not.toContain('AWS account ID not allowed');
  });
});
