/**
 * `node scripts/run-app.mjs __tests__/support/default-app.ts <outdir>`: synthesizes the default app
 * (the context defaults, no ECG_* variables, no tfvars) into <outdir>, validations left to the tests
 * (the policy pack's own tests report a finding by name). The global setup starts it beside the
 * test workers' own start (support/global-setup.ts); it ends with <outdir>.result.json, `{}` or the
 * error, which `defaultSynthDir()` (support/shared.ts) waits for.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { App } from 'cdktf';
import { buildApp, loadConfiguration } from '../../src/app';
import { skipTokenTraces } from '../../src/tools/token-traces';

const outdir = process.argv[2];
// TEST_TOKEN_TRACES=1 keeps cdktf's token creation traces (support/token-traces.ts): a plain Node
// process formats them itself.
if (process.env.TEST_TOKEN_TRACES !== '1') skipTokenTraces();
let result: { error?: string } = {};
try {
  const app = new App({ outdir, skipValidation: true });
  buildApp(app, loadConfiguration({ context: () => undefined, env: {} }));
  app.synth();
} catch (error) {
  result = { error: error instanceof Error ? error.message : String(error) };
}
writeFileSync(`${outdir}.result.json.partial`, JSON.stringify(result));
renameSync(`${outdir}.result.json.partial`, `${outdir}.result.json`);
