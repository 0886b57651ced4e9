import { expect, test, type Page } from '@playwright/test';
import { OIDC_TEST_LABEL } from '../test/helpers/oidc-client';
import { shot } from './shots';

/**
 * Single sign-on in Chromium through a real OpenID Connect provider: oidc-provider, started by
 * playwright.config.ts (scripts/oidc-dev-provider.ts) on `localhost` — another site than the
 * console on 127.0.0.1, as a real provider is. The user fills the provider's own login and
 * consent pages and lands on the console with the role their group gives (KSC_OIDC_ROLE_MAP:
 * ksc-admins → admin, ksc-viewers → viewer); a user whose groups give no role lands on the login
 * page with the reason.
 */
// Signed out: each test signs itself in through the provider (not the setup project's admin).
test.use({ storageState: { cookies: [], origins: [] } });

test.beforeEach(async ({ request }) => {
  const providers = (await (await request.get('/api/auth/providers')).json()) as { oidc: { label: string } | null };
  test.skip(!providers.oidc, 'this console runs without KSC_OIDC_* (an external KSC_E2E_BASE_URL)');
  expect(providers.oidc).toEqual({ label: OIDC_TEST_LABEL });
});

/** From the console's login page (its "Sign in with …" button) through the provider's pages. */
async function signOn(page: Page, user: string, next: string): Promise<void> {
  const consoleHost = new URL(test.info().project.use.baseURL!).host;
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  const button = page.getByRole('link', { name: `Sign in with ${OIDC_TEST_LABEL}` });
  await expect(button).toBeVisible();
  await button.click();

  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/interaction\//);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(`${user}-pw`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Consent (asked once per browser session at the provider), then back to the console.
  const onConsole = page.waitForURL((u) => u.host === consoleHost, { timeout: 30_000 });
  const allow = page.getByRole('button', { name: 'Allow' });
  const consentAsked = await Promise.race([allow.waitFor({ timeout: 30_000 }).then(() => true, () => false), onConsole.then(() => false)]);
  if (consentAsked) await allow.click();
  await onConsole;
}

async function me(page: Page) {
  const res = await page.request.get('/api/me');
  return { status: res.status(), body: res.ok() ? ((await res.json()) as { user: { username: string; displayName: string }; groups: string[]; consoleRole: string | null }) : null };
}

test('olivia (group ksc-admins) signs in through the provider and lands on the console as admin', async ({ page }) => {
  // The page after sign-in is opened with the new (SameSite=Strict) session cookie, although the
  // sign-on came from another site (without it, proxy.ts would send the browser back to /login).
  const landing = page.waitForRequest((r) => r.isNavigationRequest() && new URL(r.url()).pathname === '/jobs', { timeout: 60_000 });
  await signOn(page, 'olivia', '/jobs');
  const req = await landing;
  expect((await req.allHeaders()).cookie ?? '').toMatch(/(^|; )(__Host-)?ksc_session=/);
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  // The header's user menu: the name from the provider, the role from the group.
  await expect(page.getByRole('link', { name: /Olivia Admin\s*admin on every host/ })).toBeVisible();
  const m = await me(page);
  expect(m.status).toBe(200);
  expect(m.body).toMatchObject({ user: { username: 'olivia', displayName: 'Olivia Admin' }, groups: ['ksc-admins'], consoleRole: 'admin' });
});

test('victor (group ksc-viewers) is a viewer on every host', async ({ page }) => {
  await signOn(page, 'victor', '/jobs');
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole('link', { name: /Victor Viewer\s*viewer on every host/ })).toBeVisible();
  const m = await me(page);
  expect(m.body).toMatchObject({ user: { username: 'victor' }, groups: ['ksc-viewers'], consoleRole: 'viewer' });
});

test('nobody (no group with a role) is refused onto the login page with the reason', async ({ page }) => {
  await signOn(page, 'nobody', '/jobs');
  await expect(page).toHaveURL(/\/login\?error=oidc-no-role$/);
  expect((await me(page)).status).toBe(401);
  // The login page says why: the sentence for the code (lib/auth/oidc-errors.ts), or at least the code.
  await expect(page.getByRole('alert').filter({ hasText: 'your groups give no role here' })).toBeVisible();
  await page.screenshot({ path: shot('login-refused') });
});
