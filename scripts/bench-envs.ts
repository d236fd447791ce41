/**
 * Synthesizes N generated platform environments (for `npm run bench`: how synth cost grows with
 * the number of environments). Usage: node scripts/run-app.mjs scripts/bench-envs.ts <N> <outdir>
 */
import { App } from 'cdktf';
import { resolveSettings, stagingConfig } from '../src/config';
import { PlatformStack } from '../src/stacks/platform-stack';
import { skipTokenTraces } from '../src/tools/token-traces';

skipTokenTraces(); // as the app command does (main.ts)

const count = Number(process.argv[2] ?? 2);
const app = new App({ outdir: process.argv[3] ?? 'cdktf.out.bench' });
const settings = resolveSettings({ context: () => undefined, env: {} });
for (let i = 0; i < count; i++) {
  // Same sizing as staging under distinct stack ids: what a per-team or per-region fan-out costs.
  new PlatformStack(app, `env-${i}`, { settings, config: stagingConfig(settings) });
}
app.synth();
