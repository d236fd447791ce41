import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { App } from 'cdktf';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApp, loadConfiguration, type Configuration } from '../app';
import { ConfigError, type EnvironmentName } from '../config';
import { parseJsonText } from './cdktf-json';

const run = promisify(execFile);

interface CdktfJson {
  readonly app: string;
  readonly context?: Record<string, unknown>;
}

/**
 * The project's cdktf.json: the app command and the context defaults. A syntax error throws a
 * JsonSyntaxError whose message is one line: the file, line, column and what is wrong.
 */
export function readCdktfJson(projectDir: string): CdktfJson {
  return parseJsonText(readFileSync(join(projectDir, 'cdktf.json'), 'utf8'), 'cdktf.json').value as CdktfJson;
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

/**
 * `npm run synth`: the app command run as `cdktf synth` runs it, but with the terminal as its
 * output, so a report of bad input is printed once (the cdktf CLI logs the app's stderr as it
 * comes and prints all of it again when the app fails). Returns the app's exit code; a cdktf.json
 * that is not valid JSON is one line on stderr and 1.
 */
export function synthesizeProject(
  projectDir: string,
  outdir: string,
  env: NodeJS.ProcessEnv = process.env,
): number {
  let cdktfJson: CdktfJson;
  try {
    cdktfJson = readCdktfJson(projectDir);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const [command, ...args] = cdktfJson.app.split(/\s+/);
  const result = spawnSync(command, args, {
    cwd: projectDir,
    stdio: 'inherit',
    env: {
      ...env,
      CHECKPOINT_DISABLE: env.CHECKPOINT_DISABLE ?? '1',
      CDKTF_OUTDIR: outdir,
      CDKTF_CONTEXT_JSON: JSON.stringify(cdktfJson.context ?? {}),
    },
  });
  return result.status ?? 1;
}

/** One synthesized stack: its id, the environment it was built for, its Terraform JSON. */
export interface SynthesizedStack {
  readonly id: string;
  readonly environment: EnvironmentName | 'shared';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: Record<string, any>;
}

/**
 * Synthesizes every stack in-process (cdktf.json context plus `env`) into a temporary folder that
 * is removed again, for the report tools. `skipValidation` leaves the policy pack's findings to
 * the caller (the policy report shows them instead of failing). Throws a ConfigError on bad input.
 */
export function synthesizeInProcess(
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly skipValidation?: boolean } = {},
): SynthesizedStack[] {
  const configuration = loadProjectConfiguration(projectDir, env);
  const outdir = mkdtempSync(join(tmpdir(), 'ecg-synth-'));
  try {
    const app = new App({ outdir, skipValidation: options.skipValidation ?? false });
    const built = buildApp(app, configuration);
    app.synth();
    const read = (id: string) => JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
    return [
      {
        id: built.stateBackend.node.id,
        environment: 'shared' as const,
        json: read(built.stateBackend.node.id),
      },
      ...Object.values(built.platforms).map((p) => ({
        id: p.node.id,
        environment: p.config.name,
        json: read(p.node.id),
      })),
    ];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Runs a CLI's main and sets the exit code: a ConfigError prints its message (every problem)
 * and exits 1, like a failed synth; any other error prints its message and exits 1.
 */
export function runCli(main: () => number | Promise<number>): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
        process.exitCode = 1;
      },
    );
}
