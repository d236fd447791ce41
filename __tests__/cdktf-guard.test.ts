import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { refusal } from '../src/tools/cdktf-guard';

const run = promisify(execFile);

describe('the cdktf guard of the daily npm scripts', () => {
  it.each([
    ['deploy', 'staging', [], {}],
    ['diff', 'production', [], {}],
    ['destroy', 'staging', [], {}],
    ['destroy', 'production', ['--allow-production-destroy'], {}],
    ['destroy', 'production', [], { ECG_ALLOW_PRODUCTION_DESTROY: 'yes' }],
  ])('lets %s %s run', (command, stack, args, env) => {
    expect(refusal(command, stack, args, env)).toBeUndefined();
  });

  it.each([
    [
      'destroy',
      'production',
      [],
      {},
      'refusing to destroy production: pass --allow-production-destroy or set ECG_ALLOW_PRODUCTION_DESTROY=yes',
    ],
    [
      'destroy',
      'state-backend',
      [],
      { ECG_ALLOW_PRODUCTION_DESTROY: 'true' },
      'refusing to destroy state-backend',
    ],
    ['deploy', 'prod', [], {}, 'stack prod is not one of state-backend, staging, production'],
    ['apply', 'staging', [], {}, 'unknown command apply: use one of diff, deploy, destroy'],
  ])('fails when asked to %s %s without the rules', (command, stack, args, env, message) => {
    expect(refusal(command, stack, args, env)).toContain(message);
  });

  it('refuses `npm run destroy:production` before the cdktf CLI starts', async () => {
    const failure = await run(
      process.execPath,
      ['scripts/run-app.mjs', 'scripts/cdktf.ts', 'destroy', 'production'],
      {
        cwd: resolve(__dirname, '..'),
        env: { ...process.env, ECG_ALLOW_PRODUCTION_DESTROY: '' },
      },
    ).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('cdktf: refusing to destroy production');
  });
});
