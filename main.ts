// Source-mapped stack traces cost ~0.2 s: cdktf captures one for every token it creates.
process.setSourceMapsEnabled(false);
import { App } from 'cdktf';
import { buildApp, loadConfiguration, type Configuration } from './src/app';
import { ConfigError } from './src/config';
import { TFVARS_DIR_ENV, copyTfvars } from './src/tools/tfvars';

// The only place that reads the outside world: cdktf.json context (which the cdktf CLI passes in
// CDKTF_CONTEXT_JSON, as App itself reads it), environment variables and the user's tfvars files.
const context = JSON.parse(process.env.CDKTF_CONTEXT_JSON ?? '{}') as Record<string, unknown>;

let configuration: Configuration;
try {
  configuration = loadConfiguration({ context: (key) => context[key], env: process.env });
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

// Created only after validation: App writes its output folder as soon as it exists.
const app = new App();
const built = buildApp(app, configuration);
app.synth();
copyTfvars(process.env[TFVARS_DIR_ENV] ?? process.cwd(), app.outdir, Object.keys(built.platforms));
