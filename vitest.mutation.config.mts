import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import base from './vitest.config.mjs';

/**
 * The test files Stryker (`npm run mutation`, stryker.config.mjs) runs against each mutant: the
 * in-process synth-level tests of src/modules and src/stacks. Left out: tests that start
 * Terraform, emulators, a Redis server or a CLI subprocess, and tests of src/tools, src/config,
 * src/lib or src/functions alone (none of them is mutated); each would cost seconds per mutant.
 */
export const MUTATION_EXCLUDE: readonly string[] = [
  // Terraform plans, emulators and CLI subprocesses.
  '__tests__/app.test.ts',
  '__tests__/backend.test.ts',
  '__tests__/cdktf-guard.test.ts',
  '__tests__/checkpoint.test.ts',
  '__tests__/docs.test.ts',
  '__tests__/image-tags.test.ts',
  '__tests__/lint-rule.test.ts',
  '__tests__/module-plans.test.ts',
  '__tests__/name-limits.test.ts',
  '__tests__/offline-plan.test.ts',
  '__tests__/plan-script.test.ts',
  '__tests__/policies/framework.test.ts',
  '__tests__/provider-mirror.test.ts',
  '__tests__/queue-depth-function.test.ts',
  '__tests__/stateful.test.ts',
  '__tests__/tfvars.test.ts',
  '__tests__/workflows.test.ts',
  // The same for the write-safety, release-runbook and launcher checks: CLI subprocesses, Terraform,
  // real Redis and Celery, a git worktree; some read the project's own cdktf.out, which Stryker's
  // sandbox copy does not have.
  '__tests__/bad-input-files.test.ts',
  '__tests__/domain-plan.test.ts',
  '__tests__/dr-runbook.test.ts',
  '__tests__/function-bundle.test.ts',
  '__tests__/json-identity.test.ts',
  '__tests__/load-test.test.ts',
  '__tests__/queue-depth-celery.test.ts',
  '__tests__/run-app.test.ts',
  '__tests__/safe-writes.test.ts',
  // Generators and checks of src/tools and the docs they write.
  '__tests__/cost.test.ts',
  '__tests__/diagram.test.ts',
  '__tests__/mutation-report.test.ts',
  '__tests__/stryker-vitest-suites.test.ts',
  '__tests__/test-summary.test.ts',
];

/**
 * The order a mutant's run takes its test files in. Stryker stops a run at the first failing file,
 * so a killed mutant costs the files before that one: the file that failed in the run before
 * comes first (mutants of one file sit next to each other, and the same test tends to kill them),
 * then the shortest. The order changes how long a run takes, never its result: a surviving mutant
 * runs every file.
 */
class QuickFirstSequencer extends BaseSequencer {
  public override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const results = (file: TestSpecification) =>
      this.ctx.cache.getFileTestResults(
        `${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`,
      );
    const rank = (file: TestSpecification) => (results(file)?.failed ? 0 : 1);
    const duration = (file: TestSpecification) => results(file)?.duration ?? 0;
    return [...files].sort((a, b) => rank(a) - rank(b) || duration(a) - duration(b));
  }
}

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [...MUTATION_EXCLUDE],
    // A fresh module graph per test file and per run: a static mutant (a module-level constant)
    // is active only when its module is evaluated again under it, and no state built under one
    // mutant may carry into the next mutant's run.
    isolate: true,
    // The stacks are synthesized in-process, so their JSON holds the active mutant: on every call
    // in Stryker's dry run (its per-test coverage then credits every test that reads the code),
    // once per test file and stack in a mutant’s run (__tests__/support/app.ts).
    env: { ECG_TEST_SYNTH: 'in-process' },
    reporters: ['default'],
    sequence: { sequencer: QuickFirstSequencer },
  },
});
