import type { Json } from './synth';

/**
 * Parses a JSON document that Terraform will interpolate (a policy, container definitions),
 * keeping every `${...}` expression, nested ones included, as its literal text: unlike
 * `parseInterpolatedJson`, which blanks them to `REF`, tests can pin which resource a value reads.
 */
export function parseTerraformJson(text: string): Json {
  if (text.includes('@@tf')) throw new Error('text contains the placeholder @@tf');
  const expressions: string[] = [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      if (j === text.length) throw new Error(`unterminated \${ at ${i}`);
      out += `@@tf${expressions.length}@@`;
      expressions.push(text.slice(i, j + 1));
      i = j;
    } else {
      out += text[i];
    }
  }
  const restore = (value: string) => value.replace(/@@tf(\d+)@@/g, (_, n: string) => expressions[Number(n)]);
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' ? restore(value) : value,
  ) as Json;
}
