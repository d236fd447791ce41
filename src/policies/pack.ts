import { TerraformStack, type IAspect, Aspects } from 'cdktf';
import type { IConstruct } from 'constructs';
import { evaluateStack, unsuppressedFindings, type EvaluateOptions } from './evaluate';
import type { Json, PolicyEnvironment } from './types';

export interface PolicyPackOptions extends EvaluateOptions {
  /** The environment the stack is evaluated as; `shared` for stacks serving every environment. */
  readonly environment: PolicyEnvironment;
}

/**
 * The policy pack as a cdktf Aspect. Rules need the whole stack (a bucket and the resources that
 * configure it), so the aspect registers one validation on each stack it visits; cdktf runs
 * validations after the aspects, during `app.synth()` and `Testing.synth(stack, true)`, and
 * fails synth listing every unsuppressed finding as `<rule id> <address>: <what is wrong>`.
 */
export class PolicyPack implements IAspect {
  private readonly registered = new WeakSet<TerraformStack>();

  constructor(public readonly options: PolicyPackOptions) {}

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.registered.has(node)) return;
    this.registered.add(node);
    node.node.addValidation({
      validate: () => {
        const json = node.toTerraform() as Json;
        handOver(node, json);
        return unsuppressedFindings(evaluateStack(json, this.options.environment, this.options));
      },
    });
  }
}

/**
 * cdktf's synthesizer turns a stack into JSON right after its validations, with nothing run in
 * between that could change it: the next `toTerraform()` returns the JSON the policy pack checked
 * instead of resolving every resource again (a third of a stack's synth). Only that one call: any
 * later call computes afresh, so a stack changed after a synth is never written stale.
 */
function handOver(stack: TerraformStack, json: Json): void {
  const own = Object.prototype.hasOwnProperty.call(stack, 'toTerraform');
  const previous = stack.toTerraform;
  stack.toTerraform = () => {
    if (own) stack.toTerraform = previous;
    else delete (stack as { toTerraform?: unknown }).toTerraform;
    return json;
  };
}

/** Attaches the policy pack to `stack`: synth fails on any unsuppressed finding. */
export function applyPolicyPack(stack: TerraformStack, options: PolicyPackOptions): PolicyPack {
  const pack = new PolicyPack(options);
  Aspects.of(stack).add(pack);
  return pack;
}
