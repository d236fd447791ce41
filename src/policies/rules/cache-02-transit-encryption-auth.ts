import type { Rule } from '../types';
import { isSet, isTrue, show } from '../values';

export const cacheTransitEncryptionAuth: Rule = {
  id: 'ECG-CACHE-02',
  anchor: 21,
  scannerIds: ['CKV_AWS_30', 'CKV_AWS_31', 'AVD-AWS-0051', 'AwsSolutions-AEC6'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_elasticache_replication_group'],
  description:
    'Every ElastiCache replication group encrypts in transit and requires AUTH (an auth_token from a generated secret, or RBAC user groups).',
  checks: {
    'no-transit-encryption': 'transit_encryption_enabled is not true',
    'no-auth': 'neither auth_token nor user_group_ids is set',
    'literal-auth-token': 'auth_token is a literal in the configuration',
  },
  check(ctx) {
    return ctx.resources('aws_elasticache_replication_group').flatMap((g) => {
      const findings = [];
      if (!isTrue(g.values.transit_encryption_enabled)) {
        findings.push(
          ctx.finding(
            g,
            'no-transit-encryption',
            `transit_encryption_enabled is ${show(g.values.transit_encryption_enabled)} (must be true)`,
          ),
        );
      }
      const token = g.values.auth_token;
      if (!isSet(token) && !isSet(g.values.user_group_ids)) {
        findings.push(
          ctx.finding(g, 'no-auth', 'sets neither auth_token nor user_group_ids (AUTH required)'),
        );
      } else if (isSet(token) && !String(token).includes('${')) {
        findings.push(
          ctx.finding(g, 'literal-auth-token', 'auth_token is a literal (generate it with random_password)'),
        );
      }
      return findings;
    });
  },
};
