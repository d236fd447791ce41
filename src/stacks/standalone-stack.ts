import {
  DefaultTokenResolver,
  StringConcat,
  TerraformElement,
  TerraformOutput,
  TerraformStack,
  Tokenization,
} from 'cdktf';
import { resolve } from 'cdktf/lib/tokens/private/resolve';
import { deepMerge } from 'cdktf/lib/util';
import type { IConstruct } from 'constructs';
import { resolveData } from './resolve-data';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

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

  /**
   * cdktf 0.21's `toTerraform`, less one pass: cdktf resolves every element, merges them, then
   * resolves the whole merged document again, about a fifth of a stack's synth time. Only the
   * stack's own overrides (`addOverride`) can still hold a token after the merge, so only the
   * top-level blocks they touch are resolved again. __tests__/standalone-stack.test.ts holds this
   * to cdktf's own `toTerraform`, byte for byte, with and without overrides that hold tokens.
   */
  public override toTerraform(): Record<string, unknown> {
    const overrides = this['rawOverrides'] as Record<string, unknown>;
    const metadata: Record<string, unknown> = {
      version: this['cdktfVersion'] as string,
      stackName: this.node.id,
      backend: 'local',
      cloud: undefined,
      ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
    };
    const elements = stackElements(this);
    for (const element of elements) deepMerge(metadata, this.resolveElement(element.toMetadata()));
    const outputs = {};
    for (const element of elements) {
      if (!TerraformOutput.isTerraformOutput(element)) continue;
      const path = element.node.path.split('/');
      deepMerge(
        outputs,
        path.reduceRight<Record<string, unknown>>(
          (inner, part) => ({ [part]: Object.keys(inner).length === 0 ? element.friendlyUniqueId : inner }),
          {},
        ),
      );
    }
    const tf: Record<string, unknown> = { '//': this.resolve({ metadata, outputs }) };
    for (const element of elements) deepMerge(tf, this.resolveElement(element.toTerraform()));
    deepMerge(tf, overrides);
    for (const block of Object.keys(overrides)) {
      const resolved = this.resolve(tf[block]);
      if (resolved === undefined) delete tf[block];
      else tf[block] = resolved;
    }
    return tf;
  }

  /** What `resolve` gives, with the token-free part of the element copied directly (resolve-data.ts). */
  private resolveElement<T>(value: T): T {
    return resolveData(value, (part, prefix) =>
      resolve(part, { scope: this, preparing: false, resolver: RESOLVER, prefix: [...prefix] }),
    ) as T;
  }

  private resolve<T>(value: T): T {
    return Tokenization.resolve(value, { scope: this, preparing: false, resolver: RESOLVER }) as T;
  }
}

/** The stack's elements in construct order, not entering nested stacks (cdktf's own walk). */
function stackElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) stackElements(child, into);
  }
  return into;
}
