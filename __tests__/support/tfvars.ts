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
 * Runs the app command like `cdktf synth` with tfvars files in a folder of their own (and `env`
 * added to the environment). Once per run for the same inputs (support/shared.ts): the output
 * folder is shared, so read it only.
 */
export async function synthWith(
  files: Record<string, string>,
  env: Record<string, string> = {},
): Promise<string> {
  return once('synths', keyOf(files, env), async () => {
    const root = mkdtempSync(join(tmpdir(), 'tfvars-'));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), content);
    }
    const outdir = join(root, 'cdktf.out');
    await synthesizeApp(projectDir, outdir, { ...process.env, ...env, [TFVARS_DIR_ENV]: root });
    return outdir;
  });
}

/**
 * Offline plan of one synthesized platform stack, with its copied tfvars or the files given; once
 * per run for the same inputs. The plan validates the configuration first (offline-plan.test.ts).
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
  });
}

/**
 * The app as a team runs it once its images exist: deploy-time values in terraform.tfvars and in
 * tfvars/<stack>.tfvars, and a custom domain. tfvars.test.ts (staging), image-tags.test.ts
 * (production) and domain-plan.test.ts (both) assert on their own parts of the same two plans, so
 * each stack of this app is synthesized and planned once per run.
 */
export const CONFIGURED_APP = {
  files: {
    'terraform.tfvars': 'alarm_email = "ops@example.com"\napi_image_tag = "v1.0.0"\n',
    'tfvars/staging.tfvars': 'api_image_tag = "v1.2.3"\nssh_allowed_cidrs = ["203.0.113.0/24"]\n',
    'tfvars/production.tfvars': 'render_worker_image_tag = "4f2c1ab"\n',
  },
  env: { ECG_DOMAIN_NAME: 'example.com', ECG_HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ' },
} as const;

/** The cdktf.out of {@link CONFIGURED_APP}. */
export function configuredApp(): Promise<string> {
  return synthWith({ ...CONFIGURED_APP.files }, { ...CONFIGURED_APP.env });
}

/** The offline plan of one stack of {@link CONFIGURED_APP}, with its copied tfvars. */
export async function configuredPlan(stack: 'staging' | 'production') {
  return planStack(await configuredApp(), stack);
}
