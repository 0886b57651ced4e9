import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POST as loginPOST } from '@/app/api/auth/login/route';
import { queryAudit } from '../audit/log';
import { closeDatabase } from '../db';
import { freshDatabase } from '@/test/helpers/db';
import { login } from './login';
import { principalFromHeaders } from './principal';
import { sessionCookie } from './cookies';
import { createSession, endSessionByCookie, listSessions, resolveSession, revokeSession } from './sessions';
import { addUser, setDisabled, setUserGrant } from './users';

// Server-side sessions: made by a sign-in, ended by logout, by idling (KSC_SESSION_IDLE_MIN),
// by their absolute end (KSC_SESSION_MAX_HOURS), by a revoke from another session, by disabling
// the account. Times are injected (`now`) rather than waited for.
const PW = 'a long enough password';
const meta = { sourceAddress: '192.0.2.1', userAgent: 'vitest' };
const env = { ...process.env };
let userId = '';

beforeEach(async () => {
  await freshDatabase();
  userId = (await addUser({ username: 'sam', password: PW })).id;
  await setUserGrant(userId, 'operator', ['lab']);
});
afterEach(() => {
  for (const k of ['KSC_SESSION_IDLE_MIN', 'KSC_SESSION_MAX_HOURS', 'KSC_PUBLIC_URL']) if (env[k] === undefined) delete process.env[k];
  vi.useRealTimers();
});
afterAll(() => closeDatabase());

describe('sessions', () => {
  it('a sign-in creates a session the cookie value resolves to (only its sha256 is stored); the principal has the grants', async () => {
    const r = await login({ username: 'sam', password: PW }, meta);
    expect(r.username).toBe('sam');
    const s = await resolveSession(r.cookieValue);
    expect(s).toMatchObject({ userId, sourceAddress: '192.0.2.1', userAgent: 'vitest', groups: [] });
    const p = await principalFromHeaders(new Headers({ cookie: `other=1; ksc_session=${r.cookieValue}` }));
    expect(p).toMatchObject({ kind: 'user', username: 'sam', sessionId: s!.id, grants: [{ role: 'operator', hosts: ['lab'] }] });
    expect(await resolveSession(`${r.cookieValue}x`)).toBeNull();
    expect(await principalFromHeaders(new Headers({ cookie: 'ksc_session=forged' }))).toBeNull();
  });

  it('a wrong password, an unknown user and a disabled account get the same 401', async () => {
    const codes = async (u: string, pw: string) => login({ username: u, password: pw }, { sourceAddress: `198.51.100.${u.length}`, userAgent: null }).catch((e: { status: number; code: string; message: string }) => [e.status, e.code, e.message]);
    const wrong = await codes('sam', 'not the password');
    expect(wrong).toEqual([401, 'invalid-credentials', expect.any(String)]);
    expect(await codes('nobody', PW)).toEqual(wrong);
    await setDisabled('sam', true);
    expect(await codes('sam', PW)).toEqual(wrong);
    await expect(login({ username: 'sam' }, meta)).rejects.toMatchObject({ status: 422 });
  });

  it('idle expiry (KSC_SESSION_IDLE_MIN): use keeps it alive, a pause longer than the limit ends it', async () => {
    process.env.KSC_SESSION_IDLE_MIN = '10';
    const t0 = Date.now();
    const { cookieValue } = await createSession(userId);
    expect(await resolveSession(cookieValue, t0 + 9 * 60_000)).not.toBeNull(); // touched: idle counts from here
    expect(await resolveSession(cookieValue, t0 + 18 * 60_000)).not.toBeNull();
    expect(await resolveSession(cookieValue, t0 + 28 * 60_000 + 1)).toBeNull();
    expect(await listSessions(userId, t0 + 28 * 60_000 + 1)).toEqual([]);
  });

  it('absolute expiry (KSC_SESSION_MAX_HOURS): ends at the limit however active', async () => {
    process.env.KSC_SESSION_MAX_HOURS = '1';
    const t0 = Date.now();
    const { cookieValue, session } = await createSession(userId);
    expect(Date.parse(session.expiresAt) - Date.parse(session.createdAt)).toBe(3600_000);
    for (let m = 10; m < 60; m += 10) expect(await resolveSession(cookieValue, t0 + m * 60_000)).not.toBeNull();
    expect(await resolveSession(cookieValue, t0 + 3600_000 + 1)).toBeNull();
  });

  it('list my sessions, revoke one from another session; nobody else’s session can be revoked by id', async () => {
    const a = await createSession(userId, meta);
    const b = await createSession(userId, { sourceAddress: '192.0.2.2', userAgent: 'phone' });
    expect((await listSessions(userId)).map((s) => s.id).sort()).toEqual([a.session.id, b.session.id].sort());
    const other = (await addUser({ username: 'otto', password: PW })).id;
    await expect(revokeSession(other, b.session.id)).rejects.toMatchObject({ status: 404 });
    expect(await resolveSession(b.cookieValue)).not.toBeNull();
    // From session a, revoke b.
    expect((await principalFromHeaders(new Headers({ cookie: `ksc_session=${a.cookieValue}` })))?.sessionId).toBe(a.session.id);
    await revokeSession(userId, b.session.id);
    expect(await resolveSession(b.cookieValue)).toBeNull();
    expect(await resolveSession(a.cookieValue)).not.toBeNull();
    expect((await listSessions(userId)).map((s) => s.id)).toEqual([a.session.id]);
  });

  it('logout ends the session; disabling the account ends all of them', async () => {
    const a = await createSession(userId);
    const b = await createSession(userId);
    expect(await endSessionByCookie(a.cookieValue)).toMatchObject({ id: a.session.id });
    expect(await resolveSession(a.cookieValue)).toBeNull();
    expect(await endSessionByCookie('no-such-session')).toBeNull();
    await setDisabled('sam', true);
    expect(await resolveSession(b.cookieValue)).toBeNull();
  });

  it('the cookie: HttpOnly, SameSite=Strict, Path=/; with an https KSC_PUBLIC_URL also Secure with the __Host- prefix', async () => {
    const plain = sessionCookie('v', 3600);
    expect(plain.split('; ')).toEqual(['ksc_session=v', 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=3600']);
    process.env.KSC_PUBLIC_URL = 'https://ksc.example';
    expect(sessionCookie('v', 60).split('; ')).toEqual(['__Host-ksc_session=v', 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=60', 'Secure']);
    const { cookieValue } = await createSession(userId);
    expect(await principalFromHeaders(new Headers({ cookie: `ksc_session=${cookieValue}` }))).toBeNull(); // the prefixed name only
    expect(await principalFromHeaders(new Headers({ cookie: `__Host-ksc_session=${cookieValue}` }))).not.toBeNull();
  });

  it('POST /api/auth/login answers the cookie with those flags, and no session for a wrong password', async () => {
    const post = (body: unknown) => loginPOST(new Request('http://127.0.0.1:3000/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const ok = await post({ username: 'sam', password: PW });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ksc_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const bad = await post({ username: 'sam', password: 'not the password' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    // Both are in the audit log (written after the answer): the sign-in and the failed one.
    await vi.waitFor(async () => expect((await queryAudit({ op: 'auth.login', includeConsole: true })).map((r) => [r.actor, r.result])).toEqual([['sam', 'refused'], ['sam', 'ok']]));
  });
});
