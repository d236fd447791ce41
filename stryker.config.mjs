/**
 * Mutation testing of the constructs and stacks: `npm run mutation` (docs/mutation.md). Not in CI:
 * a full run takes hours on two cores.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
// `npm run mutation:batches` runs the same configuration one group of files at a time
// (scripts/mutation-batches.mjs): each group keeps its own report and incremental file, so a run
// stopped part-way keeps the groups it finished.
const batch = process.env.ECG_MUTATION_BATCH;
const out = batch ? `reports/mutation/batches/${batch}` : 'reports/mutation/mutation';

export default {
  mutate: ['src/modules/**/*.ts', 'src/stacks/**/*.ts'],
  // Stryker's vitest runner, counting a test file or describe block that fails outside its tests
  // (a describe-level synth or an import that throws under the mutant) as a kill:
  // scripts/stryker-vitest-suites.mjs.
  testRunner: 'vitest-suites',
  plugins: ['@stryker-mutator/vitest-runner', './scripts/stryker-vitest-suites.mjs'],
  vitest: { configFile: 'vitest.mutation.config.mts', related: true },
  // Each mutant runs only the tests that executed it; a mutant hit while a test file loads
  // (a describe-level synth) runs every related test file with a fresh module graph.
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: batch ? `${out}.incremental.json` : 'reports/stryker-incremental.json',
  // One vitest worker per Stryker worker: two keep both cores busy (the main process mostly waits).
  concurrency: 2,
  // A synth takes about a second, several on a busy machine: a mutant counts as a timeout only
  // well past that.
  timeoutMS: 20000,
  // A mutant's run may take several times the dry run's time on a machine busy with other work; a
  // low factor would count such a slow run as a timeout, which Stryker scores as killed.
  timeoutFactor: 4,
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  // stryker.log (gitignored): npm run mutation:report reads the run time from it.
  fileLogLevel: 'info',
  htmlReporter: { fileName: `${out}.html` },
  jsonReporter: { fileName: `${out}.json` },
  thresholds: { high: 90, low: 85, break: null },
  // reports/ holds this and earlier runs' reports, which a sandbox never reads.
  ignorePatterns: ['cdktf.out', 'coverage', '.terraform', 'tfvars', 'reports'],
};
