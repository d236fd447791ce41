/**
 * `npm run load-test -- --url <url> [--duration <s>] [--connections <n>] [--max-p95-ms <ms>]
 * [--max-error-rate <0..1>] [--timeout <s>]`: a short autocannon run that exits 1 with a
 * one-line verdict when the p95 latency or the error rate misses its threshold
 * (src/tools/load-test.ts).
 */
import { loadTestMain } from '../src/tools/load-test';
import { runCli } from '../src/tools/synth';

runCli(() => loadTestMain(process.argv.slice(2)));
