import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfiguration, type Configuration } from '../app';

const run = promisify(execFile);

interface CdktfJson {
  readonly app: string;
  readonly context?: Record<string, unknown>;
}

/** The project's cdktf.json: the app command and the context defaults. */
export function readCdktfJson(projectDir: string): CdktfJson {
  return JSON.parse(readFileSync(join(projectDir, 'cdktf.json'), 'utf8')) as CdktfJson;
}

/**
 * The validated configuration as `cdktf synth` would see it (cdktf.json context plus `env`),
 * for the in-process tools (policy report, cost, diagram). Throws a ConfigError on bad input.
 */
export function loadProjectConfiguration(
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Configuration {
  const context = readCdktfJson(projectDir).context ?? {};
  return loadConfiguration({ context: (key) => context[key], env });
}

/**
 * Runs the app exactly as `cdktf synth` does (the cdktf.json app command, with its context in
 * CDKTF_CONTEXT_JSON and the output directory in CDKTF_OUTDIR), without the CLI's start-up cost.
 */
export async function synthesizeApp(
  projectDir: string,
  outdir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const cdktfJson = readCdktfJson(projectDir);
  const [command, ...args] = cdktfJson.app.split(/\s+/);
  await run(command, args, {
    cwd: projectDir,
    env: {
      ...env,
      CDKTF_OUTDIR: outdir,
      CDKTF_CONTEXT_JSON: JSON.stringify(cdktfJson.context ?? {}),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
}
