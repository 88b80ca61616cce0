import { defineConfig } from 'vitest/config';

const PACKAGES = ['contract', 'server', 'scripts', 'infra', 'admin'];

// One runner for every package: each test file runs in its own forked process, so a file's
// PGlite instance, Pulumi mocks or server never leak into another file. Two projects split the
// same files once: `unit` (pure modules, `*.unit.test.ts`, seconds: `npm run test:unit`) and
// `integration` (everything that boots a database, a server, a browser or a CLI). `npm test` runs both.
export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default', './scripts/test/support/summaryReporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: PACKAGES.map((p) => `${p}/**/*.unit.test.ts`), exclude: ['**/node_modules/**'], testTimeout: 10_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: PACKAGES.map((p) => `${p}/test/**/*.test.ts`),
          exclude: ['**/node_modules/**', '**/*.unit.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
