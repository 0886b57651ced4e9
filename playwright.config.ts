import { defineConfig, devices } from '@playwright/test';
import { E2E_DATA_DIR, stateOf } from './e2e/auth';
import { OIDC_TEST_CLIENT, OIDC_TEST_LABEL, OIDC_TEST_ROLE_MAP } from './test/helpers/oidc-client';

/**
 * End-to-end specs against the real lab hosts (npm run lab:up) through `next start`.
 * The app is built beforehand by the test script. Chromium is Debian's: no browser download.
 */
// KSC_E2E_BASE_URL points the specs at a server you already run (e.g. `next dev`); no webServer then.
const external = process.env.KSC_E2E_BASE_URL;
// KSC_E2E_PORT: the port of the server Playwright starts (default 3100), so two checkouts can test side by side.
const port = Number(process.env.KSC_E2E_PORT ?? 3100);
// The test OpenID Connect provider (e2e/oidc.spec.ts), beside the console's port; its issuer is on
// `localhost`, so the sign-on crosses sites as it does with a real provider.
const oidcPort = Number(process.env.KSC_E2E_OIDC_PORT ?? port + 100);

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Generous: a cold read of a lab host with thousands of volumes takes tens of seconds.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? 'line' : [['list']],
  // Screenshots: specs write theirs to the test's output folder (e2e/shots.ts). The README-only
  // shots (@screenshots) run only under `npm run screenshots`, which sets KSC_SCREENSHOTS_DIR.
  grepInvert: process.env.KSC_SCREENSHOTS_DIR ? undefined : /@screenshots/,
  use: {
    ...devices['Desktop Chrome'],
    baseURL: external ?? `http://127.0.0.1:${port}`,
    headless: true,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    navigationTimeout: 60_000,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  // `setup` signs in one user per role (e2e/auth.setup.ts); the specs run signed in as the admin.
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    { name: 'console', dependencies: ['setup'], testIgnore: /auth\.setup\.ts/, use: { storageState: stateOf('admin') } },
  ],
  webServer: external
    ? undefined
    : [
        {
          command: `npx tsx scripts/oidc-dev-provider.ts --port ${oidcPort} --redirect http://127.0.0.1:${port}/api/auth/oidc/callback`,
          url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
          reuseExistingServer: !process.env.CI,
          timeout: 30_000,
        },
        {
          // The console's own server (scripts/start.mjs): it hands route handlers the caller's address.
          command: `node scripts/start.mjs`,
          // A static file: ready means the server answers, without waiting on SSH to every host.
          url: `http://127.0.0.1:${port}/favicon.svg`,
          env: {
            KSC_INVENTORY: 'lab/state/hosts.json',
            // The specs' users, sessions, audit log and jobs: a database of their own, not the demo's.
            KSC_DATA_DIR: E2E_DATA_DIR,
            HOST: '127.0.0.1',
            PORT: String(port),
            KSC_OIDC_ISSUER: `http://localhost:${oidcPort}`,
            KSC_OIDC_CLIENT_ID: OIDC_TEST_CLIENT.clientId,
            KSC_OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT.clientSecret,
            KSC_OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/api/auth/oidc/callback`,
            KSC_OIDC_ROLE_MAP: OIDC_TEST_ROLE_MAP,
            KSC_OIDC_LABEL: OIDC_TEST_LABEL,
          },
          reuseExistingServer: !process.env.CI,
          timeout: 120_000,
        },
      ],
});
