/**
 * `npm run plan -- [stack ...]`: synthesize, then an offline `terraform init`, `validate` and
 * `plan -refresh=false` of each stack (all three by default). Providers come from the mirror
 * named by TF_PROVIDER_MIRROR when set, otherwise from the registry. terraform.tfvars and
 * tfvars/<stack>.tfvars of this folder apply, as they do for `cdktf deploy`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  PROVIDER_MIRROR_ENV,
  offlinePlan,
  readStackTfvars,
  readSynthesizedStack,
} from '../src/tools/offline-plan';
import { synthesizeApp } from '../src/tools/synth';

async function main(): Promise<void> {
  const stacks = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const selected = stacks.length > 0 ? stacks : ['state-backend', 'staging', 'production'];
  const projectDir = resolve(__dirname, '..');
  const outdir = await mkdtemp(join(tmpdir(), 'ecg-synth-'));
  try {
    await synthesizeApp(projectDir, outdir);
    const mirror = process.env[PROVIDER_MIRROR_ENV] || undefined;
    console.log(
      mirror
        ? `providers from mirror ${mirror}`
        : 'providers from the registry (set TF_PROVIDER_MIRROR to use a local mirror)',
    );
    for (const stack of selected) {
      const result = await offlinePlan({
        stack,
        stackJson: await readSynthesizedStack(outdir, stack),
        extraFiles: await readStackTfvars(outdir, stack),
        providerMirror: mirror,
        log: (line) => console.log(line),
      });
      const types = Object.entries(result.resourceTypes)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([t, n]) => `    ${t} x${n}`)
        .join('\n');
      console.log(`${types}\n  (${result.seconds.toFixed(1)} s)`);
    }
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
