/**
 * Switches off cdktf's token creation traces for this process. cdktf records a full stack trace
 * for every token it creates (thousands per synth, ~15% of its time), only to say where a token
 * came from when it cannot be resolved: a bug in the code, which the tests, building the app
 * without this, still report with its trace. The synthesized output is the same (app.test.ts).
 * With a cdktf version that keeps them elsewhere, traces stay on.
 */
export function skipTokenTraces(): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace?: unknown };
    if (typeof traces.captureStackTrace === 'function') traces.captureStackTrace = () => [];
  } catch {
    // another cdktf version
  }
}
