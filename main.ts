// Source-mapped stack traces cost ~0.2 s: cdktf captures one for every token it creates.
process.setSourceMapsEnabled(false);
skipTokenTraces(); // the traces themselves (src/tools/token-traces.ts)
import { runSynth } from './src/tools/synth-command';
import { skipTokenTraces } from './src/tools/token-traces';

// The only place that reads the outside world: cdktf.json context (which the cdktf CLI passes in
// CDKTF_CONTEXT_JSON, as App itself reads it), environment variables and the user's tfvars files.
// Every problem is reported at once, without a stack trace, and cdktf.out is left as it was.
try {
  const outcome = runSynth({
    context: JSON.parse(process.env.CDKTF_CONTEXT_JSON ?? '{}') as Record<string, unknown>,
    env: process.env,
    outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out',
    cwd: process.cwd(),
  });
  if (outcome.report) process.stderr.write(`${outcome.report}\n`);
  process.exitCode = outcome.exitCode;
} catch (error) {
  process.stderr.write(`Synthesis failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
