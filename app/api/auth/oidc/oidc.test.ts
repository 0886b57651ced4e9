import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryAudit } from '@/server/audit/log';
import { forgetOidcDiscovery } from '@/server/auth/oidc';
import { createToken } from '@/server/auth/tokens';
import { addGrant, addUser, findUser } from '@/server/auth/users';
import { closeDatabase } from '@/server/db';
import { freshDatabase } from '@/test/helpers/db';
import { OIDC_TEST_CLIENT, OIDC_TEST_ROLE_MAP, OIDC_TEST_USERS, startOidcProvider, type OidcTestProvider } from '@/test/helpers/oidc-provider';
import { until } from '@/test/helpers/until';
import { GET as meGET } from '../../me/route';
import { POST as loginPOST } from '../login/route';
import { GET as providersGET } from '../providers/route';
import { GET as callbackGET } from './callback/route';
import { GET as startGET } from './start/route';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider on loopback, started here):
 * a "browser" made of fetch with manual redirects and a cookie jar walks the provider's login and
 * consent forms, and the console's side is its route handlers called directly — the same
 * functions `next start` serves. Roles come from the groups claim (KSC_OIDC_ROLE_MAP and a group
 * grant in the database); no group, a tampered state, a denied consent and a local account with
 * the same name are refused onto /login?error=….
 */
const CONSOLE = 'http://127.0.0.1:3999';
const CALLBACK = `${CONSOLE}/api/auth/oidc/callback`;
const env = { ...process.env };
let op: OidcTestProvider;

beforeAll(async () => {
  await freshDatabase(); // SQLite in a temp directory, or the test file's PostgreSQL database emptied
  delete process.env.KSC_PUBLIC_URL;
  op = await startOidcProvider({ redirectUris: [CALLBACK] });
  Object.assign(process.env, {
    KSC_OIDC_ISSUER: op.issuer,
    KSC_OIDC_CLIENT_ID: OIDC_TEST_CLIENT.clientId,
    KSC_OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT.clientSecret,
    KSC_OIDC_REDIRECT_URL: CALLBACK,
    KSC_OIDC_ROLE_MAP: OIDC_TEST_ROLE_MAP,
    KSC_OIDC_LABEL: 'Test IdP',
  });
  forgetOidcDiscovery();
  // Operators: a group grant in the database (npm run user -- grant group:ksc-ops --role operator --hosts lab).
  await addGrant({ subjectKind: 'group', subject: 'ksc-ops', role: 'operator', hosts: ['lab'] });
}, 30_000);

afterAll(async () => {
  await op?.close();
  process.env = { ...env };
  forgetOidcDiscovery();
  await closeDatabase();
});

/** A browser's cookies, per origin (paths and expiry beyond deletion are not needed here). */
class Jar {
  private readonly byOrigin = new Map<string, Map<string, string>>();
  take(url: string, res: Response): void {
    const jar = this.for(url);
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (gone || !value) jar.delete(name);
      else jar.set(name, value);
    }
  }
  header(url: string): string {
    return [...this.for(url)].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(url: string, name: string): string | undefined {
    return this.for(url).get(name);
  }
  private for(url: string) {
    const o = new URL(url).origin;
    let m = this.byOrigin.get(o);
    if (!m) this.byOrigin.set(o, (m = new Map()));
    return m;
  }
}

const navHeaders = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'user-agent': 'vitest-browser' };

/** Call a console route handler as a browser navigation would. */
async function consoleGet(jar: Jar, url: string, handler: (req: Request) => Promise<Response>): Promise<Response> {
  const res = await handler(new Request(url, { headers: { ...navHeaders, cookie: jar.header(url) } }));
  jar.take(url, res);
  return res;
}

async function opFetch(jar: Jar, url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: { cookie: jar.header(url), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
  });
  jar.take(url, res);
  return res;
}

const formAction = (html: string, suffix: string) => {
  const m = new RegExp(`action="(/interaction/[^"]+/${suffix})"`).exec(html);
  if (!m) throw new Error(`no ${suffix} form in: ${html.slice(0, 500)}`);
  return m[1]!;
};

/**
 * Walk the provider from its authorization URL until it sends the browser back to the console:
 * fill the login form with `who`, then allow (or deny) on the consent page.
 */
async function throughProvider(jar: Jar, authUrl: string, who: { user: string; password?: string }, consent: 'allow' | 'deny' = 'allow'): Promise<string> {
  let url = authUrl;
  for (let hops = 0; hops < 20; hops++) {
    if (url.startsWith(CONSOLE)) return url;
    const res = await opFetch(jar, url);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const page = await res.text();
    expect(res.status, page).toBe(200);
    const next = page.includes('/login"')
      ? await opFetch(jar, new URL(formAction(page, 'login'), url).href, { method: 'POST', form: { login: who.user, password: who.password ?? `${who.user}-pw` } })
      : await opFetch(jar, new URL(formAction(page, consent === 'allow' ? 'confirm' : 'abort'), url).href, { method: 'POST', form: {} });
    expect(next.status, await next.clone().text()).toBeGreaterThanOrEqual(300);
    url = new URL(next.headers.get('location')!, url).href;
  }
  throw new Error('the provider never sent the browser back');
}

/** The target of a `<meta http-equiv="refresh">` page (the callback's answer). */
const refreshTarget = (html: string) => /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(html)?.[1]?.replace(/&#38;/g, '&') ?? null;

interface Outcome {
  start: Response;
  callback: Response;
  to: string | null;
  jar: Jar;
}

async function signIn(who: { user: string; password?: string }, opts: { next?: string; consent?: 'allow' | 'deny'; tamper?: (callbackUrl: string) => string; jar?: Jar } = {}): Promise<Outcome> {
  const jar = opts.jar ?? new Jar();
  const start = await consoleGet(jar, `${CONSOLE}/api/auth/oidc/start?next=${encodeURIComponent(opts.next ?? '/hosts/lab')}`, startGET);
  expect(start.status).toBe(302);
  const back = await throughProvider(jar, start.headers.get('location')!, who, opts.consent);
  const callback = await consoleGet(jar, opts.tamper ? opts.tamper(back) : back, callbackGET);
  const to = refreshTarget(await callback.clone().text());
  return { start, callback, to, jar };
}

async function me(jar: Jar) {
  const res = await meGET(new Request(`${CONSOLE}/api/me`, { headers: { cookie: jar.header(CONSOLE) } }));
  return { status: res.status, body: (await res.json()) as { user: { username: string; displayName: string | null }; groups: string[]; grants: Array<{ role: string; hosts: unknown }>; consoleRole: string | null } };
}

const lastAudit = (actor: string, result: string) =>
  until(async () => (await queryAudit({ op: 'auth.oidc', user: actor, result, hosts: '*', includeConsole: true, limit: 1 }))[0], { what: `the auth.oidc ${result} record of ${actor}` });

describe('OIDC sign-in against a real provider', () => {
  it('GET /api/auth/providers names the sign-on button (public)', async () => {
    const res = await providersGET(new Request(`${CONSOLE}/api/auth/providers`));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ local: true, oidc: { label: 'Test IdP' } });
  });

  it('start sends the browser to the provider with state, nonce and PKCE S256, kept in a Lax HttpOnly cookie', async () => {
    const jar = new Jar();
    const res = await consoleGet(jar, `${CONSOLE}/api/auth/oidc/start?next=/jobs`, startGET);
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.origin).toBe(op.issuer);
    expect(loc.searchParams.get('client_id')).toBe(OIDC_TEST_CLIENT.clientId);
    expect(loc.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(loc.searchParams.get('response_type')).toBe('code');
    expect(loc.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['state', 'nonce', 'code_challenge']) expect(loc.searchParams.get(p)).toMatch(/^[\w-]{20,}$/);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ksc_oidc='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=600/);
  });

  it('olivia (group ksc-admins, KSC_OIDC_ROLE_MAP) signs in as admin on every host and lands on next', async () => {
    const { callback, to, jar } = await signIn({ user: 'olivia' }, { next: '/hosts/lab?tab=pools' });
    expect(callback.status).toBe(200);
    expect(to).toBe('/hosts/lab?tab=pools');
    const session = callback.headers.getSetCookie().find((c) => c.startsWith('ksc_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(callback.headers.getSetCookie().some((c) => /^ksc_oidc=;.*Max-Age=0/.test(c))).toBe(true); // the attempt's cookie is cleared
    const m = await me(jar);
    expect(m.status).toBe(200);
    expect(m.body.user).toEqual(expect.objectContaining({ username: 'olivia', displayName: 'Olivia Admin' }));
    expect(m.body.groups).toEqual(['ksc-admins']);
    expect(m.body.consoleRole).toBe('admin');
    const u = await findUser('olivia');
    expect(u).toMatchObject({ source: 'oidc', hasPassword: false });
    const rec = await lastAudit('olivia', 'ok');
    expect(rec).toMatchObject({ operation: 'auth.oidc', object_kind: 'user', object: 'olivia', status: 200 });
    expect(rec.detail).toMatchObject({ created: true, groups: ['ksc-admins'], subject: 'olivia', issuer: op.issuer });
    expect(JSON.stringify(rec)).not.toMatch(/code=|access_token|id_token/);

    // A second sign-in finds the same account (by issuer + sub).
    const again = await signIn({ user: 'olivia' });
    expect(again.callback.status).toBe(200);
    expect((await me(again.jar)).body.user.username).toBe('olivia');
    expect((await lastAudit('olivia', 'ok')).detail).toMatchObject({ created: false });
  });

  it('victor (group ksc-viewers) is a viewer; carol (ksc-ops, a database group grant) an operator on lab only', async () => {
    const v = await signIn({ user: 'victor' });
    expect(v.callback.status).toBe(200);
    const vm = await me(v.jar);
    expect(vm.body.consoleRole).toBe('viewer');
    expect(vm.body.grants).toEqual([{ role: 'viewer', hosts: '*' }]);

    const c = await signIn({ user: 'carol' });
    expect(c.callback.status).toBe(200);
    const cm = await me(c.jar);
    expect(cm.body.groups).toEqual(['ksc-ops', 'staff']);
    expect(cm.body.consoleRole).toBeNull();
    expect(cm.body.grants).toEqual([{ role: 'operator', hosts: ['lab'] }]);

    // carol's API token acts with the groups of her last sign-in (a token has no session).
    const u = (await findUser('carol'))!;
    const { token } = await createToken({ userId: u.id, ownerRole: 'operator', name: 'ci', role: 'viewer' });
    const byToken = await meGET(new Request('http://127.0.0.1:3000/api/me', { headers: { authorization: `Bearer ${token}` } }));
    expect(byToken.status).toBe(200);
    const tm = (await byToken.json()) as { grants: unknown; groups: unknown };
    expect(tm.groups).toEqual(['ksc-ops', 'staff']);
    expect(tm.grants).toEqual([{ role: 'viewer', hosts: ['lab'] }]); // capped at the token's role
  });

  it('nobody (no group with a role) is refused onto /login?error=oidc-no-role, and no account is made', async () => {
    const { callback, to, jar } = await signIn({ user: 'nobody' });
    expect(callback.status).toBe(403);
    expect(to).toBe('/login?error=oidc-no-role');
    expect(await callback.text()).toContain('your groups give no role here');
    expect(callback.headers.getSetCookie().some((c) => c.startsWith('ksc_session='))).toBe(false);
    expect(jar.get(CONSOLE, 'ksc_session')).toBeUndefined();
    expect(await findUser('nobody')).toBeNull();
    const rec = await lastAudit('nobody', 'refused');
    expect(rec).toMatchObject({ status: 403 });
    expect(rec.detail).toMatchObject({ error: { code: 'oidc-no-role' }, groups: [] });
  });

  it('a tampered state, or a callback in a browser that did not start the sign-in, is refused (oidc-state)', async () => {
    const tampered = await signIn({ user: 'olivia' }, { tamper: (u) => u.replace(/([?&]state=)[^&]+/, '$1forged-state-value') });
    expect(tampered.callback.status).toBe(401);
    expect(tampered.to).toBe('/login?error=oidc-state');
    expect(tampered.jar.get(CONSOLE, 'ksc_session')).toBeUndefined();

    // The provider's answer replayed in another browser (no attempt cookie there).
    const jar = new Jar();
    const start = await consoleGet(jar, `${CONSOLE}/api/auth/oidc/start`, startGET);
    const back = await throughProvider(jar, start.headers.get('location')!, { user: 'olivia' });
    const elsewhere = await consoleGet(new Jar(), back, callbackGET);
    expect(elsewhere.status).toBe(401);
    expect(refreshTarget(await elsewhere.text())).toBe('/login?error=oidc-state');

    // A forged code with the right state: the code exchange fails (oidc-failed), no session.
    const jar2 = new Jar();
    const s2 = await consoleGet(jar2, `${CONSOLE}/api/auth/oidc/start`, startGET);
    const state = new URL(s2.headers.get('location')!).searchParams.get('state')!;
    const forged = await consoleGet(jar2, `${CALLBACK}?code=forged-code&state=${state}&iss=${encodeURIComponent(op.issuer)}`, callbackGET);
    expect(forged.status).toBe(401);
    expect(refreshTarget(await forged.text())).toBe('/login?error=oidc-failed');
    expect(jar2.get(CONSOLE, 'ksc_session')).toBeUndefined();
    // (the original code is still good in the original browser)
    const ok = await consoleGet(jar, back, callbackGET);
    expect(ok.status).toBe(200);
  });

  it('denied consent lands on /login?error=oidc-denied', async () => {
    const { callback, to } = await signIn({ user: 'victor' }, { consent: 'deny' });
    expect(callback.status).toBe(401);
    expect(to).toBe('/login?error=oidc-denied');
  });

  it('a local account with the same user name is not taken over (oidc-local-account); its password still works', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await addUser({ username: 'dora', password: 'dora-local-password-1' });
    const { callback, to } = await signIn({ user: 'dora' });
    expect(callback.status).toBe(403);
    expect(to).toBe('/login?error=oidc-local-account');
    expect(await findUser('dora')).toMatchObject({ source: 'local', hasPassword: true });
    const login = await loginPOST(
      new Request(`${CONSOLE}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dora', password: 'dora-local-password-1' }) }),
    );
    expect(login.status).toBe(200);
    expect((await lastAudit('dora', 'refused')).detail).toMatchObject({ error: { code: 'oidc-local-account' } });
    vi.restoreAllMocks();
  });

  it('next is a same-origin path only', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/login?error=x']) {
      const { to } = await signIn({ user: 'olivia' }, { next });
      expect(to, next).toBe('/');
    }
  });

  it('a disabled OIDC account cannot sign in', async () => {
    const { setDisabled } = await import('@/server/auth/users');
    await setDisabled('victor', true);
    const { callback, to } = await signIn({ user: 'victor' });
    expect(callback.status).toBe(403);
    expect(to).toBe('/login?error=oidc-disabled');
    await setDisabled('victor', false);
  });
});

describe('a provider that puts groups in the ID token, at another issuer', () => {
  it('signs in without asking userinfo; a user name another issuer already holds is not taken over (oidc-name-taken)', async () => {
    expect(op.requests.filter((r) => r === 'GET /me').length).toBeGreaterThan(0); // the first provider: groups from userinfo
    const users = { ida: { ...OIDC_TEST_USERS.olivia!, name: 'Ida', email: 'ida@example.test', password: 'ida-pw' }, victor: OIDC_TEST_USERS.victor! };
    const other = await startOidcProvider({ redirectUris: [CALLBACK], claimsInIdToken: true, users });
    const saved = process.env.KSC_OIDC_ISSUER;
    process.env.KSC_OIDC_ISSUER = other.issuer;
    try {
      const ida = await signIn({ user: 'ida' });
      expect(ida.callback.status).toBe(200);
      expect((await me(ida.jar)).body).toMatchObject({ groups: ['ksc-admins'], consoleRole: 'admin' });
      expect(other.requests).not.toContain('GET /me');
      // victor exists already, as the first issuer's identity: refused, never merged.
      const victor = await signIn({ user: 'victor' });
      expect(victor.callback.status).toBe(403);
      expect(victor.to).toBe('/login?error=oidc-name-taken');
    } finally {
      process.env.KSC_OIDC_ISSUER = saved;
      await other.close();
    }
  });
});

describe('OIDC off', () => {
  it('providers says null; start lands on /login?error=oidc-off', async () => {
    const saved = process.env.KSC_OIDC_ISSUER;
    delete process.env.KSC_OIDC_ISSUER;
    try {
      expect(await (await providersGET(new Request(`${CONSOLE}/api/auth/providers`))).json()).toEqual({ local: true, oidc: null });
      const res = await startGET(new Request(`${CONSOLE}/api/auth/oidc/start`));
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/login?error=oidc-off');
    } finally {
      process.env.KSC_OIDC_ISSUER = saved;
    }
  });
});
