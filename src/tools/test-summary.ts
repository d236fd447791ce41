/** The parts of vitest's JSON report (`--reporter=json`) the CI summary reads. */
export interface VitestReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTodoTests: number;
  readonly numFailedTestSuites: number;
  readonly success: boolean;
  readonly testResults: readonly {
    readonly name: string;
    readonly status: string;
    readonly message?: string;
    readonly assertionResults: readonly { readonly status: string }[];
  }[];
}

export interface TestSummary {
  readonly passed: number;
  /** Failed tests, plus each test file that failed without a failed test (it did not load, or a hook failed). */
  readonly failed: number;
  /** Tests that did not run: skipped, todo, or left out by a failed hook. */
  readonly skipped: number;
  /** Files counted as failed without a failed test, with vitest's message. */
  readonly failedFiles: readonly string[];
  /** `tests: N passed, N failed` (`, N skipped` when there are any). */
  readonly line: string;
}

/**
 * Counts a run honestly: vitest's numFailedTests misses a file that fails to load or whose
 * beforeAll or afterAll fails (its tests show as skipped or passed), so such a file counts as one
 * failure. A run vitest itself calls unsuccessful, or that exited non-zero, has at least one.
 */
export function summarizeVitestReport(report: VitestReport | undefined, exitStatus = 0): TestSummary {
  if (!report) {
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      failedFiles: ['no test report: the run did not finish'],
      line: 'tests: 0 passed, 1 failed',
    };
  }
  const failedFiles = report.testResults
    .filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'))
    .map((f) => `${f.name}: ${(f.message ?? '').split('\n')[0] || 'a hook failed'}`);
  let failed = report.numFailedTests + failedFiles.length;
  if (failed === 0 && (!report.success || exitStatus !== 0)) failed = 1;
  const skipped = report.numPendingTests + report.numTodoTests;
  const line = `tests: ${report.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  return { passed: report.numPassedTests, failed, skipped, failedFiles, line };
}
