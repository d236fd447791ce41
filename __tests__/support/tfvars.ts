import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { offlinePlan, readStackTfvars, readSynthesizedStack } from '../../src/tools/offline-plan';
import { synthesizeApp } from '../../src/tools/synth';
import { TFVARS_DIR_ENV } from '../../src/tools/tfvars';
import { testInitCache, testProviderMirror } from './provider';

const projectDir = resolve(__dirname, '..', '..');

/** Runs the app command like `cdktf synth` with tfvars files in a folder of their own. */
export async function synthWith(files: Record<string, string>): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'tfvars-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  const outdir = join(root, 'cdktf.out');
  await synthesizeApp(projectDir, outdir, { ...process.env, [TFVARS_DIR_ENV]: root });
  return outdir;
}

/** Offline plan of one synthesized platform stack, with its copied tfvars or the files given. */
export async function planStack(
  outdir: string,
  stack: 'staging' | 'production',
  tfvars?: Record<string, string>,
) {
  return offlinePlan({
    stack,
    stackJson: await readSynthesizedStack(outdir, stack),
    extraFiles: tfvars ?? (await readStackTfvars(outdir, stack)),
    providerMirror: testProviderMirror(),
    initCache: testInitCache(),
  });
}
