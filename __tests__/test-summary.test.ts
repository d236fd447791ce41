import { summarizeVitestReport, type VitestReport } from '../src/tools/test-summary';

type File = VitestReport['testResults'][number];

const file = (name: string, status: string, tests: string[], message = ''): File => ({
  name,
  status,
  message,
  assertionResults: tests.map((s) => ({ status: s })),
});

/** A report as vitest's JSON reporter writes it, counts derived from the files. */
function report(files: File[], success = true): VitestReport {
  const all = files.flatMap((f) => f.assertionResults.map((a) => a.status));
  return {
    numPassedTests: all.filter((s) => s === 'passed').length,
    numFailedTests: all.filter((s) => s === 'failed').length,
    numPendingTests: all.filter((s) => s === 'skipped' || s === 'pending').length,
    numTodoTests: all.filter((s) => s === 'todo').length,
    numFailedTestSuites: files.filter((f) => f.status === 'failed').length,
    success,
    testResults: files,
  };
}

describe('the CI summary line', () => {
  it('counts passed and failed tests', () => {
    const r = report(
      [file('a', 'passed', ['passed', 'passed']), file('b', 'failed', ['passed', 'failed'])],
      false,
    );
    expect(summarizeVitestReport(r, 1).line).toBe('tests: 3 passed, 1 failed');
  });

  it('counts a file whose beforeAll failed as a failure, its tests as not run', () => {
    const r = report([file('a', 'passed', ['passed']), file('b', 'failed', ['skipped', 'skipped'])], false);
    const summary = summarizeVitestReport(r, 1);
    expect(summary.line).toBe('tests: 1 passed, 1 failed, 2 skipped');
    expect(summary.failedFiles).toEqual(['b: a hook failed']);
  });

  it('counts a file that fails to load, and an afterAll that fails after passing tests', () => {
    const r = report(
      [
        file('a', 'failed', [], "Cannot find module './x'\n  at ..."),
        file('b', 'failed', ['passed']),
        file('c', 'failed', ['failed']),
      ],
      false,
    );
    const summary = summarizeVitestReport(r, 1);
    expect(summary.line).toBe('tests: 1 passed, 3 failed');
    expect(summary.failedFiles).toEqual(["a: Cannot find module './x'", 'b: a hook failed']);
  });

  it('counts one failure when vitest failed the run without naming a test, or exited non-zero', () => {
    expect(summarizeVitestReport(report([file('a', 'passed', ['passed'])], false)).line).toBe(
      'tests: 1 passed, 1 failed',
    );
    expect(summarizeVitestReport(report([file('a', 'passed', ['passed'])]), 1).line).toBe(
      'tests: 1 passed, 1 failed',
    );
    expect(summarizeVitestReport(report([file('a', 'passed', ['passed'])]), 0).line).toBe(
      'tests: 1 passed, 0 failed',
    );
  });

  it('counts one failure when there is no report at all', () => {
    expect(summarizeVitestReport(undefined).line).toBe('tests: 0 passed, 1 failed');
  });
});
