/**
 * `npm run diff:<env>`, `deploy:<env>`, `destroy:<env>`: the cdktf CLI behind a guard that
 * refuses to destroy production or the state backend without an explicit flag or variable.
 */
import { spawnSync } from 'node:child_process';
import { ALLOW_PRODUCTION_DESTROY_FLAG, refusal } from '../src/tools/cdktf-guard';

const [command, stack, ...rest] = process.argv.slice(2);
const reason = refusal(command, stack, rest, process.env);
if (reason) {
  console.error(`cdktf: ${reason}`);
  process.exit(2);
}
const args = [command, stack, ...rest.filter((a) => a !== ALLOW_PRODUCTION_DESTROY_FLAG)];
const result = spawnSync('npx', ['cdktf', ...args], {
  stdio: 'inherit',
  env: { ...process.env, CHECKPOINT_DISABLE: '1' },
});
process.exit(result.status ?? 1);
