import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { PROVIDER_MIRROR_ENV, offlinePlan, type OfflinePlanResult } from '../../src/tools/offline-plan';
import type { Json } from './synth';

/**
 * Offline `terraform plan` (which validates the configuration) of whatever `fn` adds to a fresh stack with the AWS
 * (ap-northeast-2, plus an aliased us-east-1) and random providers: checks a module's arguments
 * against the real hashicorp/aws 5.100.0 schema. Needs TF_PROVIDER_MIRROR (set by .ci/run).
 */
export async function planScope(name: string, fn: (scope: Construct) => void): Promise<OfflinePlanResult> {
  const mirror = process.env[PROVIDER_MIRROR_ENV];
  if (!mirror)
    throw new Error(`${PROVIDER_MIRROR_ENV} is not set: run through .ci/run or export it (see README)`);
  const app = Testing.app();
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
  new AwsProvider(stack, 'aws-us-east-1', { region: 'us-east-1', alias: 'us_east_1' });
  new RandomProvider(stack, 'random');
  fn(stack);
  const stackJson = JSON.parse(Testing.synth(stack)) as Json;
  // The plan validates the configuration itself; the stack-level plans run `validate` separately.
  return offlinePlan({ stack: name, stackJson, providerMirror: mirror, validate: false });
}
