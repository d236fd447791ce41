/**
 * Reads the structured values the synthesized JSON carries as strings: JSON documents
 * (`JSON.stringify`) and `${jsonencode(...)}` expressions (`Fn.jsonencode`), whose HCL object
 * syntax is parsed here. References and other bare expressions inside become `${...}` strings,
 * as they would be in a JSON document with interpolations.
 */

/** The value of a JSON string, a `${jsonencode(...)}` expression or an already structured value; undefined when unreadable. */
export function readDocument(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return value;
  const text = value.trim();
  const encoded = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(text);
  try {
    if (encoded) return new HclParser(encoded[1]).parseAll();
    return JSON.parse(text) as unknown;
  } catch {
    // JSON whose strings hold interpolations with quotes inside (`"${coalesce(var.x, "y")}"`):
    // valid for Terraform, not for JSON.parse.
    try {
      return encoded || !/^[[{]/.test(text) ? undefined : new HclParser(text).parseAll();
    } catch {
      return undefined;
    }
  }
}

/**
 * The script text of a `user_data` argument: the string inside `${base64encode("...")}`, a
 * base64 literal decoded, or the value as written when it is neither.
 */
export function userDataText(value: unknown): string {
  if (typeof value !== 'string') return '';
  const encoded = /^\$\{base64encode\(([\s\S]*)\)\}$/.exec(value.trim());
  if (encoded) {
    const argument = encoded[1].trim();
    // `join("", ["text", reference, "text"])`: the text with references as `${...}`.
    const join = /^join\(\s*("(?:[^"\\]|\\.)*")\s*,\s*(\[[\s\S]*\])\s*\)$/.exec(argument);
    try {
      if (join) {
        const separator = new HclParser(join[1]).parseAll() as string;
        const parts = new HclParser(join[2]).parseAll() as unknown[];
        return parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(separator);
      }
      const inner = new HclParser(argument).parseAll();
      if (typeof inner === 'string') return inner;
    } catch {
      // another expression (a templatefile() call, ...): scan it as written
    }
    return argument;
  }
  if (!value.includes('${') && /^[A-Za-z0-9+/\s]+=*$/.test(value) && value.trim().length % 4 === 0) {
    return Buffer.from(value, 'base64').toString('utf8');
  }
  return value;
}

class HclParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parseAll(): unknown {
    const value = this.value();
    this.skipSpace();
    if (this.pos !== this.src.length) throw this.error('trailing text');
    return value;
  }

  private error(what: string): Error {
    return new Error(`${what} at ${this.pos}`);
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private value(): unknown {
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)(?=[\s,\]}]|$)/.exec(
      this.src.slice(this.pos),
    );
    if (literal) {
      this.pos += literal[0].length;
      return JSON.parse(literal[1]) as unknown;
    }
    return `\${${this.bareExpression()}}`;
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === '}') {
        this.pos++;
        return result;
      }
      const key = this.src[this.pos] === '"' ? this.string() : this.identifier();
      this.skipSpace();
      const sep = this.src[this.pos];
      if (sep !== '=' && sep !== ':') throw this.error('expected = or :');
      this.pos++;
      result[key] = this.value();
      this.skipSpace();
      if (this.src[this.pos] === ',') this.pos++;
    }
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === ']') {
        this.pos++;
        return result;
      }
      result.push(this.value());
      this.skipSpace();
      if (this.src[this.pos] === ',') this.pos++;
    }
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
    if (!match) throw this.error('expected a key');
    this.pos += match[0].length;
    return match[0];
  }

  private string(): string {
    let out = '';
    this.pos++;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === 'u') {
          out += String.fromCharCode(parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
          continue;
        }
        out += { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[next as 'n' | 't' | 'r' | 'b' | 'f'] ?? next;
        this.pos += 2;
        continue;
      }
      // `$${` and `%%{` are HCL's escapes for a literal `${` and `%{`.
      if ((c === '$' || c === '%') && this.src[this.pos + 1] === c && this.src[this.pos + 2] === '{') {
        out += `${c}{`;
        this.pos += 3;
        continue;
      }
      if (c === '$' && this.src[this.pos + 1] === '{') {
        const end = this.matching(this.pos + 1, '{', '}');
        out += this.src.slice(this.pos, end + 1);
        this.pos = end + 1;
        continue;
      }
      out += c;
      this.pos++;
    }
    throw this.error('unterminated string');
  }

  /** A reference or function call, up to the next separator outside brackets. */
  private bareExpression(): string {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      this.pos++;
    }
    const text = this.src.slice(start, this.pos).trim();
    if (text === '') throw this.error('expected a value');
    return text;
  }

  private matching(openAt: number, open: string, close: string): number {
    let depth = 0;
    for (let i = openAt; i < this.src.length; i++) {
      if (this.src[i] === open) depth++;
      else if (this.src[i] === close && --depth === 0) return i;
    }
    throw this.error('unbalanced interpolation');
  }
}
