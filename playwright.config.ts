import { defineConfig, devices } from '@playwright/test';
import { stateOf } from './e2e/auth';

/**
 * End-to-end specs against the real lab hosts (npm run lab:up) through `next start`.
 * The app is built beforehand by the test script. Chromium is Debian's: no browser download.
 */
// KSC_E2E_BASE_URL points the specs at a server you already run (e.g. `next dev`); no webServer then.
const external = process.env.KSC_E2E_BASE_URL;
// KSC_E2E_PORT: the port of the server Playwright starts (default 3100), so two checkouts can test side by side.
const port = Number(process.env.KSC_E2E_PORT ?? 3100);

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
    : {
        // The console's own server (scripts/start.mjs): it hands route handlers the caller's address.
        command: `node scripts/start.mjs`,
        // A static file: ready means the server answers, without waiting on SSH to every host.
        url: `http://127.0.0.1:${port}/favicon.svg`,
        env: { KSC_INVENTORY: 'lab/state/hosts.json', HOST: '127.0.0.1', PORT: String(port) },
        reuseExistingServer: !process.env.CI,
        timeout: 120_000,
      },
});
