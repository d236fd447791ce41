import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { summarizePlan, type OfflinePlanResult } from '../../src/tools/offline-plan';
import { testInitCache, testProviderMirror } from './provider';
import { sharedOfflinePlan } from './shared';
import type { Json } from './synth';

/**
 * Offline `terraform plan` (which validates the configuration), once per run for the same
 * configuration (support/shared.ts), of whatever `fn` adds to a fresh stack with the AWS
 * (ap-northeast-2, plus an aliased us-east-1) and random providers: checks a module's arguments
 * against the real hashicorp/aws 5.100.0 schema, from the mirror the global setup found.
 */
export async function planScope(name: string, fn: (scope: Construct) => void): Promise<OfflinePlanResult> {
  const app = Testing.app();
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
  new AwsProvider(stack, 'aws-us-east-1', { region: 'us-east-1', alias: 'us_east_1' });
  new RandomProvider(stack, 'random');
  fn(stack);
  const stackJson = JSON.parse(Testing.synth(stack)) as Json;
  return sharedOfflinePlan({
    stack: name,
    stackJson,
    providerMirror: testProviderMirror(),
    initCache: testInitCache(),
  });
}

/** What one module's checks see of a shared plan: an {@link OfflinePlanResult} restricted to its resources. */
export type ScopedPlan = Omit<OfflinePlanResult, 'seconds'>;

/**
 * The part of `result` that belongs to the construct `name` directly under the planned stack:
 * cdktf prefixes the Terraform names of everything inside it with `<name>_`, so resource changes,
 * planned resources, variables and outputs are kept by that prefix and the counts are recomputed.
 */
export function scopePlan(result: OfflinePlanResult, name: string): ScopedPlan {
  const prefix = `${name}_`;
  const ours = (resourceName: unknown) => typeof resourceName === 'string' && resourceName.startsWith(prefix);
  const byKey = (record: Json | undefined) =>
    record && Object.fromEntries(Object.entries(record).filter(([key]) => ours(key)));
  const plan = result.plan;
  const rootModule = plan.planned_values?.root_module;
  const scoped: Json = {
    ...plan,
    variables: byKey(plan.variables),
    resource_changes: ((plan.resource_changes ?? []) as Json[]).filter((rc) => ours(rc.name)),
    output_changes: byKey(plan.output_changes),
    planned_values: {
      ...plan.planned_values,
      outputs: byKey(plan.planned_values?.outputs),
      root_module: rootModule && {
        ...rootModule,
        resources: ((rootModule.resources ?? []) as Json[]).filter((r) => ours(r.name)),
      },
    },
  };
  const counts = summarizePlan(scoped);
  const stack = `${result.stack}/${name}`;
  return {
    stack,
    ...counts,
    plan: scoped,
    init: result.init,
    droppedAccountIds: result.droppedAccountIds,
    warnings: result.warnings,
    substitutedRandom: result.substitutedRandom.filter((address) => ours(address.split('.')[1])),
    summary: `${stack}: ${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy`,
  };
}
