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
  /** The value as written (comments removed). */
  readonly text: string;
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
      const text = source.slice(current.start, end).trim();
      assignments.push({ name: current.name, line: current.line, value: literal(text), text });
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
 * Variable files Terraform or this project would pass over in silence, each with the name that
 * is read. Terraform loads `terraform.tfvars`, `terraform.tfvars.json` and `*.auto.tfvars(.json)`
 * of the folder it runs in (https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files);
 * this project copies `terraform.tfvars` and `tfvars/<stack>.tfvars` into that folder, nothing else.
 */
function ignoredFileIssues(sourceDir: string, stacks: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const stackList = stacks.join(', ');
  for (const name of readdirSync(sourceDir).sort()) {
    if (name === 'terraform.tfvars' || !/\.tfvars?(\.json)?$/i.test(name)) continue;
    if (!statSync(join(sourceDir, name)).isFile()) continue;
    const stem = name.replace(/(\.auto)?\.tfvars?(\.json)?$/i, '');
    const json = /\.json$/i.test(name);
    const readName = stacks.includes(stem) ? `tfvars/${stem}.tfvars` : 'terraform.tfvars';
    issues.push({
      path: name,
      value: '(not read)',
      rule: json
        ? `is a JSON variable file, which this project does not copy into the stacks (cdktf deploy alone would pass it; npm run plan and plain terraform would not): write the values in HCL in ${readName}`
        : `is not read by npm run plan or plain terraform in cdktf.out (only terraform.tfvars and tfvars/<stack>.tfvars are copied there): rename it ${readName}`,
    });
  }
  const folder = join(sourceDir, 'tfvars');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return issues;
  for (const name of readdirSync(folder).sort()) {
    if (/^[^.]+\.tfvars$/.test(name) || name.startsWith('.')) continue;
    const stem = name.replace(/(\.auto)?\.tfvars?(\.json)?$/i, '').replace(/\.[^.]*$/, '');
    const readName = `tfvars/${stacks.includes(stem) ? stem : '<stack>'}.tfvars`;
    issues.push({
      path: `tfvars/${name}`,
      value: '(not read)',
      rule: /\.json$/i.test(name)
        ? `is a JSON variable file, which this project does not read: write the values in HCL in ${readName} (stacks: ${stackList})`
        : `is never read: only tfvars/<stack>.tfvars is (stacks: ${stackList}); rename it ${readName}`,
    });
  }
  return issues;
}

/**
 * A literal as Terraform gives it to a variable of `type`: numbers and bools become strings for
 * a string variable (`api_image_tag = 20240501` is the tag "20240501"), also inside a
 * list(string) (https://developer.hashicorp.com/terraform/language/expressions/type-constraints#conversion-of-primitive-types).
 */
function asVariableValue(value: NonNullable<TfvarsAssignment['value']>, type: VariableSpec['type']): unknown {
  const primitive = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
  if (type === 'string') return primitive(value);
  return Array.isArray(value) ? value.map(primitive) : value;
}

/** A value that is an expression, which a variable file cannot hold (Terraform: literals only). */
function isExpression(text: string): boolean {
  return (
    /^[A-Za-z_][\w-]*\s*\(/.test(text) ||
    /^(var|local|module|data|path|terraform)\./.test(text) ||
    /\$\{/.test(text)
  );
}

/** A placeholder of terraform.tfvars.example or of the README (`<repo>`, `<git-sha>`) left in a value. */
const PLACEHOLDER = /<[A-Za-z][\w -]*>/;

/**
 * Problems of the user's tfvars before anything is synthesized: files Terraform or the project
 * would ignore, a `tfvars/<name>.tfvars` for a stack that does not exist, variables no platform
 * stack declares (Terraform would only warn and ignore them), expressions, placeholders, literal
 * values that break a variable's rule in a stack the file applies to (`terraform.tfvars` applies
 * to every platform stack), and an API image named twice or not at all. Each names the user's
 * file and line.
 */
export function tfvarsIssues(
  sourceDir: string,
  variablesOf: Readonly<Record<string, readonly VariableSpec[]>>,
): ConfigIssue[] {
  const stacks = Object.keys(variablesOf);
  const issues: ConfigIssue[] = ignoredFileIssues(sourceDir, stacks);
  const files: { file: string; stacks: readonly string[] }[] = [];
  if (existsSync(join(sourceDir, 'terraform.tfvars'))) files.push({ file: 'terraform.tfvars', stacks });
  const folder = join(sourceDir, 'tfvars');
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    for (const name of readdirSync(folder).sort()) {
      if (!/^[^.]+\.tfvars$/.test(name)) continue;
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
  /** Per stack, the value each variable ends with and where it was set (the stack's own file wins). */
  const effective: Record<string, Record<string, { value: unknown; where: string }>> = {};
  for (const { file, stacks: applies } of files) {
    for (const assignment of parseTfvars(readFileSync(join(sourceDir, file), 'utf8'))) {
      const path = `${file} ${assignment.name}`;
      const at = `(line ${assignment.line})`;
      if (!names.includes(assignment.name)) {
        issues.push({
          path,
          value: at,
          rule: `is not a variable of the platform stacks; known: ${names.join(', ')}${suggestion(assignment.name, names)}`,
        });
        continue;
      }
      if (isExpression(assignment.text)) {
        issues.push({
          path,
          value: assignment.text,
          rule: `${at} is an expression: a variable file holds literal values only (no functions, references or templates); write the value itself`,
        });
        continue;
      }
      if (assignment.value === undefined) continue;
      if (typeof assignment.value === 'string' && PLACEHOLDER.test(assignment.value)) {
        issues.push({
          path,
          value: assignment.value,
          rule: `${at} still holds the placeholder ${PLACEHOLDER.exec(assignment.value)?.[0]} of the example: replace it with the real value`,
        });
        continue;
      }
      const broken = new Map<string, string[]>();
      for (const stack of applies) {
        const spec = variablesOf[stack].find((v) => v.name === assignment.name);
        if (!spec) continue;
        const value = asVariableValue(assignment.value, spec.type);
        (effective[stack] ??= {})[assignment.name] = { value, where: `${file} line ${assignment.line}` };
        for (const rule of spec.rules) {
          if (!rule.accepts(value)) broken.set(rule.rule, [...(broken.get(rule.rule) ?? []), stack]);
        }
      }
      for (const [rule, where] of broken) {
        const scope = applies.length > 1 ? ` (in ${where.join(', ')})` : '';
        issues.push({ path, value: assignment.value, rule: `${at} ${rule}${scope}` });
      }
    }
  }
  issues.push(...apiImageIssues(effective, variablesOf));
  return issues;
}

/**
 * The API task's image is `api_image` when set, else `<ECR repository>:<api_image_tag>`: with
 * both set the tag is silently unused, with both empty the image is `<repository>:` (no tag), which
 * ECS cannot pull. Checked where the user's files set either (the stack defaults are left alone).
 */
function apiImageIssues(
  effective: Readonly<Record<string, Readonly<Record<string, { value: unknown; where: string }>>>>,
  variablesOf: Readonly<Record<string, readonly VariableSpec[]>>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [stack, values] of Object.entries(effective)) {
    const image = values.api_image;
    const tag = values.api_image_tag;
    if (!image && !tag) continue;
    const defaultOf = (name: string) => variablesOf[stack].find((v) => v.name === name)?.default ?? '';
    const imageValue = image ? image.value : defaultOf('api_image');
    const tagValue = tag ? tag.value : defaultOf('api_image_tag');
    const blame = (first: 'api_image' | 'api_image_tag') => {
      const name = values[first] ? first : first === 'api_image' ? 'api_image_tag' : 'api_image';
      const [file, line] = values[name].where.split(' line ');
      return { name, file, line };
    };
    if (imageValue !== '' && tagValue !== '') {
      const { file, line } = blame('api_image');
      issues.push({
        path: `${file} ${image ? 'api_image' : 'api_image_tag'}`,
        value: image ? imageValue : tagValue,
        rule: `(line ${line}) names the API image of ${stack} together with api_image_tag ${JSON.stringify(tagValue)}${tag ? ` (${tag.where})` : ' (its default)'}: api_image wins and the tag is unused. Set one: api_image (a full reference) or api_image_tag (the ECR repository's tag), the other ""`,
      });
    } else if (imageValue === '' && tagValue === '') {
      const { name, file, line } = blame('api_image_tag');
      issues.push({
        path: `${file} ${name}`,
        value: '',
        rule: `(line ${line}) leaves the API image of ${stack} without a tag: with api_image and api_image_tag both empty the task image is "<ECR repository>:", which ECS cannot pull. Set api_image_tag to a pushed tag, or api_image to a full reference`,
      });
    }
  }
  return issues;
}

/**
 * Terraform's messages with the copies named as the user's files: `staging.auto.tfvars` is
 * `tfvars/staging.tfvars` (line numbers match: the copy is byte for byte the file).
 */
export function withUserTfvarsNames(text: string, stack: string): string {
  return text.split(`${stack}.auto.tfvars`).join(`tfvars/${stack}.tfvars`);
}
