import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: true,
    include: ['__tests__/**/*.test.ts'],
    setupFiles: ['__tests__/support/setup.ts'],
    globalSetup: ['__tests__/support/global-setup.ts'],
    // Most of the wall time is Terraform subprocesses (offline plans): more workers than cores
    // keeps both cores busy while one worker waits on a plan.
    maxWorkers: 4,
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
