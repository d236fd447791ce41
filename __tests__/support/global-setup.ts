import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  ProviderNotFoundError,
  boundProvider,
  projectCacheDir,
  resolveProviderMirror,
} from '../../src/tools/provider-mirror';

declare module 'vitest' {
  export interface ProvidedContext {
    providerMirror: string;
    initCache: string;
  }
}

const root = resolve(__dirname, '..', '..');

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
  return () => {
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
