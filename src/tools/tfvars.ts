import { copyFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigIssue } from '../lib/validation';
import { suggestion } from '../lib/suggest';
import type { VariableSpec } from '../stacks/variables';

export { TFVARS_DIR_ENV } from '../config/settings';

/**
 * Copies the user's deploy-time values into each synthesized platform stack, where Terraform
 * loads them by itself, so `cdktf deploy`/`diff` and plain `terraform plan` in
 * `cdktf.out/stacks/<stack>` see the same values without flags:
 * - `<dir>/terraform.tfvars` -> `stacks/<stack>/terraform.tfvars` (every platform stack);
 * - `<dir>/tfvars/<stack>.tfvars` -> `stacks/<stack>/<stack>.auto.tfvars` (that stack; loaded
 *   after terraform.tfvars, so its values win).
 * Returns the files written.
 */
export function copyTfvars(sourceDir: string, outdir: string, stacks: readonly string[]): string[] {
  const written: string[] = [];
  const shared = join(sourceDir, 'terraform.tfvars');
  for (const stack of stacks) {
    const target = join(outdir, 'stacks', stack);
    if (!existsSync(target)) continue;
    if (existsSync(shared)) {
      copyFileSync(shared, join(target, 'terraform.tfvars'));
      written.push(join(target, 'terraform.tfvars'));
    }
    const own = join(sourceDir, 'tfvars', `${stack}.tfvars`);
    if (existsSync(own)) {
      copyFileSync(own, join(target, `${stack}.auto.tfvars`));
      written.push(join(target, `${stack}.auto.tfvars`));
    }
  }
  return written;
}

/** One top-level assignment of a tfvars file; `value` is undefined when it is not a plain literal. */
export interface TfvarsAssignment {
  readonly name: string;
  readonly line: number;
  readonly value?: string | number | boolean | readonly unknown[];
}

/** Removes comments (`#`, `//`, `/* *\/`) outside strings, keeping line breaks. */
function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const skipped = text.slice(i, end < 0 ? text.length : end + 2);
      out += skipped.replace(/[^\n]/g, '');
      i = end < 0 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** A literal HCL value (string, number, bool, list of those), or undefined for anything else. */
function literal(source: string): TfvarsAssignment['value'] {
  const text = source.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^"([^"\\$]|\\.)*"$/.test(text)) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return undefined;
    }
  }
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    const items = inner.replace(/,\s*$/, '').match(/"([^"\\$]|\\.)*"|[^,\s][^,]*/g) ?? [];
    const values = items.map((item) => literal(item));
    return values.every((v) => v !== undefined) ? values : undefined;
  }
  return undefined;
}

/** The top-level `name = value` assignments of a tfvars file (values only when plain literals). */
export function parseTfvars(text: string): TfvarsAssignment[] {
  const source = stripComments(text);
  const assignments: TfvarsAssignment[] = [];
  let depth = 0;
  let inString = false;
  let current: { name: string; line: number; start: number } | undefined;
  let line = 1;
  const finish = (end: number) => {
    if (current) {
      assignments.push({
        name: current.name,
        line: current.line,
        value: literal(source.slice(current.start, end)),
      });
    }
    current = undefined;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if ('[{('.includes(c)) depth++;
    else if (']})'.includes(c)) depth--;
    else if (c === '\n') {
      line++;
      if (depth === 0) finish(i);
    }
    if (depth === 0 && !current && (i === 0 || source[i - 1] === '\n')) {
      const match = /^[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?!=)/.exec(
        source.slice(i, source.indexOf('\n', i) + 1 || undefined),
      );
      if (match) {
        current = { name: match[1], line, start: i + match[0].length };
        i += match[0].length - 1;
      }
    }
  }
  finish(source.length);
  return assignments;
}

/**
 * Problems of the user's tfvars before anything is synthesized: a `tfvars/<name>.tfvars` for a
 * stack that does not exist, variables no platform stack declares (Terraform would only warn and
 * ignore them), and literal values that break a variable's rule in a stack the file applies to
 * (`terraform.tfvars` applies to every platform stack).
 */
export function tfvarsIssues(
  sourceDir: string,
  variablesOf: Readonly<Record<string, readonly VariableSpec[]>>,
): ConfigIssue[] {
  const stacks = Object.keys(variablesOf);
  const issues: ConfigIssue[] = [];
  const files: { file: string; stacks: readonly string[] }[] = [];
  if (existsSync(join(sourceDir, 'terraform.tfvars'))) files.push({ file: 'terraform.tfvars', stacks });
  const folder = join(sourceDir, 'tfvars');
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    for (const name of readdirSync(folder).sort()) {
      if (!name.endsWith('.tfvars')) continue;
      const stack = name.slice(0, -'.tfvars'.length);
      if (!stacks.includes(stack)) {
        issues.push({
          path: `tfvars/${name}`,
          value: stack,
          rule: `is not the tfvars file of a platform stack: use tfvars/<stack>.tfvars with one of ${stacks.join(', ')}${suggestion(stack, stacks)}`,
        });
        continue;
      }
      files.push({ file: `tfvars/${name}`, stacks: [stack] });
    }
  }
  const names = [...new Set(Object.values(variablesOf).flatMap((specs) => specs.map((v) => v.name)))];
  for (const { file, stacks: applies } of files) {
    for (const assignment of parseTfvars(readFileSync(join(sourceDir, file), 'utf8'))) {
      const path = `${file} ${assignment.name}`;
      if (!names.includes(assignment.name)) {
        issues.push({
          path,
          value: `(line ${assignment.line})`,
          rule: `is not a variable of the platform stacks; known: ${names.join(', ')}${suggestion(assignment.name, names)}`,
        });
        continue;
      }
      if (assignment.value === undefined) continue;
      const broken = new Map<string, string[]>();
      for (const stack of applies) {
        const spec = variablesOf[stack].find((v) => v.name === assignment.name);
        for (const rule of spec?.rules ?? []) {
          if (!rule.accepts(assignment.value))
            broken.set(rule.rule, [...(broken.get(rule.rule) ?? []), stack]);
        }
      }
      for (const [rule, where] of broken) {
        const scope = applies.length > 1 ? ` (in ${where.join(', ')})` : '';
        issues.push({ path, value: assignment.value, rule: `${rule}${scope}` });
      }
    }
  }
  return issues;
}
