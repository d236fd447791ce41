import { createHash } from 'node:crypto';
import { XraySamplingRule } from '@cdktf/provider-aws/lib/xray-sampling-rule';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { NAME_PREFIX_PATTERN, NAME_PREFIX_RULE } from '../lib/naming';
import { NAME_LIMITS } from '../lib/aws/names';

/** How much of an environment's traffic X-Ray records; the environment config holds one set. */
export interface SamplingRates {
  /** Traces per second recorded before the rate applies, shared by every instance. */
  readonly reservoirPerSecond: number;
  /** Share (0 to 1) of the requests beyond the reservoir that are recorded. */
  readonly fixedRate: number;
}

export interface XraySamplingProps extends SamplingRates {
  /** `<project>-<env>`: the rules match the services named `<namePrefix>-*`. */
  readonly namePrefix: string;
  /** Path the load balancers' health checks request; never recorded. */
  readonly healthCheckPath: string;
}

/** X-Ray API SamplingRule: Priority 1 to 9999 (lower first); RuleName as NAME_LIMITS says. */
const RULE_NAME_MAX = NAME_LIMITS.xraySamplingRule;
const HEALTH_PRIORITY = 100;
const SERVICE_PRIORITY = 1000;

/**
 * `<namePrefix>-<thing>`; past 32 characters the project part of the prefix is cut and a hash of
 * the full name keeps it unique, while the environment (the prefix's last part) stays readable:
 * `ecg-vid-production-a9c2-services`.
 */
export function xrayRuleName(namePrefix: string, thing: string): string {
  const full = `${namePrefix}-${thing}`;
  if (full.length <= RULE_NAME_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 4);
  const cut = namePrefix.lastIndexOf('-');
  const environment = cut > 0 ? namePrefix.slice(cut + 1) : '';
  const tail = `${environment ? `-${environment}` : ''}-${hash}-${thing}`;
  const room = Math.max(1, RULE_NAME_MAX - tail.length);
  // The project part ends before `cut` whenever a name needs shortening: room < cut.
  const head = namePrefix.slice(0, room).replace(/-+$/, '');
  return `${head}${tail}`.slice(0, RULE_NAME_MAX);
}

/**
 * The environment's X-Ray sampling rules, read by the SDKs' remote sampler through the local
 * collector: health checks never recorded (rate 0, no reservoir, ahead of everything), then the
 * environment's reservoir and rate for each of its services (`<namePrefix>-*`). Requests of no
 * service of this environment fall through to X-Ray's Default rule (priority 10000).
 */
export class XraySampling extends Construct {
  public readonly healthRule: XraySamplingRule;
  public readonly serviceRule: XraySamplingRule;

  constructor(scope: Construct, id: string, props: XraySamplingProps) {
    super(scope, id);
    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(props.namePrefix, NAME_PREFIX_PATTERN, NAME_PREFIX_RULE);
    v.at('reservoirPerSecond').intRange(props.reservoirPerSecond, 0, 1000);
    v.at('fixedRate').check(
      props.fixedRate >= 0 && props.fixedRate <= 1,
      props.fixedRate,
      'must be a share from 0 to 1 (X-Ray SamplingRule FixedRate)',
    );
    v.at('healthCheckPath').matches(
      props.healthCheckPath,
      /^\/\S{0,127}$/,
      'must be a path starting with / of at most 128 characters (X-Ray SamplingRule URLPath)',
    );
    throwIfIssues(v.issues);

    const services = `${props.namePrefix}-*`;
    const rule = (ruleId: string, priority: number, match: { urlPath: string }, rates: SamplingRates) =>
      new XraySamplingRule(this, ruleId, {
        ruleName: xrayRuleName(props.namePrefix, ruleId),
        priority,
        reservoirSize: rates.reservoirPerSecond,
        fixedRate: rates.fixedRate,
        serviceName: services,
        serviceType: '*',
        host: '*',
        httpMethod: '*',
        urlPath: match.urlPath,
        resourceArn: '*',
        version: 1,
      });
    this.healthRule = rule(
      'health',
      HEALTH_PRIORITY,
      { urlPath: props.healthCheckPath },
      { reservoirPerSecond: 0, fixedRate: 0 },
    );
    this.serviceRule = rule('services', SERVICE_PRIORITY, { urlPath: '*' }, props);
  }
}
