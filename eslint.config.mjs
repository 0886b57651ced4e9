import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

/**
 * Layering (docs/ARCHITECTURE.md): components → lib → app/api → server, one way only.
 * Browser-side code must never import server/: it would drag SSH keys, child_process and
 * the host inventory into the client bundle (or, with 'server-only', break the build).
 */
const serverImport = {
  group: ['@/server', '@/server/*', '@/server/**', '**/../server', '**/../server/*', '**/../server/**', './server', './server/**'],
  message: 'components/ and lib/ must not import server/ — go through the API (lib/api/*) or receive data as props.',
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    files: ['components/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [serverImport] }],
    },
  },
  {
    rules: {
      // `_`-prefixed names are deliberate placeholders (unused route-handler arguments).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  globalIgnores(['.next/**', 'out/**', 'build/**', 'next-env.d.ts', 'lab/state/**', 'test-results/**', 'playwright-report/**']),
]);
