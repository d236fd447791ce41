import type { Construct } from 'constructs';
import { productionConfig, resolveSettings, stagingConfig, type EnvironmentConfig } from '../../src/config';
import { EcrRepositories, type EcrRepositoriesProps } from '../../src/modules/ecr';
import type { ScopedPlan } from '../support/plan-scope';

export const settings = resolveSettings({ context: () => undefined, env: {} });
export const environments: Record<string, EnvironmentConfig> = {
  staging: stagingConfig(settings),
  production: productionConfig(settings),
};

/** What platform-stack.ts passes: the environment's ecr config under `<project>-<env>`. */
export function propsFor(cfg: EnvironmentConfig): EcrRepositoriesProps {
  return { namePrefix: `${settings.project}-${cfg.name}`, ...cfg.ecr };
}

/** The production repositories. */
export function build(scope: Construct): void {
  new EcrRepositories(scope, 'ecr', propsFor(environments.production));
}

/** Plans against the real AWS provider: 3 repositories, 3 lifecycle policies, nothing to change. */
export function check(result: ScopedPlan): void {
  expect([result.add, result.change, result.destroy]).toEqual([6, 0, 0]);
  expect(result.resourceTypes).toEqual({ aws_ecr_repository: 3, aws_ecr_lifecycle_policy: 3 });
}
