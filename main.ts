import { App } from 'cdktf';
import { buildApp, loadConfiguration, type Configuration } from './src/app';
import { ConfigError } from './src/config';

// The only place that reads the outside world: cdktf.json context (which the cdktf CLI passes in
// CDKTF_CONTEXT_JSON, as App itself reads it) and environment variables.
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
buildApp(app, configuration);
app.synth();
