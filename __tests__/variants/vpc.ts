import type { Construct } from 'constructs';
import { productionConfig, resolveSettings, stagingConfig, type EnvironmentConfig } from '../../src/config';
import { Vpc, type VpcProps } from '../../src/modules/vpc';
import type { ScopedPlan } from '../support/plan-scope';

export const settings = resolveSettings({ context: () => undefined, env: {} });
export const PRESETS = { staging: stagingConfig(settings), production: productionConfig(settings) };

/** The mapping the platform stack does: config fields onto props of the same name. */
export function propsOf(cfg: EnvironmentConfig): VpcProps {
  return { namePrefix: `${settings.project}-${cfg.name}`, region: settings.region, ...cfg.network };
}

/** The production network with interface endpoints, as planned against the real provider. */
export function build(scope: Construct): void {
  new Vpc(scope, 'network', { ...propsOf(PRESETS.production), interfaceEndpoints: true });
}

/** Plans cleanly with hashicorp/aws 5.100.0: only additions, every resource type expected. */
export function check(result: ScopedPlan): void {
  expect(result.resourceTypes).toEqual({
    aws_cloudwatch_log_group: 1,
    aws_db_subnet_group: 1,
    aws_default_security_group: 1,
    aws_eip: 2,
    aws_elasticache_subnet_group: 1,
    aws_flow_log: 1,
    aws_iam_role: 1,
    aws_iam_role_policy: 1,
    aws_internet_gateway: 1,
    aws_nat_gateway: 2,
    aws_route: 6,
    aws_route_table: 8,
    aws_route_table_association: 8,
    aws_security_group: 1,
    aws_subnet: 8,
    aws_vpc: 1,
    aws_vpc_endpoint: 10,
    aws_vpc_security_group_ingress_rule: 4,
  });
  expect(result.add).toBe(58);
}
