import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: true,
    include: ['__tests__/**/*.test.ts'],
    setupFiles: ['__tests__/support/setup.ts'],
    globalSetup: ['__tests__/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
