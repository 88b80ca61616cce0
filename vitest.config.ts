import { defineConfig } from 'vitest/config';

// One runner for every package: each test file runs in its own forked process, so a file's
// PGlite instance, Pulumi mocks or server never leak into another file.
export default defineConfig({
  test: {
    include: [
      'server/test/**/*.test.ts',
      'scripts/test/**/*.test.ts',
      'infra/test/**/*.test.ts',
      'admin/test/**/*.test.ts',
    ],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './scripts/test/support/summaryReporter.ts'],
  },
});
