import { evaluateStack, formatFinding, type EvaluateOptions } from './evaluate';
import { NOT_APPLICABLE } from './not-applicable';
import { SUPPRESSIONS } from './suppressions';
import type { Json, NotApplicableRow, PolicyEnvironment, RuleResult, RuleStatus, Suppression } from './types';

export interface StackInput {
  /** Stack id (`staging`). */
  readonly stack: string;
  readonly environment: PolicyEnvironment;
  /** The stack's synthesized JSON. */
  readonly json: Json;
}

export interface StackPolicyReport {
  readonly stack: string;
  readonly environment: PolicyEnvironment;
  readonly summary: Readonly<Record<RuleStatus, number>>;
  readonly results: readonly RuleResult[];
}

/** What `npm run policy` prints and writes to reports/policy.json. */
export interface PolicyReport {
  readonly stacks: readonly StackPolicyReport[];
  /** Rows without a rule, and why; listed in every stack's table. */
  readonly notApplicable: readonly NotApplicableRow[];
  /** The suppression list in force. */
  readonly suppressions: readonly Suppression[];
  /** Unsuppressed findings over every stack; non-zero fails the run. */
  readonly failures: number;
}

export function buildPolicyReport(
  stacks: readonly StackInput[],
  options: EvaluateOptions = {},
): PolicyReport {
  const reports = stacks.map(({ stack, environment, json }): StackPolicyReport => {
    const results = evaluateStack(json, environment, options);
    const count = (status: RuleStatus) => results.filter((r) => r.status === status).length;
    const summary = {
      pass: count('pass'),
      fail: count('fail'),
      suppressed: count('suppressed'),
      'not-applicable': count('not-applicable') + NOT_APPLICABLE.length,
    };
    return { stack, environment, summary, results };
  });
  return {
    stacks: reports,
    notApplicable: NOT_APPLICABLE,
    suppressions: options.suppressions ?? SUPPRESSIONS,
    failures: reports.reduce((n, s) => n + s.results.reduce((m, r) => m + r.findings.length, 0), 0),
  };
}

const COLUMNS = { rule: 13, row: 10, status: 15 };

function line(rule: string, row: string, status: string, text: string): string {
  return `${rule.padEnd(COLUMNS.rule)}${row.padEnd(COLUMNS.row)}${status.padEnd(COLUMNS.status)}${text}`;
}

function resultLines(result: RuleResult): string[] {
  const row = String(result.anchor);
  if (result.status === 'not-applicable') {
    return [line(result.ruleId, row, 'not-applicable', `n/a: ${result.detail}`)];
  }
  const lines = [line(result.ruleId, row, result.status, result.description)];
  const indent = ' '.repeat(COLUMNS.rule + COLUMNS.row + COLUMNS.status);
  for (const f of result.findings) lines.push(`${indent}x ${formatFinding(f)}`);
  const byReason = new Map<string, string[]>();
  for (const f of result.suppressed)
    byReason.set(f.reason, [...(byReason.get(f.reason) ?? []), formatFinding(f)]);
  for (const [reason, findings] of byReason) {
    for (const f of findings) lines.push(`${indent}~ ${f}`);
    lines.push(`${indent}  suppressed: ${reason}`);
  }
  return lines;
}

/** One stack's table: every rule with its status, then the rows without a rule. */
export function formatStackReport(
  report: StackPolicyReport,
  notApplicable: readonly NotApplicableRow[] = NOT_APPLICABLE,
): string {
  const { pass, fail, suppressed } = report.summary;
  return [
    `${report.stack} (evaluated as ${report.environment}): ${pass} pass, ${fail} fail, ${suppressed} suppressed, ${report.summary['not-applicable']} not applicable`,
    line('RULE', 'ROW', 'STATUS', 'COMPLIANT STATE / DETAIL'),
    ...report.results.flatMap(resultLines),
    ...notApplicable.map((n) => line(n.id, String(n.anchor), 'not-applicable', `no rule: ${n.reason}`)),
  ].join('\n');
}

export function formatPolicyReport(report: PolicyReport): string {
  const tables = report.stacks.map((s) => formatStackReport(s, report.notApplicable));
  const verdict =
    report.failures === 0
      ? 'policy: no unsuppressed findings'
      : `policy: ${report.failures} unsuppressed finding${report.failures === 1 ? '' : 's'}`;
  return [...tables, verdict].join('\n\n');
}
