import type { TerraformStack } from 'cdktf';

/** Oldest Terraform CLI the synthesized JSON is written for (docs/design.md, Versions). */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.6.0';

/** What every stack of this app shares, whatever it holds. */
export function applyStackBaseline(stack: TerraformStack): void {
  stack.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
}
