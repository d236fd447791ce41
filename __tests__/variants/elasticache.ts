import type { Construct } from 'constructs';
import { productionConfig, resolveSettings, type EnvironmentConfig } from '../../src/config';
import { Peer } from '../../src/lib/security-group';
import { ElasticacheRedis, type ElasticacheRedisProps } from '../../src/modules/elasticache';
import type { ScopedPlan } from '../support/plan-scope';

export const settings = resolveSettings({ context: () => undefined, env: {} });

/** The mapping the platform stack does: CacheConfig as is, plus names and network. */
export function props(
  config: EnvironmentConfig,
  overrides: Partial<ElasticacheRedisProps> = {},
): ElasticacheRedisProps {
  return {
    ...config.cache,
    namePrefix: `${settings.project}-${config.name}`,
    vpcId: 'vpc-0123456789abcdef0',
    cacheSubnetGroupName: `${settings.project}-${config.name}-data`,
    slowLogRetentionDays: config.api.logRetentionDays,
    ...overrides,
  };
}

/** The production shape, opened to the API tasks. */
export function build(scope: Construct): void {
  const cache = new ElasticacheRedis(scope, 'cache', props(productionConfig(settings)));
  cache.allowFrom(Peer.securityGroup('sg-0123456789abcdef0', 'api'), 6379, 'Redis from the API tasks');
}

/** Plans against the real hashicorp/aws 5.100.0 provider in its production shape. */
export function check(result: ScopedPlan): void {
  // Where the provider mirror has no hashicorp/random, offlinePlan turns the AUTH token into a
  // literal for this plan only; it replaces random_* resources and nothing else. The combined plan
  // builds this variant under the construct `elasticache`: cdktf names the token
  // `elasticache_auth-token_<hash>` (it drops the path component `cache`, which ends `elasticache`).
  for (const address of result.substitutedRandom)
    expect(address).toMatch(/^random_password\.elasticache_auth-token_/);
  expect(result.resourceTypes).toEqual({
    aws_cloudwatch_log_group: 1,
    aws_elasticache_parameter_group: 1,
    aws_elasticache_replication_group: 1,
    aws_secretsmanager_secret: 2,
    aws_secretsmanager_secret_version: 2,
    aws_security_group: 1,
    aws_vpc_security_group_ingress_rule: 1,
  });
}
