import { TerraformStack } from 'cdktf';

/**
 * A stack that never references another stack's resources. Each stack of this app keeps its own
 * state; what one needs from another travels as a setting or a variable (docs/design.md, Stacks
 * and backends).
 *
 * cdktf's `prepareStack` resolves every element once in "preparing" mode before synthesis, and the
 * only thing that pass looks for is cross-stack references (the one reader of
 * `context.preparing` is cdktf's `Reference.resolve`, which adds an output and a remote-state data
 * source for them). With none possible, the pass is about a third of a stack's synth time; it is
 * left out, and what else `prepareStack` does (a local backend for a stack without one) stays.
 * A cross-stack reference written by mistake would name an address its stack does not declare,
 * which `terraform plan` refuses; __tests__/standalone-stack.test.ts holds cdktf's own
 * `prepareStack` to the same JSON.
 */
export class StandaloneStack extends TerraformStack {
  public override prepareStack(): void {
    this.ensureBackendExists();
  }
}
