import { invisibleCharacterNote } from './suggest';

/**
 * Validation primitives shared by every layer (config, stacks, modules, tools): a problem is a
 * path the user edits, the value, and the rule it breaks. Each layer collects all of its problems
 * and reports them together; nothing here knows about any particular layer.
 */

/** How a report shows a value that is a Terraform expression (an encoded token reads as noise). */
export const TERRAFORM_EXPRESSION = '(a Terraform expression)';

/** One configuration problem: where, what, and the rule it breaks. */
export interface ConfigIssue {
  readonly path: string;
  readonly value: unknown;
  readonly rule: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const hidden = typeof issue.value === 'string' ? invisibleCharacterNote(issue.value) : undefined;
  const note = hidden !== undefined && !issue.rule.includes(hidden) ? ` (the value ${hidden})` : '';
  return `${issue.path} ${formatValue(issue.value)} ${issue.rule}${note}`;
}

function formatValue(value: unknown): string {
  // Quoted when a character would not show: "ap-northeast-2 " instead of ap-northeast-2.
  if (typeof value === 'string') {
    return value === '' || invisibleCharacterNote(value) !== undefined ? JSON.stringify(value) : value;
  }
  if (value === undefined) return '(unset)';
  return JSON.stringify(value);
}

/** Thrown before any stack is built, so a bad config never leaves partial synth output. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Collects issues under a path prefix; `at` descends into a field. */
export class IssueCollector {
  constructor(
    private readonly prefix: string,
    private readonly sink: ConfigIssue[] = [],
  ) {}

  get issues(): readonly ConfigIssue[] {
    return this.sink;
  }

  at(field: string | number): IssueCollector {
    const path = typeof field === 'number' ? `${this.prefix}[${field}]` : `${this.prefix}.${field}`;
    return new IssueCollector(path, this.sink);
  }

  report(value: unknown, rule: string): void {
    this.sink.push({ path: this.prefix, value, rule });
  }

  check(ok: boolean, value: unknown, rule: string): void {
    if (!ok) this.report(value, rule);
  }

  intRange(value: number, min: number, max: number): void {
    this.check(
      Number.isInteger(value) && value >= min && value <= max,
      value,
      `must be an integer from ${min} to ${max}`,
    );
  }

  oneOf<T>(value: T, allowed: readonly T[], what = 'one of'): void {
    this.check(allowed.includes(value), value, `must be ${what} ${allowed.join(', ')}`);
  }

  matches(value: string, pattern: RegExp, rule: string): void {
    this.check(typeof value === 'string' && pattern.test(value), value, rule);
  }
}

/** Where `throwIfIssues` puts issues while `collectIssues` runs, instead of throwing. */
let collecting: ConfigIssue[] | undefined;

/**
 * Throws a ConfigError naming every issue, if there are any. While `collectIssues` runs, the
 * issues are gathered instead, so one report can name the problems of every layer and module.
 */
export function throwIfIssues(issues: readonly ConfigIssue[]): void {
  if (issues.length === 0) return;
  if (collecting) collecting.push(...issues);
  else throw new ConfigError(issues);
}

/**
 * Runs `build` and gathers the issues every `throwIfIssues` inside it reports, instead of stopping
 * at the first module with a problem. A module that reports issues still builds (its output is
 * discarded); an exception other than a ConfigError propagates.
 */
export function collectIssues<T>(build: () => T): { readonly result?: T; readonly issues: ConfigIssue[] } {
  const previous = collecting;
  const issues: ConfigIssue[] = [];
  collecting = issues;
  try {
    return { result: build(), issues };
  } catch (error) {
    if (error instanceof ConfigError) return { issues: [...issues, ...error.issues] };
    throw error;
  } finally {
    collecting = previous;
  }
}
