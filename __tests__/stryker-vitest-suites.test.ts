import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// @ts-expect-error the plugin is plain JavaScript that Stryker loads (no types)
import * as plugin from '../scripts/stryker-vitest-suites.mjs';

interface Plugin {
  suiteFailure(files: unknown[]): string | undefined;
  countSuiteFailures<T>(runner: T): T;
  strykerPlugins: Array<{ kind: string; name: string; factory: { inject: string[] } }>;
}
const { suiteFailure, countSuiteFailures, strykerPlugins } = plugin as Plugin;

// Task trees shaped as vitest's state gives them (type, name, result, tasks).
const passed = { type: 'test', name: 'passes', result: { state: 'pass' } };
const failedTest = {
  type: 'test',
  name: 'fails',
  result: { state: 'fail', errors: [{ message: 'expected 1 to be 2' }] },
};
const file = (tasks: unknown[], result: object = { state: 'pass' }) => ({
  type: 'suite',
  name: 'a.test.ts',
  filepath: '/sandbox/__tests__/a.test.ts',
  result,
  tasks,
});

describe('suiteFailure', () => {
  it('names a file that failed to load (an import that throws), with its first error', () => {
    const broken = file([], { state: 'fail', errors: [{ message: 'Invalid time zone' }, { message: 'x' }] });
    expect(suiteFailure([file([passed]), broken])).toBe('/sandbox/__tests__/a.test.ts: Invalid time zone');
  });

  it('names a describe block whose body threw (a describe-level synth), by its path', () => {
    const describeBlock = {
      type: 'suite',
      name: 'staging',
      result: { state: 'fail', errors: [{ message: 'Invalid configuration (1 problem)' }] },
      tasks: [],
    };
    expect(suiteFailure([file([passed, describeBlock])])).toBe(
      '/sandbox/__tests__/a.test.ts > staging: Invalid configuration (1 problem)',
    );
  });

  it('ignores failing tests (the runner counts those) and suites that failed without an error', () => {
    expect(suiteFailure([file([passed, failedTest])])).toBeUndefined();
    expect(suiteFailure([file([passed], { state: 'fail', errors: [] })])).toBeUndefined();
    expect(suiteFailure([file([passed], { state: 'fail' })])).toBeUndefined();
    expect(suiteFailure([file([passed])])).toBeUndefined();
    expect(suiteFailure([])).toBeUndefined();
  });

  it('falls back to the file name and to the error itself where vitest gives no path or message', () => {
    const bare = { type: 'suite', name: 'b.test.ts', result: { state: 'fail', errors: ['boom'] }, tasks: [] };
    expect(suiteFailure([bare])).toBe('b.test.ts: boom');
  });
});

describe('countSuiteFailures', () => {
  function runner(status: string, files: unknown[]) {
    return {
      ctx: { state: { getFiles: () => files } },
      mutantRun: async (_options: object) => ({ status, nrOfTests: 7 }),
    };
  }

  it('turns a survived run with a failed suite into a kill that says why', async () => {
    const broken = file([], { state: 'fail', errors: [{ message: 'Invalid time zone' }] });
    await expect(countSuiteFailures(runner('survived', [broken])).mutantRun({})).resolves.toEqual({
      status: 'killed',
      failureMessage:
        'a test suite failed outside its tests: /sandbox/__tests__/a.test.ts: Invalid time zone',
      killedBy: [],
      nrOfTests: 7,
    });
  });

  it('leaves a survived run with no failed suite, and every other result, as they are', async () => {
    const broken = file([], { state: 'fail', errors: [{ message: 'late' }] });
    await expect(countSuiteFailures(runner('survived', [file([passed])])).mutantRun({})).resolves.toEqual({
      status: 'survived',
      nrOfTests: 7,
    });
    for (const status of ['killed', 'timeout', 'error']) {
      await expect(countSuiteFailures(runner(status, [broken])).mutantRun({})).resolves.toEqual({
        status,
        nrOfTests: 7,
      });
    }
  });
});

describe('the vitest-suites test runner', () => {
  const root = resolve(__dirname, '..');

  it('is a test runner built by an injected factory, as Stryker loads plugins', () => {
    expect(strykerPlugins.map(({ kind, name }) => [kind, name])).toEqual([['TestRunner', 'vitest-suites']]);
    expect(strykerPlugins[0].factory.inject).toEqual(['$injector']);
  });

  it('is the runner stryker.config.mjs uses, loaded from this file', async () => {
    const configFile = pathToFileURL(join(root, 'stryker.config.mjs')).href;
    const { default: config } = (await import(configFile)) as { default: Record<string, unknown> };
    expect(config.testRunner).toBe('vitest-suites');
    expect(config.plugins).toEqual(['@stryker-mutator/vitest-runner', './scripts/stryker-vitest-suites.mjs']);
  });
});
