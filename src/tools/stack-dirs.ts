import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What Terraform itself keeps in a stack folder of cdktf.out between runs, which a synth must
 * leave alone: the working directory (`.terraform/`, workspaces in `terraform.tfstate.d/`), the
 * provider lock file, local state files and their backups (the state-backend stack's state is
 * local), and the lock of a local state.
 */
export function isTerraformOwn(name: string, isDirectory: boolean): boolean {
  if (isDirectory) return name === '.terraform' || name === 'terraform.tfstate.d';
  return (
    name === '.terraform.lock.hcl' ||
    name === '.terraform.tfstate.lock.info' ||
    /\.tfstate(\.backup)?$/.test(name)
  );
}

/**
 * Terraform's override files (`override.tf`, `*_override.tf`, and their `.tf.json` forms): Terraform
 * merges them over the configuration, so one left in a stack folder (the offline copy's
 * `offline_override.tf.json` with its local backend) changes what `cdktf deploy` does.
 */
export function isOverrideFile(name: string): boolean {
  return /(^|_)override\.tf(\.json)?$/.test(name);
}

/** The override files in a stack folder, sorted (empty when the folder does not exist). */
export function overrideFiles(stackDir: string): string[] {
  if (!existsSync(stackDir)) return [];
  return readdirSync(stackDir)
    .filter((name) => isOverrideFile(name))
    .sort();
}

/**
 * Removes from each stack folder of `outdir` every entry this synth did not write (`written`
 * holds the synthesized tree in the same layout) and Terraform does not keep: an override file,
 * an offline copy's CLI config, a tfvars copy whose source file is gone. Returns the removed
 * paths, relative to `outdir`.
 */
export function removeUnwritten(written: string, outdir: string): string[] {
  const removed: string[] = [];
  const stacks = join(written, 'stacks');
  if (!existsSync(stacks)) return removed;
  for (const stack of readdirSync(stacks)) {
    const target = join(outdir, 'stacks', stack);
    if (!existsSync(target)) continue;
    const fresh = new Set(readdirSync(join(stacks, stack)));
    for (const name of readdirSync(target)) {
      if (fresh.has(name)) continue;
      if (isTerraformOwn(name, statSync(join(target, name)).isDirectory())) continue;
      rmSync(join(target, name), { recursive: true, force: true });
      removed.push(join('stacks', stack, name));
    }
  }
  return removed;
}
