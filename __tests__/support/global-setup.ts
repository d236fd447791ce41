import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import type { TestProject } from 'vitest/node';
import { buildApp, loadConfiguration } from '../../src/app';
import {
  ProviderNotFoundError,
  boundProvider,
  projectCacheDir,
  resolveProviderMirror,
} from '../../src/tools/provider-mirror';
import { testTokenTraces } from './token-traces';

declare module 'vitest' {
  export interface ProvidedContext {
    providerMirror: string;
    initCache: string;
    /** Where the run's files share work (support/shared.ts). */
    sharedDir: string;
    /** The cdktf.out of the default app, synthesized once for the run, or why it failed. */
    defaultSynth: { dir: string } | { error: string };
  }
}

const root = resolve(__dirname, '..', '..');

/**
 * The default app (the context defaults, no ECG_* variables, no tfvars), synthesized once for the
 * whole run: `synthStack` and the offline plans of the full stacks read it (support/shared.ts).
 * Validations are left to the tests (the policy pack's own tests report a finding by name); a
 * failure is handed to the tests that need the synth instead of stopping the run.
 */
function synthesizeDefaultApp(outdir: string): { dir: string } | { error: string } {
  testTokenTraces();
  try {
    const app = new App({ outdir, skipValidation: true });
    buildApp(app, loadConfiguration({ context: () => undefined, env: {} }));
    app.synth();
    return { dir: outdir };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
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
  project.provide('defaultSynth', synthesizeDefaultApp(join(shared, 'default-app')));
  return () => {
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
