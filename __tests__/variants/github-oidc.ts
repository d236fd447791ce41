import type { Construct } from 'constructs';
import { productionConfig, resolveSettings, stagingConfig, type EnvironmentConfig } from '../../src/config';
import { GithubOidc, type GithubOidcProps } from '../../src/modules/github-oidc';
import type { ScopedPlan } from '../support/plan-scope';

export const settings = resolveSettings({ context: () => undefined, env: {} });
export const environments: Record<string, EnvironmentConfig> = {
  staging: stagingConfig(settings),
  production: productionConfig(settings),
};

export const REPO = 'ecg-team/ecg-video-pipeline';
export const ACCOUNT = '123456789012';

/**
 * What the platform stack would pass: the environment's names, its ECR repositories, and the
 * state of its own folder; staging deploys from `main`, production through the `production`
 * GitHub environment. ARNs are literals here so their validation runs too.
 */
export function propsFor(cfg: EnvironmentConfig): GithubOidcProps {
  const namePrefix = `${settings.project}-${cfg.name}`;
  return {
    namePrefix,
    repository: REPO,
    ...(cfg.name === 'production' ? { environment: 'production' } : {}),
    ecrRepositoryArns: cfg.ecr.repositories.map(
      (r) => `arn:aws:ecr:${settings.region}:${ACCOUNT}:repository/${namePrefix}-${r}`,
    ),
    ecsServiceArn: `arn:aws:ecs:${settings.region}:${ACCOUNT}:service/${namePrefix}-cluster/${namePrefix}-api`,
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${namePrefix}-api-task`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${namePrefix}-api-execution`,
    frontendBucketArn: `arn:aws:s3:::${namePrefix}-frontend-0a1b2c3d`,
    distributionArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2ABCDEF123456`,
    accountId: ACCOUNT,
    region: settings.region,
    stateBucket: settings.stateBucket,
    stateKeyPrefix: `${settings.project}/${cfg.name}/`,
    lockTable: settings.lockTable,
  };
}

/** The production roles. */
export function build(scope: Construct): void {
  new GithubOidc(scope, 'oidc', propsFor(environments.production));
}

/** Plans against the real AWS provider: provider, two roles, two inline policies, one attachment. */
export function check(result: ScopedPlan): void {
  expect([result.add, result.change, result.destroy]).toEqual([6, 0, 0]);
  expect(result.resourceTypes).toEqual({
    aws_iam_openid_connect_provider: 1,
    aws_iam_role: 2,
    aws_iam_role_policy: 2,
    aws_iam_role_policy_attachment: 1,
  });
}
