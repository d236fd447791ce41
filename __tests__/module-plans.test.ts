import { Construct } from 'constructs';
import type { OfflinePlanResult } from '../src/tools/offline-plan';
import { planScope, scopePlan, type ScopedPlan } from './support/plan-scope';
import type { Json } from './support/synth';
import * as cloudfront from './variants/cloudfront';
import * as ec2Gpu from './variants/ec2-gpu';
import * as ecr from './variants/ecr';
import * as ecs from './variants/ecs';
import * as elasticache from './variants/elasticache';
import * as githubOidc from './variants/github-oidc';
import * as monitoring from './variants/monitoring';
import * as queueDepthPublisher from './variants/queue-depth-publisher';
import * as rds from './variants/rds';
import * as resilience from './variants/resilience';
import * as storage from './variants/storage';
import * as vpc from './variants/vpc';

interface Variant {
  build(scope: Construct): void;
  check(result: ScopedPlan): void;
}

/**
 * Each module's variant, by the id of the construct it is built under. cdktf prefixes the Terraform
 * names inside it with `<id>_`; no id followed by `_` may start another id.
 */
const VARIANTS: Record<string, Variant> = {
  vpc,
  rds,
  elasticache,
  storage,
  ecr,
  'ec2-gpu': ec2Gpu,
  ecs,
  cloudfront,
  monitoring,
  'github-oidc': githubOidc,
  'queue-depth-publisher': queueDepthPublisher,
  resilience,
};
const NAMES = Object.keys(VARIANTS);

/**
 * One offline plan (against the real hashicorp/aws 5.100.0 provider) of every module's variant side
 * by side in one stack; each module's checks then see only its own resources.
 */
describe('module variants against the real provider, in one plan', () => {
  let result: OfflinePlanResult;

  beforeAll(async () => {
    result = await planScope('modules', (stack) => {
      for (const [name, variant] of Object.entries(VARIANTS)) variant.build(new Construct(stack, name));
    });
  }, 300_000);

  it('only adds: nothing to change or destroy', () => {
    expect(result.add).toBeGreaterThan(0);
    expect([result.change, result.destroy]).toEqual([0, 0]);
  });

  it('has construct ids whose name prefixes do not overlap', () => {
    for (const a of NAMES) {
      for (const b of NAMES) if (a !== b) expect(`${b}_`.startsWith(`${a}_`)).toBe(false);
    }
  });

  it('plans every resource and variable inside exactly one module', () => {
    const owners = (name: string) => NAMES.filter((n) => name.startsWith(`${n}_`));
    const names = [
      ...(result.plan.resource_changes as Json[]).map((rc) => rc.name as string),
      ...Object.keys(result.plan.variables ?? {}),
      ...result.substitutedRandom.map((address) => address.split('.')[1]),
    ];
    expect(names.filter((name) => owners(name).length !== 1)).toEqual([]);
    const scoped = NAMES.map((name) => scopePlan(result, name));
    expect(scoped.reduce((sum, s) => sum + s.add, 0)).toBe(result.add);
    expect(scoped.reduce((sum, s) => sum + s.plan.resource_changes.length, 0)).toBe(
      result.plan.resource_changes.length,
    );
  });

  it.each(NAMES)('%s: plans as its module test expects', (name) => {
    VARIANTS[name].check(scopePlan(result, name));
  });
});
