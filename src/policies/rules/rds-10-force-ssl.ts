import { isPostgres, parameterGroupOf, parameterValue } from '../rds';
import type { Rule } from '../types';
import { show } from '../values';

export const rdsForceSsl: Rule = {
  id: 'ECG-RDS-10',
  anchor: 18,
  scannerIds: ['CKV2_AWS_69'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_db_instance', 'aws_db_parameter_group'],
  description: 'Every PostgreSQL instance uses a parameter group of the stack that sets rds.force_ssl = 1.',
  checks: {
    'default-parameter-group': "a PostgreSQL instance does not use one of the stack's parameter groups",
    'force-ssl-off': 'a PostgreSQL parameter group does not set rds.force_ssl = 1',
  },
  check(ctx) {
    const instances = ctx
      .resources('aws_db_instance')
      .filter(isPostgres)
      .filter((db) => parameterGroupOf(ctx, db) === undefined)
      .map((db) =>
        ctx.finding(
          db,
          'default-parameter-group',
          `parameter_group_name ${show(db.values.parameter_group_name)} is not a parameter group of this stack (PostgreSQL 15's default allows non-TLS connections)`,
        ),
      );
    const groups = ctx
      .resources('aws_db_parameter_group')
      .filter((g) => String(g.values.family ?? '').startsWith('postgres'))
      .filter((g) => parameterValue(g, 'rds.force_ssl') !== '1')
      .map((g) =>
        ctx.finding(
          g,
          'force-ssl-off',
          `rds.force_ssl is ${show(parameterValue(g, 'rds.force_ssl'))} (must be "1")`,
        ),
      );
    return [...instances, ...groups];
  },
};
