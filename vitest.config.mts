import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: true,
    include: ['__tests__/**/*.test.ts'],
    setupFiles: ['__tests__/support/setup.ts'],
    globalSetup: ['__tests__/support/global-setup.ts'],
    // Most of the wall time is Terraform subprocesses (offline plans): a worker more than cores
    // keeps both cores busy while one waits on a plan; each further worker loads cdktf and the
    // app again (on 2 cores: 3 workers 61 s, 4 workers 63 s, 2 workers 68 s). Threads start and
    // load a little cheaper than processes; no test changes the working directory.
    pool: 'threads',
    maxWorkers: 3,
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
