/**
 * `npm run diagram [-- --check]`: synthesizes the app in-process with the cdktf.json context and
 * no environment variables (so every machine produces the same file), reads the production and
 * staging stacks and writes docs/architecture.md; when a README (English or Korean) has both architecture markers,
 * the block between them is replaced too (otherwise README.md is left alone). With --check it
 * writes nothing and exits 1 when either file is out of date.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runCli, synthesizeInProcess } from '../src/tools/synth';
import {
  architectureDocument,
  architectureModel,
  formatMarkdown,
  readmeBlock,
  replaceMarkedBlock,
  type StackJson,
} from '../src/tools/diagram';

/** READMEs that embed the diagram between the architecture markers. */
const README_FILES = ['README.md', 'README.ko.md'];

const PRODUCTION = 'production';
const OTHER = 'staging';

function synthesize(projectDir: string): Record<string, StackJson> {
  // Environment variables are ignored on purpose: the committed diagram must not depend on them.
  // The policy pack has its own report (npm run policy); a finding must not hide the diagram.
  const stacks = synthesizeInProcess(projectDir, {}, { skipValidation: true });
  const read = (id: string) => stacks.find((s) => s.id === id)!.json as StackJson;
  return { [PRODUCTION]: read(PRODUCTION), [OTHER]: read(OTHER) };
}

async function main(): Promise<number> {
  const check = process.argv.slice(2).includes('--check');
  const projectDir = resolve(__dirname, '..');
  const stacks = synthesize(projectDir);
  const production = architectureModel(stacks[PRODUCTION]);
  const other = architectureModel(stacks[OTHER]);

  const wanted = new Map<string, string>();
  const docPath = join(projectDir, 'docs', 'architecture.md');
  wanted.set(docPath, await formatMarkdown(architectureDocument(production, other), docPath));
  for (const readme of README_FILES) {
    const readmePath = join(projectDir, readme);
    if (!existsSync(readmePath)) continue;
    const updated = replaceMarkedBlock(readFileSync(readmePath, 'utf8'), readmeBlock(production));
    if (updated === undefined) console.log(`${readme} has no architecture markers: left alone`);
    else wanted.set(readmePath, await formatMarkdown(updated, readmePath));
  }

  const stale: string[] = [];
  for (const [path, content] of wanted) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === content) {
      console.log(`${path}: up to date`);
      continue;
    }
    stale.push(path);
    if (!check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      console.log(`${path}: written`);
    }
  }
  if (check && stale.length > 0) {
    console.error(`out of date (run npm run diagram): ${stale.join(', ')}`);
    return 1;
  }
  return 0;
}

runCli(main);
