import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const projectDir = resolve(__dirname, '..');

/** The environment of a shell that never heard of CHECKPOINT_DISABLE. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('CHECKPOINT_DISABLE' in extra)) delete env.CHECKPOINT_DISABLE;
  // Under `npm test` the run itself carries npm's settings (npm_config_node_options): drop them,
  // so only the project's .npmrc can set the option.
  delete env.NODE_OPTIONS;
  for (const key of Object.keys(env)) if (key.toLowerCase().startsWith('npm_config_')) delete env[key];
  return env;
}

async function npx(cwd: string, env: NodeJS.ProcessEnv, expression: string): Promise<string> {
  const { stdout } = await run('npx', ['--no-install', 'node', '-p', expression], { cwd, env });
  return stdout.trim();
}

describe("HashiCorp's checkpoint call (.npmrc)", () => {
  it('is off for every npx command of the project, from any folder in it', async () => {
    expect(await npx(projectDir, cleanEnv(), 'process.env.CHECKPOINT_DISABLE')).toBe('1');
    expect(await npx(join(projectDir, 'src'), cleanEnv(), 'process.env.CHECKPOINT_DISABLE')).toBe('1');
  });

  it('is off as the cdktf CLI reads its switch (npx cdktf synth, list, deploy)', async () => {
    // The same expression cdktf-cli evaluates when it loads: !!process.env.CHECKPOINT_DISABLE.
    const cdktf = "require('@cdktf/commons/src/environment').CHECKPOINT_DISABLE";
    expect(await npx(projectDir, cleanEnv(), cdktf)).toBe('true');
  });

  it('stays on when the user turns it on (CHECKPOINT_DISABLE= )', async () => {
    expect(
      await npx(projectDir, cleanEnv({ CHECKPOINT_DISABLE: '' }), 'process.env.CHECKPOINT_DISABLE'),
    ).toBe('');
  });

  it('reaches every npm script: each runs a Node program, which npm starts with the option', () => {
    const scripts = (
      JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const nodePrograms = new Set(['node', 'tsx', 'cdktf', 'vitest', 'eslint', 'prettier', 'tsc', 'stryker']);
    for (const [name, command] of Object.entries(scripts)) {
      for (const part of command.split('&&')) {
        const program = part
          .trim()
          .split(/\s+/)
          .find((word) => !/^[A-Z_]+=/.test(word));
        expect(nodePrograms.has(program ?? ''), `${name}: ${part.trim()}`).toBe(true);
      }
    }
  });
});
