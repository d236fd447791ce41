import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Environment variable naming the folder that holds `terraform.tfvars` and `tfvars/`. */
export const TFVARS_DIR_ENV = 'ECG_TFVARS_DIR';

/**
 * Copies the user's deploy-time values into each synthesized platform stack, where Terraform
 * loads them by itself, so `cdktf deploy`/`diff` and plain `terraform plan` in
 * `cdktf.out/stacks/<stack>` see the same values without flags:
 * - `<dir>/terraform.tfvars` -> `stacks/<stack>/terraform.tfvars` (every platform stack);
 * - `<dir>/tfvars/<stack>.tfvars` -> `stacks/<stack>/<stack>.auto.tfvars` (that stack; loaded
 *   after terraform.tfvars, so its values win).
 * Returns the files written.
 */
export function copyTfvars(sourceDir: string, outdir: string, stacks: readonly string[]): string[] {
  const written: string[] = [];
  const shared = join(sourceDir, 'terraform.tfvars');
  for (const stack of stacks) {
    const target = join(outdir, 'stacks', stack);
    if (!existsSync(target)) continue;
    if (existsSync(shared)) {
      copyFileSync(shared, join(target, 'terraform.tfvars'));
      written.push(join(target, 'terraform.tfvars'));
    }
    const own = join(sourceDir, 'tfvars', `${stack}.tfvars`);
    if (existsSync(own)) {
      copyFileSync(own, join(target, `${stack}.auto.tfvars`));
      written.push(join(target, `${stack}.auto.tfvars`));
    }
  }
  return written;
}
