import { replaceTerraformExpressions, type Json } from './synth';

/**
 * Parses a JSON document that Terraform will interpolate (a policy, container definitions),
 * keeping every `${...}` expression, nested ones included, as its literal text: unlike
 * `parseInterpolatedJson`, which blanks them to `REF`, tests can pin which resource a value reads.
 */
export function parseTerraformJson(text: string): Json {
  if (text.includes('@@tf')) throw new Error('text contains the placeholder @@tf');
  const expressions: string[] = [];
  const out = replaceTerraformExpressions(text, (expression) => `@@tf${expressions.push(expression) - 1}@@`);
  const restore = (value: string) => value.replace(/@@tf(\d+)@@/g, (_, n: string) => expressions[Number(n)]);
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' ? restore(value) : value,
  ) as Json;
}
