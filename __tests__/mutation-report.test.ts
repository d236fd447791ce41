import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  mergeReports,
  renderBatchScoreBlock,
  renderScoreTable,
  renderScoreBlock,
  replaceBetweenMarkers,
  runTimeLine,
  scoreRows,
  type MutantStatus,
  type MutationReport,
} from '../src/tools/mutation-report';
import { errorOf } from './support/synth';
import { MUTATION_EXCLUDE } from '../vitest.mutation.config.mjs';
import { BATCHES } from '../scripts/mutation-batches';

const root = resolve(__dirname, '..');

function mutants(counts: Partial<Record<MutantStatus, number>>): { status: MutantStatus }[] {
  return Object.entries(counts).flatMap(([status, n]) =>
    Array.from({ length: n }, () => ({ status: status as MutantStatus })),
  );
}

const REPORT: MutationReport = {
  files: {
    'src/stacks/b.ts': { mutants: mutants({ Killed: 3, Survived: 1 }) },
    'src/modules/a.ts': {
      mutants: mutants({ Killed: 5, Timeout: 1, Survived: 2, NoCoverage: 2, CompileError: 1, Ignored: 2 }),
    },
    'src/modules/empty.ts': { mutants: mutants({ Ignored: 1 }) },
  },
};

describe('mutation score table', () => {
  it('scores killed + timeout over all valid mutants, and over covered ones, per file and in total', () => {
    expect(renderScoreTable(scoreRows(REPORT))).toBe(
      [
        '| File | Score % | Covered score % | Killed | Timeout | Survived | No coverage | Errors and ignored |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| `src/modules/a.ts` | 60.00 | 75.00 | 5 | 1 | 2 | 2 | 3 |',
        '| `src/modules/empty.ts` | n/a | n/a | 0 | 0 | 0 | 0 | 1 |',
        '| `src/stacks/b.ts` | 75.00 | 75.00 | 3 | 0 | 1 | 0 | 0 |',
        '| **All files** | 64.29 | 75.00 | 8 | 1 | 3 | 2 | 4 |',
      ].join('\n'),
    );
  });

  it('fails when the report lists no file', () => {
    expect(errorOf(() => scoreRows({ files: {} }))).toBe('the mutation report lists no file');
  });

  it('fails when a run did not finish (pending mutants)', () => {
    expect(errorOf(() => scoreRows({ files: { 'src/x.ts': { mutants: mutants({ Pending: 2 }) } } }))).toBe(
      'src/x.ts: 2 mutants still pending (an unfinished run?)',
    );
  });

  it('replaces only the text between the markers', () => {
    const doc = 'intro\n<!-- mutation-score:start -->\nold\n<!-- mutation-score:end -->\nrest\n';
    expect(replaceBetweenMarkers(doc, 'new')).toBe(
      'intro\n<!-- mutation-score:start -->\n\nnew\n\n<!-- mutation-score:end -->\nrest\n',
    );
  });

  it('fails when the markers are missing, doubled or out of order', () => {
    const message =
      'expected one <!-- mutation-score:start --> ... <!-- mutation-score:end --> pair, in that order';
    expect(errorOf(() => replaceBetweenMarkers('no markers', 'x'))).toBe(message);
    expect(
      errorOf(() => replaceBetweenMarkers('<!-- mutation-score:end -->\n<!-- mutation-score:start -->', 'x')),
    ).toBe(message);
    expect(
      errorOf(() =>
        replaceBetweenMarkers(
          '<!-- mutation-score:start --><!-- mutation-score:start --><!-- mutation-score:end -->',
          'x',
        ),
      ),
    ).toBe(message);
  });
});

describe('mutation run time', () => {
  // Lines of a real run's console output (stryker.log has the same text after an ISO date).
  const LOG = [
    '04:29:07 (908) INFO DryRunExecutor Starting initial test run (vitest test runner with "perTest" coverage analysis).',
    '04:32:02 (908) INFO DryRunExecutor Initial test run succeeded. Ran 596 tests in 2 minutes and 54 seconds (net 65986.0 ms, overhead 108791.0 ms).',
    '04:56:16 (908) INFO MutationTestExecutor Done in 27 minutes and 20 seconds.',
  ].join('\n');

  it('divides the mutation phase (initial run to Done) by the mutants tested', () => {
    expect(runTimeLine(LOG, REPORT)).toBe(
      'Initial test run: 596 tests in 2 minutes and 54 seconds. Mutation phase: 1454 s for 13 mutants, 111.8 s per mutant.',
    );
  });

  it('reads the times of stryker.log lines and runs past midnight', () => {
    const log = [
      '[2026-01-01T23:59:00.000] [INFO] DryRunExecutor - Initial test run succeeded. Ran 3 tests in 5 seconds (net 1 ms, overhead 2 ms).',
      '[2026-01-02T00:01:00.000] [INFO] MutationTestExecutor - Done in 2 minutes and 10 seconds.',
    ].join('\n');
    expect(runTimeLine(log, REPORT)).toBe(
      'Initial test run: 3 tests in 5 seconds. Mutation phase: 120 s for 13 mutants, 9.2 s per mutant.',
    );
  });

  // Stryker appends every run to stryker.log: an earlier finished run, then one stopped after its
  // initial test run, come before the run the report is of.
  it('reads the last run of a log that holds earlier ones', () => {
    const earlier = [
      '10:00:00 (11) INFO ProjectReader 4 of 16 mutant result(s) are reused.',
      '10:00:05 (11) INFO DryRunExecutor Initial test run succeeded. Ran 9 tests in 5 seconds (net 1 ms, overhead 2 ms).',
      '10:20:05 (11) INFO MutationTestExecutor Done in 20 minutes and 5 seconds.',
      '10:30:00 (12) INFO DryRunExecutor Initial test run succeeded. Ran 8 tests in 4 seconds (net 1 ms, overhead 2 ms).',
    ];
    const last = [
      '11:00:00 (13) INFO DryRunExecutor Initial test run succeeded. Ran 7 tests in 3 seconds (net 1 ms, overhead 2 ms).',
      '11:01:05 (13) INFO MutationTestExecutor Done in 1 minute and 8 seconds.',
    ];
    expect(runTimeLine([...earlier, ...last].join('\n'), REPORT)).toBe(
      'Initial test run: 7 tests in 3 seconds. Mutation phase: 65 s for 13 mutants, 5.0 s per mutant.',
    );
    expect(runTimeLine([...earlier.slice(0, 3), ...last].join('\n'), REPORT)).toBe(
      'Initial test run: 7 tests in 3 seconds. Mutation phase: 65 s for 13 mutants, 5.0 s per mutant.',
    );
  });

  it('leaves out the results an incremental run reused', () => {
    const log = `${LOG}\n\tResult:\t\t10 of 16 mutant result(s) are reused.`;
    expect(runTimeLine(log, REPORT)).toBe(
      'Initial test run: 596 tests in 2 minutes and 54 seconds. Mutation phase: 1454 s for 3 mutants, 484.7 s per mutant.',
    );
    expect(errorOf(() => runTimeLine(log.replace('10 of', '13 of'), REPORT))).toBe(
      'the run tested no mutant',
    );
  });

  it('heads the table with the run time and the total score in bold', () => {
    const block = renderScoreBlock(REPORT, LOG).split('\n\n');
    expect(block.slice(0, 2)).toEqual([
      'Initial test run: 596 tests in 2 minutes and 54 seconds. Mutation phase: 1454 s for 13 mutants, 111.8 s per mutant.',
      'Mutation score of the files run: **64.29 %** (killed and timed out over killed, timed out, survived and not covered).',
    ]);
    expect(block[2].split('\n')).toHaveLength(6);
    expect(block[2].split('\n')[5]).toBe('| **All files** | 64.29 | 75.00 | 8 | 1 | 3 | 2 | 4 |');
  });

  it('fails when the log is not that of a finished run', () => {
    expect(errorOf(() => runTimeLine(LOG.split('\n').slice(0, 2).join('\n'), REPORT))).toBe(
      'the Stryker log has no timed line with "Done in"',
    );
    expect(errorOf(() => runTimeLine('Done in 5 seconds', REPORT))).toBe(
      'the Stryker log has no "Initial test run succeeded" line',
    );
  });
});

describe('mutation groups (npm run mutation:batches)', () => {
  const LOG = [
    '04:32:02 (908) INFO DryRunExecutor Initial test run succeeded. Ran 596 tests in 2 minutes and 54 seconds (net 1 ms, overhead 2 ms).',
    '04:42:02 (908) INFO MutationTestExecutor Done in 12 minutes.',
  ].join('\n');
  const one = (file: string, counts: Partial<Record<MutantStatus, number>>): MutationReport => ({
    files: { [file]: { mutants: mutants(counts) } },
  });

  it('merges the groups into one table, a line of run time per group', () => {
    const block = renderBatchScoreBlock([
      { name: 'gpu', report: one('src/modules/a.ts', { Killed: 9, Survived: 1 }), log: LOG },
      { name: 'stacks', report: one('src/stacks/b.ts', { Killed: 4, Timeout: 1 }), log: LOG },
    ]).split('\n\n');
    expect(block[0]).toBe(
      [
        '- group `gpu`: Initial test run: 596 tests in 2 minutes and 54 seconds. Mutation phase: 600 s for 10 mutants, 60.0 s per mutant.',
        '- group `stacks`: Initial test run: 596 tests in 2 minutes and 54 seconds. Mutation phase: 600 s for 5 mutants, 120.0 s per mutant.',
      ].join('\n'),
    );
    expect(block[1]).toContain('**93.33 %**');
    expect(block[2].split('\n')[4]).toBe('| **All files** | 93.33 | 93.33 | 13 | 1 | 1 | 0 | 0 |');
  });

  it('fails when two groups score the same file (it would count twice)', () => {
    const report = one('src/modules/a.ts', { Killed: 1 });
    expect(
      errorOf(() =>
        mergeReports([
          { name: 'gpu', report, log: LOG },
          { name: 'ecs', report, log: LOG },
        ]),
      ),
    ).toBe('src/modules/a.ts is in the reports of groups gpu and ecs');
    expect(errorOf(() => renderBatchScoreBlock([]))).toBe('no mutation group has a report yet');
  });

  it('puts every file Stryker mutates in exactly one group', () => {
    const listed = (dir: string) =>
      readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${dir}/${f}`);
    const grouped = Object.values(BATCHES).flat();
    const modules = grouped.filter((f) => f.startsWith('src/modules/'));
    expect([...modules].sort()).toEqual(listed('src/modules').sort());
    expect(new Set(modules).size).toBe(modules.length);
    // The stacks group takes the whole folder by glob, so a new stack file is always in it.
    expect(grouped.filter((f) => !f.startsWith('src/modules/'))).toEqual(['src/stacks/**/*.ts']);
  });
});

describe('docs/mutation.md', () => {
  const doc = readFileSync(join(root, 'docs', 'mutation.md'), 'utf8');
  const block = doc.split('<!-- mutation-score:start -->')[1]?.split('<!-- mutation-score:end -->')[0] ?? '';
  const lines = block.split('\n').filter((l) => l.startsWith('|'));
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim());

  it('states the run time of the run the table comes from', () => {
    expect(block).toMatch(
      /Initial test run: \d+ tests in [\w ,]+\. Mutation phase: \d+ s for \d+ mutants, \d+\.\d s per mutant\./,
    );
  });

  it('holds a score table generated by npm run mutation:report, between its markers', () => {
    expect(cells(lines[0])).toEqual([
      'File',
      'Score %',
      'Covered score %',
      'Killed',
      'Timeout',
      'Survived',
      'No coverage',
      'Errors and ignored',
    ]);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(cells(lines[lines.length - 1])[0]).toBe('**All files**');
  });

  it('has rows of mutated files (src/modules, src/stacks), each with scores and counts', () => {
    for (const line of lines.slice(2)) {
      const [file, score, covered, ...counts] = cells(line);
      expect(file).toMatch(/^(`src\/(modules|stacks)\/[\w./-]+\.ts`|\*\*All files\*\*)$/);
      expect(score).toMatch(/^(\d{1,3}\.\d\d|n\/a)$/);
      expect(covered).toMatch(/^(\d{1,3}\.\d\d|n\/a)$/);
      expect(counts).toHaveLength(5);
      for (const count of counts) expect(count).toMatch(/^\d+$/);
    }
  });

  it('states the total score the table shows', () => {
    const total = cells(lines[lines.length - 1])[1];
    expect(doc).toContain(`**${total} %**`);
  });
});

describe('vitest.mutation.config.mts', () => {
  it('leaves out only test files that exist (a renamed file would silently come back in)', () => {
    expect(MUTATION_EXCLUDE.filter((file) => !existsSync(join(root, file)))).toEqual([]);
    expect(MUTATION_EXCLUDE.length).toBeGreaterThan(10);
  });
});

// What vitest.mutation.config.mts and __tests__/support/app.ts rely on, read from the installed
// @stryker-mutator/vitest-runner: the runner tells the tests its mode under the key `mode`
// ('dry-run' while it records coverage, 'mutant' for a mutant's run), and stops a run at its
// first failing file unless bail is disabled (the sequencer's order only pays off with bail).
describe('the Stryker vitest runner', () => {
  const runner = readFileSync(
    join(root, 'node_modules/@stryker-mutator/vitest-runner/dist/src/vitest-test-runner.js'),
    'utf8',
  );

  it("provides the tests 'mode': 'dry-run', then 'mutant'", () => {
    expect(runner).toContain("this.ctx.provide('mode', 'dry-run');");
    expect(runner).toContain("this.ctx.provide('mode', 'mutant');");
  });

  it('bails at the first failure, and the project does not disable it', async () => {
    expect(runner).toContain('bail: this.options.disableBail ? 0 : 1,');
    const configFile = pathToFileURL(join(root, 'stryker.config.mjs')).href;
    const { default: config } = (await import(configFile)) as { default: Record<string, unknown> };
    expect(config.disableBail).toBeUndefined();
  });

  // scripts/stryker-vitest-suites.mjs exists because of this: a file or describe block that fails
  // before its tests run adds no test result, so such a run has no failed test. The wrapper reads
  // the runner's vitest context and wraps its mutantRun.
  it('counts only the tests it collected, and keeps the vitest context the wrapper reads', () => {
    expect(runner).toContain('.flatMap((file) => collectTestsFromSuite(file))');
    expect(runner).toContain('return { tests: testResults, status: DryRunStatus.Complete };');
    expect(runner).toContain('async mutantRun(options) {');
    expect(runner).toContain('this.ctx.state.getFiles()');
  });
});
