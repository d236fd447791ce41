/**
 * `npm run identity [-- <revision>]`: proves a refactoring changed no Terraform. Synthesizes every
 * stack at `<revision>` (default HEAD; checked out in a temporary git worktree under the OS temp
 * folder, sharing this project's node_modules) and in the working tree, plus the module variants
 * of __tests__/variants on both sides, and compares the output byte for byte. Prints the sha256 of
 * every file and, where the bytes differ, the differing blocks by Terraform address. ECG_*
 * variables and the user's tfvars are left out on both sides. Exits 1 when anything differs.
 *
 * `npm run identity -- --write-addresses` instead rewrites __tests__/fixtures/terraform-addresses.json
 * (every resource, data source and output of every stack) after a deliberate change of addresses;
 * __tests__/json-identity.test.ts fails while it is out of date.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  ADDRESSES_FIXTURE,
  addressesByStack,
  checkoutRevision,
  compareSynthOutputs,
  formatIdentityReport,
  neutralEnv,
  synthesizeTree,
} from '../src/tools/json-identity';
import { formatLikeRepo } from '../src/tools/format';
import { runCli, synthesizeInProcess } from '../src/tools/synth';

const run = promisify(execFile);

async function synthesizeVariants(projectDir: string, stacksDir: string, scratch: string): Promise<void> {
  const script = join(__dirname, 'json-identity-variants.ts');
  await run(
    process.execPath,
    ['--import', 'tsx', script, projectDir, join(stacksDir, 'module-variants', 'cdk.tf.json')],
    {
      cwd: projectDir,
      env: neutralEnv(process.env, scratch),
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

async function writeAddresses(projectDir: string): Promise<number> {
  // Like the test: the cdktf.json settings, no ECG_* variables.
  const addresses = addressesByStack(synthesizeInProcess(projectDir, {}, { skipValidation: true }));
  const path = join(projectDir, ADDRESSES_FIXTURE);
  writeFileSync(path, await formatLikeRepo(JSON.stringify(addresses), path));
  console.log(`${path}: written`);
  return 0;
}

async function main(): Promise<number> {
  const projectDir = resolve(__dirname, '..');
  if (process.argv.includes('--write-addresses')) return writeAddresses(projectDir);
  const revision = process.argv.slice(2).find((a) => !a.startsWith('-')) ?? 'HEAD';
  const scratch = mkdtempSync(join(tmpdir(), 'json-identity-out-'));
  const checkout = await checkoutRevision(projectDir, revision);
  try {
    const [before, after] = await Promise.all([
      synthesizeTree(checkout.dir, join(scratch, 'before'), process.env, scratch),
      synthesizeTree(projectDir, join(scratch, 'after'), process.env, scratch),
    ]);
    await synthesizeVariants(checkout.dir, before, scratch);
    await synthesizeVariants(projectDir, after, scratch);
    const report = compareSynthOutputs(before, after);
    console.log(formatIdentityReport(report, `${revision} (${checkout.commit.slice(0, 12)})`));
    return report.identical ? 0 : 1;
  } finally {
    await checkout.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
}

runCli(main);
