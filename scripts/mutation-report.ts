/**
 * `npm run mutation:report [-- --report <mutation.json>] [--log <stryker.log>]`: writes the run
 * time and the score table of a Stryker run into docs/mutation.md, between its mutation-score
 * markers. The report defaults to reports/mutation/mutation.json and the log to stryker.log, both
 * left by `npm run mutation`. Run it after a run to commit the new figures.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatLikeRepo } from '../src/tools/format';
import { renderScoreBlock, replaceBetweenMarkers, type MutationReport } from '../src/tools/mutation-report';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..');
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return resolve(i >= 0 && args[i + 1] ? args[i + 1] : fallback);
  };
  const reportFile = option('--report', join(root, 'reports', 'mutation', 'mutation.json'));
  const logFile = option('--log', join(root, 'stryker.log'));
  const docFile = join(root, 'docs', 'mutation.md');
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as MutationReport;
  const block = renderScoreBlock(report, readFileSync(logFile, 'utf8'));
  const doc = replaceBetweenMarkers(readFileSync(docFile, 'utf8'), block);
  writeFileSync(docFile, await formatLikeRepo(doc, docFile));
  console.log(`docs/mutation.md: run time of ${logFile}, score table of ${reportFile}`);
}

main().catch((error: unknown) => {
  console.error(`mutation:report: ${(error as Error).message}`);
  process.exit(1);
});
