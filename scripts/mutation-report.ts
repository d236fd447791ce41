/**
 * `npm run mutation:report [-- --report <mutation.json>] [--log <stryker.log>]`: writes the run
 * time and the score table of a Stryker run into docs/mutation.md, between its mutation-score
 * markers. The report defaults to reports/mutation/mutation.json and the log to stryker.log, both
 * left by `npm run mutation`. With `--batches`, it merges the groups `npm run mutation:batches`
 * finished (reports/mutation/batches/<group>.json and .log). Run it after a run to commit the new
 * figures.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatLikeRepo } from '../src/tools/format';
import {
  renderBatchScoreBlock,
  renderScoreBlock,
  replaceBetweenMarkers,
  type BatchRun,
  type MutationReport,
} from '../src/tools/mutation-report';

function batchRuns(dir: string): BatchRun[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.incremental.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.json'.length);
      return {
        name,
        report: JSON.parse(readFileSync(join(dir, f), 'utf8')) as MutationReport,
        log: readFileSync(join(dir, `${name}.log`), 'utf8'),
      };
    });
}

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
  const block = args.includes('--batches')
    ? renderBatchScoreBlock(batchRuns(join(root, 'reports', 'mutation', 'batches')))
    : renderScoreBlock(
        JSON.parse(readFileSync(reportFile, 'utf8')) as MutationReport,
        readFileSync(logFile, 'utf8'),
      );
  const doc = replaceBetweenMarkers(readFileSync(docFile, 'utf8'), block);
  writeFileSync(docFile, await formatLikeRepo(doc, docFile));
  console.log(
    args.includes('--batches')
      ? 'docs/mutation.md: run times and score table of the finished groups'
      : `docs/mutation.md: run time of ${logFile}, score table of ${reportFile}`,
  );
}

main().catch((error: unknown) => {
  console.error(`mutation:report: ${(error as Error).message}`);
  process.exit(1);
});
