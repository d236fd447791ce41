/**
 * The score table of docs/mutation.md, from Stryker's JSON report (reports/mutation/mutation.json,
 * the mutation-testing-report-schema): `npm run mutation:report` rewrites the part of the doc
 * between the markers below, so the committed figures are always those of a real run.
 */

export const START_MARKER = '<!-- mutation-score:start -->';
export const END_MARKER = '<!-- mutation-score:end -->';

/** Mutant states of the report schema. */
export type MutantStatus =
  'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

export interface ReportMutant {
  readonly status: MutantStatus;
}

/** The part of a Stryker JSON report the table reads. */
export interface MutationReport {
  readonly files: Readonly<Record<string, { readonly mutants: readonly ReportMutant[] }>>;
}

export interface FileScore {
  readonly file: string;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Ignored, compile and runtime errors: counted in no score. */
  readonly excluded: number;
  /** Killed + timeout over killed + timeout + survived + no coverage (Stryker's mutation score). */
  readonly score: number | undefined;
  /** The same over covered mutants only (no-coverage ones left out). */
  readonly coveredScore: number | undefined;
}

function tally(file: string, mutants: readonly ReportMutant[]): FileScore {
  const count = (...states: MutantStatus[]) => mutants.filter((m) => states.includes(m.status)).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  return {
    file,
    killed,
    timeout,
    survived,
    noCoverage,
    excluded: count('Ignored', 'CompileError', 'RuntimeError'),
    score: valid === 0 ? undefined : (100 * detected) / valid,
    coveredScore: detected + survived === 0 ? undefined : (100 * detected) / (detected + survived),
  };
}

/** One row per mutated file, by path, then the total (`All files`) last. */
export function scoreRows(report: MutationReport): FileScore[] {
  const files = Object.keys(report.files).sort();
  if (files.length === 0) throw new Error('the mutation report lists no file');
  for (const file of files) {
    const pending = report.files[file].mutants.filter((m) => m.status === 'Pending').length;
    if (pending > 0) throw new Error(`${file}: ${pending} mutants still pending (an unfinished run?)`);
  }
  const rows = files.map((file) => tally(file, report.files[file].mutants));
  const all = files.flatMap((file) => report.files[file].mutants);
  return [...rows, tally('All files', all)];
}

const percent = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(2));

export const TABLE_HEADER = [
  'File',
  'Score %',
  'Covered score %',
  'Killed',
  'Timeout',
  'Survived',
  'No coverage',
  'Errors and ignored',
];

/** The Markdown score table. */
export function renderScoreTable(rows: readonly FileScore[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [
    line(TABLE_HEADER),
    line(TABLE_HEADER.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map((r) =>
      line([
        r.file === 'All files' ? '**All files**' : `\`${r.file}\``,
        percent(r.score),
        percent(r.coveredScore),
        r.killed,
        r.timeout,
        r.survived,
        r.noCoverage,
        r.excluded,
      ]),
    ),
  ].join('\n');
}

/** Mutants a run tested (results reused from an incremental report included). */
export function mutantsTested(report: MutationReport): number {
  const ran: MutantStatus[] = ['Killed', 'Survived', 'Timeout', 'CompileError', 'RuntimeError'];
  return Object.values(report.files).reduce(
    (sum, f) => sum + f.mutants.filter((m) => ran.includes(m.status)).length,
    0,
  );
}

/** Seconds since midnight of the first HH:MM:SS on the log line that contains `text`. */
function timeOfLine(log: string, text: string): number {
  const line = log.split('\n').find((l) => l.includes(text));
  const match = line === undefined ? null : /(\d\d):(\d\d):(\d\d)/.exec(line);
  if (match === null) throw new Error(`the Stryker log has no timed line with "${text}"`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/**
 * The last run of a log: Stryker appends each run to stryker.log, so it may hold earlier runs,
 * finished or stopped. The last run starts after the last "Done in" before its initial test run,
 * at the last initial test run when an earlier run was stopped after its own.
 */
function lastRun(whole: string): string {
  const lines = whole.split('\n');
  const findLastIndex = (list: readonly string[], text: string) =>
    list.map((l) => l.includes(text)).lastIndexOf(true);
  const initial = findLastIndex(lines, 'Initial test run succeeded');
  if (initial < 0) return whole;
  const before = lines.slice(0, initial);
  const previousEnd = findLastIndex(before, 'Done in');
  const previousInitial = findLastIndex(before, 'Initial test run succeeded');
  return lines.slice(Math.max(previousEnd + 1, previousInitial + 1)).join('\n');
}

/**
 * The run's timing, from Stryker's log (stryker.log, or its console output), of its last run: the
 * initial test run as Stryker states it, and the mutation phase (from the end of the initial run to
 * "Done") per mutant this run tested: results an incremental run reused (as its log states) are not
 * counted.
 */
export function runTimeLine(whole: string, report: MutationReport): string {
  const log = lastRun(whole);
  const initial = /Initial test run succeeded\. Ran (\d+) tests in (.+?) \(/.exec(log);
  if (initial === null) throw new Error('the Stryker log has no "Initial test run succeeded" line');
  const seconds =
    (timeOfLine(log, 'Done in') - timeOfLine(log, 'Initial test run succeeded') + 86400) % 86400;
  const reused = /(\d+) of \d+ mutant result\(s\) are reused/.exec(log);
  const tested = mutantsTested(report) - (reused === null ? 0 : Number(reused[1]));
  if (tested <= 0) throw new Error('the run tested no mutant');
  return (
    `Initial test run: ${initial[1]} tests in ${initial[2]}. Mutation phase: ${seconds} s for ` +
    `${tested} mutants, ${(seconds / tested).toFixed(1)} s per mutant.`
  );
}

/** One group of `npm run mutation:batches`: its report and its Stryker log. */
export interface BatchRun {
  readonly name: string;
  readonly report: MutationReport;
  readonly log: string;
}

/** The groups' reports as one; a file scored by two groups is an error (it would count twice). */
export function mergeReports(batches: readonly BatchRun[]): MutationReport {
  const files: Record<string, { readonly mutants: readonly ReportMutant[] }> = {};
  const owner: Record<string, string> = {};
  for (const batch of batches) {
    for (const [file, result] of Object.entries(batch.report.files)) {
      if (file in files)
        throw new Error(`${file} is in the reports of groups ${owner[file]} and ${batch.name}`);
      files[file] = result;
      owner[file] = batch.name;
    }
  }
  return { files };
}

/** The run-time lines of the groups, one per group, then the generated block of all of them. */
export function renderBatchScoreBlock(batches: readonly BatchRun[]): string {
  if (batches.length === 0) throw new Error('no mutation group has a report yet');
  const report = mergeReports(batches);
  const rows = scoreRows(report);
  const total = rows[rows.length - 1];
  return [
    batches.map((b) => `- group \`${b.name}\`: ${runTimeLine(b.log, b.report)}`).join('\n'),
    `Mutation score of the files run: **${percent(total.score)} %** (killed and timed out over ` +
      'killed, timed out, survived and not covered).',
    renderScoreTable(rows),
  ].join('\n\n');
}

/** `doc` with the text between the markers replaced by `block`; fails without exactly one pair. */
export function replaceBetweenMarkers(doc: string, block: string): string {
  const start = doc.indexOf(START_MARKER);
  const end = doc.indexOf(END_MARKER);
  if (start < 0 || end < start || doc.indexOf(START_MARKER, start + 1) >= 0) {
    throw new Error(`expected one ${START_MARKER} ... ${END_MARKER} pair, in that order`);
  }
  return `${doc.slice(0, start + START_MARKER.length)}\n\n${block}\n\n${doc.slice(end)}`;
}

/** The generated part of docs/mutation.md: run time, total score and the table. */
export function renderScoreBlock(report: MutationReport, log: string): string {
  const rows = scoreRows(report);
  const total = rows[rows.length - 1];
  return [
    runTimeLine(log, report),
    `Mutation score of the files run: **${percent(total.score)} %** (killed and timed out over ` +
      'killed, timed out, survived and not covered).',
    renderScoreTable(rows),
  ].join('\n\n');
}
