import { ENVIRONMENT_NAMES } from '../lib/environments';
import { createContext, indexResources, stackResources } from './context';
import { RULES } from './rules';
import { SUPPRESSIONS } from './suppressions';
import type {
  Finding,
  Json,
  PolicyEnvironment,
  Rule,
  RuleResult,
  Suppression,
  SuppressedFinding,
} from './types';

export interface EvaluateOptions {
  /** @default RULES - every rule of the pack */
  readonly rules?: readonly Rule[];
  /** @default SUPPRESSIONS - the pack's documented exceptions */
  readonly suppressions?: readonly Suppression[];
}

/** Does the rule apply to a stack of `environment`? A `shared` stack gets the rules of every environment. */
export function appliesTo(rule: Rule, environment: PolicyEnvironment): boolean {
  return environment === 'shared'
    ? ENVIRONMENT_NAMES.every((e) => rule.environments.includes(e))
    : rule.environments.includes(environment);
}

/** The suppression that accepts `finding` in `environment`, if any. */
export function findSuppression(
  finding: Finding,
  environment: PolicyEnvironment,
  suppressions: readonly Suppression[] = SUPPRESSIONS,
): Suppression | undefined {
  return suppressions.find(
    (s) =>
      s.ruleId === finding.ruleId &&
      (s.check === undefined || s.check === finding.check) &&
      (s.environments === undefined || s.environments.includes(environment)) &&
      (s.resource === undefined ||
        (s.resource.includes('.')
          ? finding.address.startsWith(s.resource)
          : finding.address.split('.')[0] === s.resource)),
  );
}

/** `<rule id> <address>: <message>`, the form synth errors and reports use. */
export function formatFinding(finding: Finding): string {
  return `${finding.ruleId} ${finding.address}: ${finding.message}`;
}

/**
 * Runs every rule over one synthesized stack (the JSON of `cdktf synth`, `Testing.synth` or
 * `stack.toTerraform()`) and applies the suppressions.
 */
export function evaluateStack(
  stackJson: Json,
  environment: PolicyEnvironment,
  options: EvaluateOptions = {},
): RuleResult[] {
  const rules = options.rules ?? RULES;
  const suppressions = options.suppressions ?? SUPPRESSIONS;
  const resources = stackResources(stackJson);
  const index = indexResources(resources);

  return rules.map((rule): RuleResult => {
    const base = {
      ruleId: rule.id,
      anchor: rule.anchor,
      scannerIds: rule.scannerIds,
      description: rule.description,
    };
    if (!appliesTo(rule, environment)) {
      return {
        ...base,
        status: 'not-applicable',
        detail: `${rule.environments.join(', ')} only`,
        findings: [],
        suppressed: [],
      };
    }
    if (!rule.resourceTypes.some((t) => index.byType.has(t))) {
      return {
        ...base,
        status: 'not-applicable',
        detail: `no ${rule.resourceTypes.join(', ')}`,
        findings: [],
        suppressed: [],
      };
    }
    const findings: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    for (const finding of rule.check(createContext(resources, environment, rule, index))) {
      const suppression = findSuppression(finding, environment, suppressions);
      if (suppression) suppressed.push({ ...finding, reason: suppression.reason });
      else findings.push(finding);
    }
    const status = findings.length > 0 ? 'fail' : suppressed.length > 0 ? 'suppressed' : 'pass';
    return { ...base, status, findings, suppressed };
  });
}

/** Every unsuppressed finding of `results`, formatted: an empty list means the stack complies. */
export function unsuppressedFindings(results: readonly RuleResult[]): string[] {
  return results.flatMap((r) => r.findings.map(formatFinding));
}
