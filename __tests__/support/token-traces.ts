/**
 * Keeps cdktf's token creation traces in the tests, but formats them as V8 does by default. cdktf
 * records a full stack trace for every token it creates (thousands per synth); under Vitest each
 * one went through the module runner's source-map formatting, a quarter of the CPU of the tests
 * that synthesize. An unresolvable token still fails with where it was created (in the transformed
 * module, names and files as written). main.ts switches the traces off altogether
 * (src/tools/token-traces.ts).
 */
export function plainTokenTraces(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const traces = require('cdktf/lib/tokens/private/stack-trace') as {
    captureStackTrace: ((below?: unknown) => string[]) & { plain?: true };
  };
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
