/**
 * `npm run plan -- [stack ...] [--verbose] [--export <folder>]`: synthesize, then an offline
 * `terraform init` (kept between runs in node_modules/.cache) and `plan -refresh=false` of each
 * stack (all three by default); the plan validates the configuration itself. The provider comes
 * from the mirror src/tools/provider-mirror.ts finds. terraform.tfvars and tfvars/<stack>.tfvars
 * of this folder apply, as they do for `cdktf deploy`. A failed plan prints Terraform's errors
 * only; --verbose adds its full output (or, for a plan that passed, the plan itself).
 * `--export <folder>` writes the offline copy of one stack for plain Terraform (README) instead.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  TerraformCommandError,
  offlinePlanSummary,
  readStackTfvars,
  readSynthesizedStack,
  writeOfflineCopy,
} from '../src/tools/offline-plan';
import { exportDirProblem, parsePlanArgs } from '../src/tools/plan-cli';
import {
  ProviderNotFoundError,
  boundProvider,
  projectCacheDir,
  resolveProviderMirror,
} from '../src/tools/provider-mirror';
import { synthesizeProject } from '../src/tools/synth';
import { withUserTfvarsNames } from '../src/tools/tfvars';

const projectDir = resolve(__dirname, '..');

async function main(): Promise<number> {
  const args = parsePlanArgs(process.argv.slice(2));
  if ('error' in args) {
    console.error(args.error);
    return 1;
  }
  const exportProblem =
    args.exportDir === undefined ? undefined : exportDirProblem(args.exportDir, projectDir);
  if (exportProblem) {
    console.error(exportProblem);
    return 1;
  }
  const mirror = await resolveProviderMirror({
    provider: boundProvider(projectDir, '@cdktf/provider-aws'),
    alsoInstall: [boundProvider(projectDir, '@cdktf/provider-random')],
    cacheDir: projectCacheDir(projectDir),
    cwd: projectDir,
    log: (line) => console.log(line),
  });
  console.log(`providers: ${mirror.description}`);
  const exportDir = args.exportDir === undefined ? undefined : resolve(args.exportDir);

  const outdir = await mkdtemp(join(tmpdir(), 'ecg-synth-'));
  // Removed however the tool ends.
  const cleanUp = () => rmSync(outdir, { recursive: true, force: true });
  process.once('exit', cleanUp);
  try {
    console.log(`synthesizing ${args.stacks.join(', ')} ...`);
    // The app command, as `cdktf synth` runs it: a report of bad input reaches the terminal once.
    if (synthesizeProject(projectDir, outdir) !== 0) return 1;

    if (exportDir) {
      const [stack] = args.stacks;
      const dir = exportDir;
      await writeOfflineCopy(dir, {
        stack,
        stackJson: await readSynthesizedStack(outdir, stack),
        extraFiles: await readStackTfvars(outdir, stack),
        providerMirror: mirror.path,
        log: (line) => console.log(line),
      });
      console.log(`${stack}: offline copy in ${dir}: ${(await readdir(dir)).sort().join(', ')}`);
      return 0;
    }

    let failed = 0;
    for (const stack of args.stacks) {
      try {
        const result = await offlinePlanSummary({
          stack,
          stackJson: await readSynthesizedStack(outdir, stack),
          extraFiles: await readStackTfvars(outdir, stack),
          providerMirror: mirror.path,
          initCache: join(projectCacheDir(projectDir), 'terraform-init'),
          humanPlan: args.verbose,
          log: (line) => console.log(line),
        });
        for (const warning of result.warnings) console.warn(warning);
        const types = Object.entries(result.resourceTypes)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([t, n]) => `    ${t} x${n}`)
          .join('\n');
        console.log(`${types}\n  (${result.seconds.toFixed(1)} s)`);
        if (result.humanPlan) console.log(result.humanPlan);
      } catch (error) {
        if (!(error instanceof TerraformCommandError)) throw error;
        failed++;
        console.error(`${stack}: ${withUserTfvarsNames(error.message, stack)}`);
        if (args.verbose)
          console.error(`\nTerraform's full output:\n${withUserTfvarsNames(error.output, stack)}`);
        else console.error(`(Terraform's full output: npm run plan -- ${stack} --verbose)`);
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await rm(outdir, { recursive: true, force: true });
    process.off('exit', cleanUp);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ProviderNotFoundError || error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
