import {
  isApplication,
  LISTENER_RULE_TYPES,
  listenerProtocol,
  listenersOf,
  LB_TYPES,
  loadBalancers,
} from '../lb';
import type { Rule, TfResource } from '../types';
import { blocks, isSet, referrers } from '../values';

function redirectsToHttps(action: { type?: unknown; redirect?: unknown }): boolean {
  return (
    action.type === 'redirect' &&
    blocks(action.redirect).some((r) => String(r.protocol).toUpperCase() === 'HTTPS')
  );
}

export const lbHttpsRedirect: Rule = {
  id: 'ECG-LB-04',
  anchor: 36,
  scannerIds: ['CKV_AWS_2', 'CKV2_AWS_20', 'AVD-AWS-0054'],
  environments: ['staging', 'production'],
  resourceTypes: LB_TYPES,
  description:
    'On an application load balancer with a certificate, every HTTP listener only redirects to HTTPS (nothing is forwarded over plain HTTP).',
  checks: {
    'http-not-redirected': "an HTTP listener's default action does not redirect to HTTPS",
    'http-forward-rule': 'a listener rule forwards plain HTTP traffic',
  },
  check(ctx) {
    return loadBalancers(ctx)
      .filter(isApplication)
      .flatMap((lb) => {
        const all = listenersOf(ctx, lb);
        const certified = all.some((l) => listenerProtocol(l) === 'HTTPS' || isSet(l.values.certificate_arn));
        if (!certified) return [];
        return all
          .filter((l) => listenerProtocol(l) === 'HTTP')
          .flatMap((listener: TfResource) => {
            const actions = blocks(listener.values.default_action);
            const findings =
              actions.length > 0 && actions.every(redirectsToHttps)
                ? []
                : [
                    ctx.finding(
                      listener,
                      'http-not-redirected',
                      `HTTP listener on port ${listener.values.port ?? '(unset)'} does not redirect to HTTPS although ${lb.address} has a certificate`,
                    ),
                  ];
            const forwarding = referrers(ctx, LISTENER_RULE_TYPES, 'listener_arn', listener).filter((rule) =>
              blocks(rule.values.action).some((a) => a.type === 'forward' || isSet(a.target_group_arn)),
            );
            return [
              ...findings,
              ...forwarding.map((rule) =>
                ctx.finding(
                  rule,
                  'http-forward-rule',
                  `forwards plain HTTP from ${listener.address} although ${lb.address} has a certificate`,
                ),
              ),
            ];
          });
      });
  },
};
