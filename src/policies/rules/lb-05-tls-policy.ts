import { listenerProtocol, LISTENER_TYPES, listeners } from '../lb';
import type { Rule } from '../types';
import { show } from '../values';

/** ELBSecurityPolicy-TLS13-1-2-2021-06 and the policies at least as strict. */
export const STRICT_SSL_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
];

export const lbTlsPolicy: Rule = {
  id: 'ECG-LB-05',
  configField: 'alb.sslPolicy',
  anchor: 37,
  scannerIds: ['CKV_AWS_103', 'AVD-AWS-0047'],
  environments: ['staging', 'production'],
  resourceTypes: LISTENER_TYPES,
  description:
    'Every HTTPS/TLS listener uses ELBSecurityPolicy-TLS13-1-2-2021-06 (or a stricter TLS 1.2+ policy).',
  checks: { 'weak-ssl-policy': 'the listener does not use a TLS 1.2+ security policy' },
  check(ctx) {
    return listeners(ctx)
      .filter((l) => ['HTTPS', 'TLS'].includes(listenerProtocol(l)))
      .filter((l) => !STRICT_SSL_POLICIES.includes(l.values.ssl_policy))
      .map((l) =>
        ctx.finding(
          l,
          'weak-ssl-policy',
          `ssl_policy is ${show(l.values.ssl_policy)} (must be ELBSecurityPolicy-TLS13-1-2-2021-06 or stricter)`,
        ),
      );
  },
};
