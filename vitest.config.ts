import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // 'server-only' throws outside a React Server environment; tests run server code directly.
      'server-only': path.resolve(import.meta.dirname, 'test/server-only-stub.ts'),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['{server,lib,components,app,bench,scripts}/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // The suites about the console's own database once more, on PostgreSQL (scripts/pg-test.sh):
        // each file gets an empty database of its own. The role matrix needs the lab, as above.
        extends: true,
        test: {
          name: 'integration-pg',
          include: [
            'server/{auth,audit,db,jobs}/**/*.test.ts',
            'app/api/jobs/**/*.test.ts',
            'test/pg/**/*.test.ts',
            'test/integration/role-matrix.test.ts',
          ],
          exclude: ['server/jobs/progress.test.ts'],
          globalSetup: ['test/pg/global-setup.ts'],
          setupFiles: ['test/pg/setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
