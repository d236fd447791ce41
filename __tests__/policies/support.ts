import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { evaluateStack } from '../../src/policies/evaluate';
import { RULES } from '../../src/policies/rules';
import type { Json, PolicyEnvironment, Rule, RuleResult } from '../../src/policies/types';

/** The synthesized JSON of whatever `fn` adds to a fresh stack (top-level construct ids are the addresses' names). */
export function fixture(fn: (scope: Construct) => void): Json {
  return JSON.parse(Testing.synthScope(fn)) as Json;
}

/** One rule's result on `json`, with no suppressions. */
export function resultOf(rule: Rule, json: Json, environment: PolicyEnvironment = 'staging'): RuleResult {
  return evaluateStack(json, environment, { rules: [rule], suppressions: [] })[0];
}

/** One rule's findings on `json` as `<rule id> <address>: <message>`, with no suppressions. */
export function findingsOf(rule: Rule, json: Json, environment: PolicyEnvironment = 'staging'): string[] {
  return resultOf(rule, json, environment).findings.map((f) => `${f.ruleId} ${f.address}: ${f.message}`);
}

/** A stack document with the given resources, for rules whose fixtures need no provider class. */
export function stackOf(resources: Record<string, Record<string, Json>>): Json {
  return { resource: resources };
}

/**
 * Every rule of the pack whose id starts with one of `prefixes` (`ECG-S3`, ...), so a rule added
 * to a family is checked against that family's compliant fixture without editing a list.
 */
export function rulesOf(...prefixes: string[]): Rule[] {
  const rules = RULES.filter((r) => prefixes.some((p) => r.id.startsWith(`${p}-`)));
  if (rules.length === 0) throw new Error(`no rule starts with ${prefixes.join(' or ')}`);
  return rules;
}
