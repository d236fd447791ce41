import { defineConfig } from 'vitest/config';
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
  '__tests__/bad-input.test.ts',
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
  '__tests__/test-summary.test.ts',
];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [...MUTATION_EXCLUDE],
    // A fresh module graph per test file and per run: a static mutant (a module-level constant)
    // is active only when its module is evaluated again under it, and no state built under one
    // mutant may carry into the next mutant's run.
    isolate: true,
    // Each test synthesizes its own stack, so Stryker's per-test coverage credits every test that
    // reads the mutated code, not only the first one that filled the cache.
    env: { ECG_TEST_SYNTH_CACHE: 'off' },
    reporters: ['default'],
  },
});
