import { skipTokenTraces } from '../../src/tools/token-traces';

/** Set to 1 to keep cdktf's token creation traces in a test run. */
export const TOKEN_TRACES_ENV = 'TEST_TOKEN_TRACES';

/**
 * cdktf records a full stack trace for every token it creates (thousands per synth), only to say
 * where a token came from when it cannot be resolved. Under Vitest each trace went through the
 * module runner's source-map formatting: a third of the CPU of the tests that synthesize. The
 * tests switch them off as the app command does (src/tools/token-traces.ts); an unresolvable token
 * still fails its test. `TEST_TOKEN_TRACES=1 npm test` keeps them, formatted as V8 does by default
 * (the transformed module's positions, names and files as written).
 */
export function testTokenTraces(env: NodeJS.ProcessEnv = process.env): void {
  if (env[TOKEN_TRACES_ENV] === '1') plainTokenTraces();
  else skipTokenTraces();
}

interface StackTraceModule {
  captureStackTrace: ((below?: unknown) => string[]) & { plain?: true };
}

/** Wraps cdktf's trace capture so that it skips any `Error.prepareStackTrace` hook. */
export function plainTokenTraces(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  traces = require('cdktf/lib/tokens/private/stack-trace') as StackTraceModule,
): void {
  const capture = traces.captureStackTrace;
  if (capture.plain) return;
  const plain = Object.assign(
    function captureStackTrace(below?: unknown): string[] {
      const prepare = Error.prepareStackTrace;
      delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
      try {
        return capture(below ?? plain);
      } finally {
        Error.prepareStackTrace = prepare;
      }
    },
    { plain: true as const },
  );
  traces.captureStackTrace = plain;
}
