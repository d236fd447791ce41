import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs the app exactly as `cdktf synth` does (the cdktf.json app command, with its context in
 * CDKTF_CONTEXT_JSON and the output directory in CDKTF_OUTDIR), without the CLI's start-up cost.
 */
export async function synthesizeApp(
  projectDir: string,
  outdir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const cdktfJson = JSON.parse(readFileSync(join(projectDir, 'cdktf.json'), 'utf8')) as {
    app: string;
    context?: Record<string, unknown>;
  };
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
