import type { Rule } from '../types';
import { isSet, num } from '../values';

const DEFAULT_PORTS: Record<string, number> = {
  postgres: 5432,
  mysql: 3306,
  mariadb: 3306,
  oracle: 1521,
  sqlserver: 1433,
};

function defaultPort(engine: unknown): number | undefined {
  const key = Object.keys(DEFAULT_PORTS).find((e) => String(engine ?? '').startsWith(e));
  return key === undefined ? undefined : DEFAULT_PORTS[key];
}

export const rdsDefaultPort: Rule = {
  id: 'ECG-RDS-12',
  anchor: 'exception',
  scannerIds: ['AwsSolutions-RDS11'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_db_instance'],
  description: "No DB instance listens on its engine's default port.",
  checks: { 'default-port': "the instance uses the engine's default port" },
  check(ctx) {
    return ctx.resources('aws_db_instance').flatMap((db) => {
      const standard = defaultPort(db.values.engine);
      if (standard === undefined) return [];
      const port = isSet(db.values.port) ? num(db.values.port) : standard;
      return port === standard
        ? [ctx.finding(db, 'default-port', `listens on the default ${db.values.engine} port ${standard}`)]
        : [];
    });
  },
};
