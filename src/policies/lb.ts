import type { RuleContext, TfResource } from './types';
import { isTrue, referrers } from './values';

/** `aws_alb*` are the provider's aliases of the `aws_lb*` types. */
export const LB_TYPES = ['aws_lb', 'aws_alb'];
export const LISTENER_TYPES = ['aws_lb_listener', 'aws_alb_listener'];
export const LISTENER_RULE_TYPES = ['aws_lb_listener_rule', 'aws_alb_listener_rule'];

export function loadBalancers(ctx: RuleContext): TfResource[] {
  return LB_TYPES.flatMap((t) => ctx.resources(t));
}

export function listeners(ctx: RuleContext): TfResource[] {
  return LISTENER_TYPES.flatMap((t) => ctx.resources(t));
}

export function isApplication(lb: TfResource): boolean {
  return (lb.values.load_balancer_type ?? 'application') === 'application';
}

export function isInternetFacing(lb: TfResource): boolean {
  return !isTrue(lb.values.internal);
}

export function listenersOf(ctx: RuleContext, lb: TfResource): TfResource[] {
  return referrers(ctx, LISTENER_TYPES, 'load_balancer_arn', lb);
}

/** A listener's protocol, with the provider's default for application load balancers. */
export function listenerProtocol(listener: TfResource): string {
  return String(listener.values.protocol ?? 'HTTP').toUpperCase();
}
