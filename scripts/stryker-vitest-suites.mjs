/**
 * Stryker's vitest runner (`testRunner: 'vitest'`) as `testRunner: 'vitest-suites'`: the same
 * runner, except that a mutant run in which a test file or a describe block failed before its
 * tests ran counts as killed. The vitest runner counts only the tests it collected: a file whose
 * describe-level synth throws under a mutant, or whose import of the mutated module throws,
 * collects no test, and the runner reported that mutant as survived although `npm test` fails on
 * it (a failed suite counts as failed). stryker.config.mjs loads this file as a plugin.
 */
import { commonTokens, declareFactoryPlugin, PluginKind } from '@stryker-mutator/api/plugin';
import { MutantRunStatus } from '@stryker-mutator/api/test-runner';
import { strykerPlugins as vitestPlugins } from '@stryker-mutator/vitest-runner';

/**
 * The first error of a file or suite that failed on its own (not through a failing test), as
 * `path: message`; undefined when there is none. Tasks are vitest's (`ctx.state.getFiles()`).
 */
export function suiteFailure(files) {
  for (const file of files) {
    const found = failureIn(file, file.filepath ?? file.name);
    if (found) return found;
  }
  return undefined;
}

function failureIn(task, where) {
  if (task.type === 'test') return undefined;
  const errors = task.result?.errors ?? [];
  if (task.result?.state === 'fail' && errors.length > 0) {
    return `${where}: ${errors[0].message ?? String(errors[0])}`;
  }
  for (const child of task.tasks ?? []) {
    const found = failureIn(child, `${where} > ${child.name}`);
    if (found) return found;
  }
  return undefined;
}

/** Wraps a vitest runner's mutantRun: a survived run with a failed suite is a killed mutant. */
export function countSuiteFailures(runner) {
  const mutantRun = runner.mutantRun.bind(runner);
  runner.mutantRun = async (options) => {
    const result = await mutantRun(options);
    if (result.status !== MutantRunStatus.Survived) return result;
    const failure = suiteFailure(runner.ctx.state.getFiles());
    if (failure === undefined) return result;
    return {
      status: MutantRunStatus.Killed,
      failureMessage: `a test suite failed outside its tests: ${failure}`,
      killedBy: [],
      nrOfTests: result.nrOfTests,
    };
  };
  return runner;
}

const vitest = vitestPlugins.find(
  (plugin) => plugin.kind === PluginKind.TestRunner && plugin.name === 'vitest',
);

function createRunner(injector) {
  return countSuiteFailures(vitest.factory(injector));
}
createRunner.inject = [commonTokens.injector];

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'vitest-suites', createRunner)];
