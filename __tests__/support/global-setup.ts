import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  ProviderNotFoundError,
  boundProvider,
  projectCacheDir,
  resolveProviderMirror,
} from '../../src/tools/provider-mirror';
import { CLOSED_LOOPBACK_PROXY } from '../../src/tools/terraform-cli';

declare module 'vitest' {
  export interface ProvidedContext {
    providerMirror: string;
    initCache: string;
    /** Where the run's files share work (support/shared.ts). */
    sharedDir: string;
    /**
     * The cdktf.out of the default app, synthesized once for the run, and the file that says when
     * it is complete: `{}`, or `{ error }`.
     */
    defaultSynth: { dir: string; result: string };
  }
}

const root = resolve(__dirname, '..', '..');

/**
 * The default app (the context defaults, no ECG_* variables, no tfvars), synthesized once for the
 * whole run by a child process (support/default-app.ts) that runs while the test workers start:
 * `synthStack` and the offline plans of the full stacks read it (support/shared.ts), waiting for
 * its result file. A child that stops without one leaves its exit and error output there instead.
 */
function startDefaultSynth(outdir: string): { child: ChildProcess; result: string } {
  const result = `${outdir}.result.json`;
  const child = spawn(process.execPath, ['scripts/run-app.mjs', '__tests__/support/default-app.ts', outdir], {
    cwd: root,
    // A stray network call fails at once, locally, as in the test workers (support/setup.ts).
    env: { ...process.env, HTTPS_PROXY: CLOSED_LOOPBACK_PROXY, HTTP_PROXY: CLOSED_LOOPBACK_PROXY },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('exit', (code, signal) => {
    if (existsSync(result)) return;
    const error = `the default app's synth stopped (${signal ?? `exit ${code}`}) without a result: ${stderr.trim()}`;
    writeFileSync(result, JSON.stringify({ error }));
  });
  return { child, result };
}

/**
 * Every temporary file of the suite (cdktf's `cdktf.outdir.*` per Testing.app(), plan and
 * emulator directories) goes into one directory that is removed when the run ends. The
 * hashicorp/aws provider for the offline plans is found here, once: without one the run stops
 * before any test, its first line saying what to do.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  let mirror;
  try {
    mirror = await resolveProviderMirror({
      provider: boundProvider(root, '@cdktf/provider-aws'),
      alsoInstall: [boundProvider(root, '@cdktf/provider-random')],
      cacheDir: projectCacheDir(root),
      cwd: root,
      log: (line) => console.log(`offline plans: ${line}`),
    });
  } catch (error) {
    if (!(error instanceof ProviderNotFoundError)) throw error;
    // What to do, and where it looked: nothing else (no test can plan, none runs).
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  project.provide('providerMirror', mirror.path);
  project.provide('initCache', join(projectCacheDir(root), 'terraform-init'));

  const dir = mkdtempSync(join(tmpdir(), 'ecg-infra-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;

  const shared = join(dir, 'shared');
  mkdirSync(shared);
  project.provide('sharedDir', shared);
  const synth = startDefaultSynth(join(shared, 'default-app'));
  project.provide('defaultSynth', { dir: join(shared, 'default-app'), result: synth.result });
  return () => {
    // A run that never needed the default app may end before its synth: stop it, and write no
    // result into the folder about to be removed.
    synth.child.removeAllListeners('exit');
    if (synth.child.exitCode === null && synth.child.signalCode === null) synth.child.kill();
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
