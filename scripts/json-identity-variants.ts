/**
 * `tsx scripts/json-identity-variants.ts <project dir> <out file>`: synthesizes the module variants
 * of `<project dir>/__tests__/variants` (every file's `build`, each under a construct named after
 * the file, in one stack with the providers the module plans use) and writes the stack's JSON. The
 * variants reach prop combinations the default stacks do not (an HTTPS listener, an origin header
 * on both listeners ...), so scripts/json-identity.ts compares them too. The project dir may be an
 * older checkout: its files are loaded from there, the packages from the shared node_modules.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

interface Variant {
  build(scope: Construct): void;
}

async function main(): Promise<void> {
  const [projectArg, outArg] = process.argv.slice(2);
  if (!projectArg || !outArg) throw new Error('usage: json-identity-variants.ts <project dir> <out file>');
  const folder = join(resolve(projectArg), '__tests__', 'variants');
  const app = Testing.app();
  const stack = new TerraformStack(app, 'modules');
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
  new AwsProvider(stack, 'aws-us-east-1', { region: 'us-east-1', alias: 'us_east_1' });
  new RandomProvider(stack, 'random');
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const variant = (await import(pathToFileURL(join(folder, file)).href)) as Variant;
    variant.build(new Construct(stack, file.replace(/\.ts$/, '')));
  }
  const out = resolve(outArg);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, Testing.synth(stack));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
