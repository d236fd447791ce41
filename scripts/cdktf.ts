/**
 * `npm run diff:<env>`, `deploy:<env>`, `destroy:<env>`: the cdktf CLI behind a guard that
 * refuses to destroy production or the state backend without an explicit flag or variable, and
 * to run Terraform in a stack folder that holds an override file. It synthesizes first itself
 * (a report of bad input printed once), then runs the CLI with --skip-synth.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ALLOW_PRODUCTION_DESTROY_FLAG, refusal, stackDirRefusal } from '../src/tools/cdktf-guard';
import { synthesizeProject } from '../src/tools/synth';

const projectDir = resolve(__dirname, '..');
const outdir = join(projectDir, 'cdktf.out');
const [command, stack, ...rest] = process.argv.slice(2);
const reason = refusal(command, stack, rest, process.env);
if (reason) {
  console.error(`cdktf: ${reason}`);
  process.exit(2);
}
if (synthesizeProject(projectDir, outdir) !== 0) process.exit(1);
const stackReason = stackDirRefusal(outdir, stack);
if (stackReason) {
  console.error(`cdktf: ${stackReason}`);
  process.exit(2);
}
const args = [command, stack, '--skip-synth', ...rest.filter((a) => a !== ALLOW_PRODUCTION_DESTROY_FLAG)];
const result = spawnSync('npx', ['cdktf', ...args], {
  cwd: projectDir,
  stdio: 'inherit',
  env: { ...process.env, CHECKPOINT_DISABLE: '1' },
});
process.exit(result.status ?? 1);
