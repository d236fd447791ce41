import { SETTING_SOURCES } from '../config/settings';
import type { ConfigIssue } from '../lib/validation';

/** Where a JSON text breaks its grammar, as an editor shows it (1-based). */
export class JsonSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file} line ${line}, column ${column}: ${problem}`);
    this.name = 'JsonSyntaxError';
  }
}

/** A key given twice in one object: JSON.parse (and so the cdktf CLI) silently keeps the last. */
export interface DuplicateKey {
  /** Dotted path of the key, e.g. `context.region`. */
  readonly path: string;
  readonly lines: readonly number[];
  /** The value that wins (the last). */
  readonly value: unknown;
}

export interface ParsedJson {
  readonly value: unknown;
  readonly duplicates: readonly DuplicateKey[];
  /** The line of each top-level key. */
  readonly topLevelLines: Readonly<Record<string, number>>;
}

/**
 * JSON.parse that says where a syntax error is (line and column, which Node 20's message lacks)
 * and which keys are given twice, with the lines of each.
 */
export function parseJsonText(text: string, file: string): ParsedJson {
  let i = 0;
  const duplicates: DuplicateKey[] = [];
  const topLevelLines: Record<string, number> = {};
  const lineAt = (pos: number) => text.slice(0, pos).split('\n').length;
  const fail = (problem: string, pos = i): never => {
    const before = text.slice(0, pos);
    throw new JsonSyntaxError(file, lineAt(pos), pos - before.lastIndexOf('\n'), problem);
  };
  const describe = (pos: number) => (pos >= text.length ? 'the end of the file' : JSON.stringify(text[pos]));
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (char: string, what: string) => {
    space();
    if (text[i] !== char) fail(`expected ${what}, found ${describe(i)}`);
    i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('a string runs past the end of its line (missing closing ")', start);
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('a string is never closed (missing ")', start);
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('a string holds an invalid escape', start);
    }
  };
  const value = (path: string, depth: number): unknown => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const result: Record<string, unknown> = {};
      const seen = new Map<string, number[]>();
      space();
      if (text[i] === '}') return (i++, result);
      for (;;) {
        space();
        if (text[i] !== '"') {
          fail(
            text[i] === '}'
              ? 'a comma before } (JSON allows no trailing comma)'
              : `expected a "quoted" key, found ${describe(i)}`,
          );
        }
        const keyLine = lineAt(i);
        const key = string();
        expect(':', `: after the key "${key}"`);
        const keyPath = path ? `${path}.${key}` : key;
        const item = value(keyPath, depth + 1);
        seen.set(key, [...(seen.get(key) ?? []), keyLine]);
        if (depth === 0) topLevelLines[key] ??= keyLine;
        result[key] = item;
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          break;
        }
        fail(`expected , or } after the value of "${key}", found ${describe(i)}`);
      }
      for (const [key, lines] of seen) {
        if (lines.length > 1) {
          duplicates.push({ path: path ? `${path}.${key}` : key, lines, value: result[key] });
        }
      }
      return result;
    }
    if (c === '[') {
      i++;
      const result: unknown[] = [];
      space();
      if (text[i] === ']') return (i++, result);
      for (;;) {
        result.push(value(`${path}[${result.length}]`, depth + 1));
        space();
        if (text[i] === ',') {
          i++;
          space();
          if (text[i] === ']') fail('a comma before ] (JSON allows no trailing comma)');
          continue;
        }
        if (text[i] === ']') {
          i++;
          break;
        }
        fail(`expected , or ] in a list, found ${describe(i)}`);
      }
      return result;
    }
    if (c === '"') return string();
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!literal) {
      return fail(
        c === "'" ? "a 'single-quoted' string (JSON needs double quotes)" : `unexpected ${describe(i)}`,
      );
    }
    i += literal[0].length;
    return JSON.parse(literal[0]) as unknown;
  };
  const result = value('', 0);
  space();
  if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
  return { value: result, duplicates, topLevelLines };
}

const SETTING_KEYS: readonly string[] = Object.values(SETTING_SOURCES).map((s) => s.context);

/**
 * Problems of cdktf.json that the cdktf CLI passes over in silence: a key given twice (the CLI
 * keeps the last) and a setting written beside `context` instead of inside it (the CLI passes
 * only `context` to the app, so the setting would fall back to its default).
 */
export function cdktfJsonIssues(parsed: ParsedJson): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const duplicate of parsed.duplicates) {
    issues.push({
      path: `cdktf.json ${duplicate.path}`,
      value: duplicate.value,
      rule: `is given twice (lines ${duplicate.lines.join(' and ')}); JSON keeps only the last, so the other is ignored: keep one`,
    });
  }
  const top = parsed.value;
  if (top !== null && typeof top === 'object' && !Array.isArray(top)) {
    for (const [key, value] of Object.entries(top)) {
      if (!SETTING_KEYS.includes(key)) continue;
      issues.push({
        path: `cdktf.json ${key}`,
        value,
        rule: `is a setting beside "context" (line ${parsed.topLevelLines[key]}), where cdktf ignores it: move it into "context"`,
      });
    }
  }
  return issues;
}
