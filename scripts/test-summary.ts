/**
 * `.ci/run`'s closing line from vitest's JSON report: `tests: N passed, N failed`. Usage:
 * tsx scripts/test-summary.ts <report.json> [vitest exit status]. Exits 1 when anything failed
 * or did not run (the project has no skipped tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { summarizeVitestReport, type VitestReport } from '../src/tools/test-summary';

const [file, status] = process.argv.slice(2);
const report =
  file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as VitestReport) : undefined;
const summary = summarizeVitestReport(report, Number(status ?? 0));
for (const failure of summary.failedFiles) console.error(`failed: ${failure}`);
console.log(summary.line);
process.exitCode = summary.failed > 0 || summary.skipped > 0 ? 1 : 0;
