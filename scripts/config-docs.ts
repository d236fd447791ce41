/**
 * `npm run config-docs [-- --write]`: prints docs/configuration.md as generated from the
 * configuration's schema (formatted by the project's Prettier settings), or rewrites it with
 * `--write`. __tests__/config-docs.test.ts fails when the committed file drifts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { renderConfigurationDoc } from '../src/tools/config-docs';

export const CONFIG_DOC = join(__dirname, '..', 'docs', 'configuration.md');

/** The document as committed: rendered, then formatted like every other file. */
export async function formattedConfigurationDoc(): Promise<string> {
  const options = (await prettier.resolveConfig(CONFIG_DOC)) ?? {};
  return prettier.format(renderConfigurationDoc(), { ...options, filepath: CONFIG_DOC });
}

async function main(): Promise<void> {
  const text = await formattedConfigurationDoc();
  if (process.argv.includes('--write')) {
    writeFileSync(CONFIG_DOC, text);
    process.stdout.write('docs/configuration.md written\n');
  } else {
    process.stdout.write(text);
  }
}

if (require.main === module) void main();
