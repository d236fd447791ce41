import type { Construct } from 'constructs';
import { productionConfig, resolveSettings, type EnvironmentConfig } from '../../src/config';
import { Peer } from '../../src/lib/security-group';
import { RdsPostgres, type RdsPostgresProps } from '../../src/modules/rds';
import type { ScopedPlan } from '../support/plan-scope';

export const settings = resolveSettings({ context: () => undefined, env: {} });

/** The mapping the platform stack does: DatabaseConfig as is, plus names and network. */
export function props(
  config: EnvironmentConfig,
  overrides: Partial<RdsPostgresProps> = {},
): RdsPostgresProps {
  return {
    ...config.database,
    namePrefix: `${settings.project}-${config.name}`,
    vpcId: 'vpc-0123456789abcdef0',
    dbSubnetGroupName: `${settings.project}-${config.name}-data`,
    logRetentionDays: config.api.logRetentionDays,
    ...overrides,
  };
}

/** Production database, opened to the API tasks (no read replica: RDS refuses one with a managed password). */
export function build(scope: Construct): void {
  const db = new RdsPostgres(scope, 'rds', props(productionConfig(settings)));
  db.allowFrom(Peer.securityGroup('sg-0123456789abcdef0', 'api'), 5432, 'PostgreSQL from the API tasks');
}

/** Plans against the real hashicorp/aws 5.100.0 provider: the instance, monitoring role, log groups. */
export function check(result: ScopedPlan): void {
  expect(result.resourceTypes).toEqual({
    aws_cloudwatch_log_group: 2,
    aws_db_instance: 1,
    aws_db_parameter_group: 1,
    aws_iam_role: 1,
    aws_iam_role_policy_attachment: 1,
    aws_secretsmanager_secret_rotation: 1,
    aws_security_group: 1,
    aws_vpc_security_group_ingress_rule: 1,
  });
  expect(result.add).toBe(9);
}
