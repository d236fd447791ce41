import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthesizeApp } from '../src/tools/synth';
import { defaultSynthDir } from './support/shared';
import { synthWith } from './support/tfvars';
import { TOKEN_TRACES_ENV, plainTokenTraces } from './support/token-traces';

const projectDir = resolve(__dirname, '..');

describe('the app command of cdktf.json', () => {
  it('synthesizes the three stacks, as the TypeScript sources built in-process do', async () => {
    // The run's shared synth of the app command (with no tfvars: they do not change the JSON).
    const outdir = await synthWith({});
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

  it('runs the tests without token creation traces, as main.ts, unless TEST_TOKEN_TRACES=1 (support/token-traces.ts)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    expect(traces.captureStackTrace().length > 0).toBe(process.env[TOKEN_TRACES_ENV] === '1');
  });

  it('keeps them with TEST_TOKEN_TRACES=1, formatted past any prepareStackTrace hook', () => {
    const hook = vi.fn(() => 'mapped');
    const previous = Error.prepareStackTrace;
    const traces = {
      // What cdktf's own capture does: the formatted stack of an object, split into frames.
      captureStackTrace: (below?: unknown) => {
        const object = { stack: '' };
        Error.captureStackTrace(object, below as () => void);
        return object.stack.split('\n').slice(1);
      },
    };
    plainTokenTraces(traces);
    Error.prepareStackTrace = hook;
    try {
      const trace = traces.captureStackTrace();
      expect(trace[0]).toMatch(/^\s*at .*app\.test\.ts:\d+:\d+\)?$/);
      expect(hook).not.toHaveBeenCalled();
      expect(Error.prepareStackTrace).toBe(hook);
    } finally {
      Error.prepareStackTrace = previous;
    }
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
