import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readStackTfvars, readSynthesizedStack } from '../../src/tools/offline-plan';
import { synthesizeApp } from '../../src/tools/synth';
import { TFVARS_DIR_ENV } from '../../src/tools/tfvars';
import { testInitCache, testProviderMirror } from './provider';
import { keyOf, once, sharedOfflinePlan } from './shared';

const projectDir = resolve(__dirname, '..', '..');

/**
 * Runs the app command like `cdktf synth` with tfvars files in a folder of their own. Once per
 * run for the same files (support/shared.ts): the output folder is shared, so read it only.
 */
export async function synthWith(files: Record<string, string>): Promise<string> {
  return once('synths', keyOf(files), async () => {
    const root = mkdtempSync(join(tmpdir(), 'tfvars-'));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), content);
    }
    const outdir = join(root, 'cdktf.out');
    await synthesizeApp(projectDir, outdir, { ...process.env, [TFVARS_DIR_ENV]: root });
    return outdir;
  });
}

/**
 * Offline plan of one synthesized platform stack, with its copied tfvars or the files given; once
 * per run for the same inputs. Without a separate `terraform validate`: the plan validates the
 * configuration itself, and offline-plan.test.ts runs validate on the same stacks.
 */
export async function planStack(
  outdir: string,
  stack: 'staging' | 'production',
  tfvars?: Record<string, string>,
) {
  return sharedOfflinePlan({
    stack,
    stackJson: await readSynthesizedStack(outdir, stack),
    extraFiles: tfvars ?? (await readStackTfvars(outdir, stack)),
    providerMirror: testProviderMirror(),
    initCache: testInitCache(),
    validate: false,
  });
}
