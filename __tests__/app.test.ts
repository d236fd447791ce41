import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthesizeApp } from '../src/tools/synth';
import { defaultSynthDir } from './support/shared';

const projectDir = resolve(__dirname, '..');

describe('the app command of cdktf.json', () => {
  it('synthesizes the three stacks, as the TypeScript sources built in-process do', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'app-')), 'out');
    await synthesizeApp(projectDir, outdir);
    for (const stack of ['state-backend', 'staging', 'production']) {
      const file = join('stacks', stack, 'cdk.tf.json');
      expect(existsSync(join(outdir, file))).toBe(true);
      // The launcher runs a bundle of main.ts: byte for byte what the sources give (global setup).
      expect(readFileSync(join(outdir, file), 'utf8')).toBe(
        readFileSync(join(defaultSynthDir(), file), 'utf8'),
      );
    }
  });

  it("can switch off cdktf's token creation traces, as main.ts does (src/tools/token-traces.ts; a cdktf upgrade that moves them shows here)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace?: unknown };
    expect(typeof traces.captureStackTrace).toBe('function');
  });

  it('keeps the token creation traces in the tests, formatted as V8 does (support/token-traces.ts)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as {
      captureStackTrace: (() => string[]) & { plain?: true };
    };
    expect(traces.captureStackTrace.plain).toBe(true);
    const trace = traces.captureStackTrace();
    expect(trace[0]).toMatch(/__tests__\/app\.test\.ts:\d+:\d+\)?$/);
    expect(trace.join('\n')).not.toContain('token-traces.ts');
  });

  it('fails when the configuration is bad: non-zero exit, every problem printed, no stack written', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'app-')), 'out');
    const failure = await synthesizeApp(projectDir, outdir, {
      ...process.env,
      ECG_REGION: 'Seoul',
      ECG_PRODUCTION_ACCOUNT_IDS: '12345',
    }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('Invalid configuration (2 problems); nothing was written:');
    expect(failure?.stderr).toContain('ECG_REGION Seoul must be an AWS region like ap-northeast-2');
    expect(failure?.stderr).toContain(
      'ECG_PRODUCTION_ACCOUNT_IDS[0] 12345 must be a 12-digit AWS account id',
    );
    expect(existsSync(join(outdir, 'stacks'))).toBe(false);
  });
});
