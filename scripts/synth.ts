/**
 * `npm run synth [-- --output <folder>]`: synthesizes state-backend, staging and production into
 * cdktf.out (or the folder), as `npx cdktf synth` does, with a report of bad input printed once
 * (src/tools/synth.ts says why the CLI prints it twice).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { synthesizeProject } from '../src/tools/synth';

const projectDir = resolve(__dirname, '..');
const argv = process.argv.slice(2);
const at = argv.indexOf('--output');
const unknown = argv.filter((_, i) => i !== at && i !== at + 1);
if (unknown.length > 0 || (at >= 0 && !argv[at + 1])) {
  console.error(
    `unknown arguments ${unknown.join(' ') || '--output (needs a folder)'}\nusage: npm run synth [-- --output <folder>]`,
  );
  process.exit(1);
}
const outdir = resolve(at >= 0 ? argv[at + 1] : join(projectDir, 'cdktf.out'));
const code = synthesizeProject(projectDir, outdir);
if (code === 0) {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: object };
  console.log(
    `Generated Terraform code for the stacks: ${Object.keys(manifest.stacks).join(', ')} (in ${outdir})`,
  );
}
process.exitCode = code;
