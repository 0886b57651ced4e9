import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE as grantDELETE } from '@/app/api/grants/[grant]/route';
import { GET as grantsGET, POST as grantsPOST } from '@/app/api/grants/route';
import { POST as loginPOST } from '@/app/api/auth/login/route';
import { GET as meGET } from '@/app/api/me/route';
import { DELETE as mySessionDELETE } from '@/app/api/me/sessions/[session]/route';
import { GET as mySessionsGET } from '@/app/api/me/sessions/route';
import { DELETE as tokenDELETE } from '@/app/api/tokens/[token]/route';
import { GET as tokensGET, POST as tokensPOST } from '@/app/api/tokens/route';
import { PATCH as userPATCH } from '@/app/api/users/[user]/route';
import { DELETE as userSessionDELETE } from '@/app/api/users/[user]/sessions/[session]/route';
import { GET as userSessionsGET } from '@/app/api/users/[user]/sessions/route';
import { GET as usersGET, POST as usersPOST } from '@/app/api/users/route';
import type { HostScope, Role } from '@/lib/auth/roles';
import { queryAudit } from '@/server/audit/log';
import { createToken } from '@/server/auth/tokens';
import { addUser, requireUser, setUserGrant } from '@/server/auth/users';
import { closeDatabase } from '@/server/db';
import { authHeaders } from '../helpers/auth';
import { LAB_INVENTORY } from '../helpers/lab';

// The account and administration API through the route handlers themselves, in a database of its
// own (SQLite in a temp KSC_DATA_DIR, or PostgreSQL when DATABASE_URL is set): sessions (list, revoke mine, an admin revokes anyone's), API tokens (shown once, capped at
// the owner's role, refused once expired), users and grants (a console admin's), disabling.
const data = mkdtempSync(path.join(tmpdir(), 'ksc-account-'));
const env = { ...process.env };

beforeAll(async () => {
  process.env.KSC_DATA_DIR = data;
  process.env.KSC_INVENTORY = LAB_INVENTORY;
  await closeDatabase();
});
afterAll(async () => {
  await closeDatabase();
  process.env = { ...env };
  rmSync(data, { recursive: true, force: true });
});

type Headers = Record<string, string>;
const call = (method: string, url: string, headers: Headers, body?: unknown) =>
  new Request(`http://127.0.0.1${url}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

let n = 0;
/** A user with one grant and a password. */
async function user(role: Role, hosts: HostScope = '*'): Promise<{ name: string; password: string }> {
  const name = `acct-${role}-${++n}`;
  const password = `pw-${name}-long-enough`;
  const u = await addUser({ username: name, password });
  await setUserGrant(u.id, role, hosts);
  return { name, password };
}

/** Sign in through the login route: the session cookie, as a browser would send it back. */
async function signIn(u: { name: string; password: string }, ua = 'vitest'): Promise<Headers> {
  const res = await loginPOST(call('POST', '/api/auth/login', { 'user-agent': ua }, { username: u.name, password: u.password }));
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers.get('set-cookie')!;
  return { cookie: cookie.split(';', 1)[0]! };
}

const me = (h: Headers) => meGET(call('GET', '/api/me', h));

describe('API tokens', () => {
  it('a new token is in its answer once, never in the list, and works as a Bearer token acting as its owner', async () => {
    const op = await user('operator', ['lab']);
    const cookie = await signIn(op);
    const res = await tokensPOST(call('POST', '/api/tokens', cookie, { name: 'ci', expires: '1d' }));
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const { token, record } = (await res.json()) as { token: string; record: { id: string; role: string; user: string; expiresAt: string } };
    expect(token).toMatch(/^ksc_[0-9a-f]{12}_/);
    expect(record).toMatchObject({ role: 'operator', user: op.name });
    expect(Date.parse(record.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);

    const list = await tokensGET(call('GET', '/api/tokens', cookie));
    const text = await list.text();
    expect(text).toContain(record.id);
    expect(text).not.toContain(token.split('_')[2]);

    const asToken = await me(bearer(token));
    expect(asToken.status).toBe(200);
    expect(await asToken.json()).toMatchObject({ user: { username: op.name }, via: { kind: 'token', tokenId: record.id }, hosts: [{ id: 'lab', role: 'operator' }] });

    const revoked = await tokenDELETE(call('DELETE', `/api/tokens/${record.id}`, cookie), params({ token: record.id }));
    expect(revoked.status).toBe(200);
    expect((await me(bearer(token))).status).toBe(401);
  });

  it('a token above its owner’s role is refused 403; at or below it is made', async () => {
    const op = await user('operator');
    const cookie = await signIn(op);
    const res = await tokensPOST(call('POST', '/api/tokens', cookie, { name: 'too strong', role: 'admin' }));
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: 'forbidden' });
    expect((await tokensPOST(call('POST', '/api/tokens', cookie, { name: 'weaker', role: 'viewer' }))).status).toBe(201);
  });

  it('a token whose expiry has passed is 401, and a bad body is a 422 naming the field', async () => {
    const v = await user('viewer');
    const u = await requireUser(v.name);
    const { token } = await createToken({ userId: u.id, ownerRole: 'viewer', name: 'old', expires: new Date(Date.now() - 60_000).toISOString() });
    const res = await me(bearer(token));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');

    const bad = await tokensPOST(call('POST', '/api/tokens', await signIn(v), { name: 'x', expires: 'next week' }));
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('expires');
  });

  it('another user’s tokens are a console admin’s to list and revoke (?user=); anyone else gets 403', async () => {
    const op = await user('operator');
    const cookie = await signIn(op);
    const { record } = (await (await tokensPOST(call('POST', '/api/tokens', cookie, { name: 'mine' }))).json()) as { record: { id: string } };
    const other = await signIn(await user('operator'));
    expect((await tokensGET(call('GET', `/api/tokens?user=${op.name}`, other))).status).toBe(403);
    expect((await tokenDELETE(call('DELETE', `/api/tokens/${record.id}`, other), params({ token: record.id }))).status).toBe(404);

    const admin = await authHeaders('admin');
    const listed = (await (await tokensGET(call('GET', `/api/tokens?user=${op.name}`, admin))).json()) as Array<{ id: string; user: string }>;
    expect(listed).toEqual([expect.objectContaining({ id: record.id, user: op.name })]);
    const del = await tokenDELETE(call('DELETE', `/api/tokens/${record.id}?user=${op.name}`, admin), params({ token: record.id }));
    expect(del.status).toBe(200);
  });
});

describe('sessions', () => {
  it('I see my sessions with this one marked; revoking my other one makes it 401; revoking this one signs me out', async () => {
    const v = await user('viewer');
    const a = await signIn(v, 'browser A');
    const b = await signIn(v, 'browser B');
    const list = (await (await mySessionsGET(call('GET', '/api/me/sessions', a))).json()) as Array<{ id: string; current: boolean; userAgent: string }>;
    expect(list).toHaveLength(2);
    expect(list.find((s) => s.current)?.userAgent).toBe('browser A');
    const other = list.find((s) => !s.current)!;

    const res = await mySessionDELETE(call('DELETE', `/api/me/sessions/${other.id}`, a), params({ session: other.id }));
    expect(await res.json()).toEqual({ revoked: other.id, signedOut: false });
    expect((await me(b)).status).toBe(401);
    expect((await me(a)).status).toBe(200);

    const mine = list.find((s) => s.current)!;
    const out = await mySessionDELETE(call('DELETE', `/api/me/sessions/${mine.id}`, a), params({ session: mine.id }));
    expect(await out.json()).toEqual({ revoked: mine.id, signedOut: true });
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await me(a)).status).toBe(401);
  });

  it('another user’s session id is not mine to revoke (404)', async () => {
    const x = await signIn(await user('viewer'));
    const y = await signIn(await user('viewer'));
    const [ys] = (await (await mySessionsGET(call('GET', '/api/me/sessions', y))).json()) as Array<{ id: string }>;
    expect((await mySessionDELETE(call('DELETE', `/api/me/sessions/${ys!.id}`, x), params({ session: ys!.id }))).status).toBe(404);
    expect((await me(y)).status).toBe(200);
  });

  it('an admin lists and revokes another user’s session', async () => {
    const op = await user('operator');
    const cookie = await signIn(op);
    const admin = await authHeaders('admin');
    const list = (await (await userSessionsGET(call('GET', `/api/users/${op.name}/sessions`, admin), params({ user: op.name }))).json()) as Array<{ id: string }>;
    expect(list).toHaveLength(1);
    const res = await userSessionDELETE(call('DELETE', `/api/users/${op.name}/sessions/${list[0]!.id}`, admin), params({ user: op.name, session: list[0]!.id }));
    expect(res.status).toBe(200);
    expect((await me(cookie)).status).toBe(401);
  });
});

describe('users and grants', () => {
  it('a non-admin gets 403 on /api/users naming the role it needs; an admin on only some hosts too', async () => {
    const op = await signIn(await user('operator'));
    const res = await usersGET(call('GET', '/api/users', op));
    expect(res.status).toBe(403);
    expect((await errorOf(res)).message).toMatch(/needs the admin role on every host/);
    const hostAdmin = await signIn(await user('admin', ['lab']));
    expect((await usersGET(call('GET', '/api/users', hostAdmin))).status).toBe(403);
    expect((await grantsPOST(call('POST', '/api/grants', hostAdmin, { subjectKind: 'group', subject: 'g', role: 'admin', hosts: '*' }))).status).toBe(403);
  });

  it('an admin adds a user with a generated password (shown once) and a grant; the user signs in with it and sees only that host', async () => {
    const admin = await authHeaders('admin');
    const res = await usersPOST(call('POST', '/api/users', admin, { username: 'acct-new', displayName: 'New One', grant: { role: 'viewer', hosts: ['lab2'] } }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { username: string; grants: Array<{ role: string; hosts: unknown }> }; password: string };
    expect(body.user).toMatchObject({ username: 'acct-new', grants: [{ role: 'viewer', hosts: ['lab2'] }] });
    expect(body.password).toHaveLength(20);
    const cookie = await signIn({ name: 'acct-new', password: body.password });
    expect(await (await me(cookie)).json()).toMatchObject({ hosts: [{ id: 'lab2', role: 'viewer' }] });
    const listed = (await (await usersGET(call('GET', '/api/users', admin))).json()) as Array<{ username: string }>;
    expect(listed.map((u) => u.username)).toContain('acct-new');
    expect(JSON.stringify(listed)).not.toContain(body.password);
    expect((await usersPOST(call('POST', '/api/users', admin, { username: 'acct-new' }))).status).toBe(409);
  });

  it('disabling a user ends their sessions and tokens; enabling lets them sign in again; an admin cannot disable themself', async () => {
    const op = await user('operator');
    const cookie = await signIn(op);
    const { token } = (await (await tokensPOST(call('POST', '/api/tokens', cookie, { name: 't' }))).json()) as { token: string };
    const admin = await signIn(await user('admin'));
    const res = await userPATCH(call('PATCH', `/api/users/${op.name}`, admin, { disabled: true }), params({ user: op.name }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { disabled: boolean } }).user.disabled).toBe(true);
    expect((await me(cookie)).status).toBe(401);
    expect((await me(bearer(token))).status).toBe(401);
    expect((await loginPOST(call('POST', '/api/auth/login', {}, { username: op.name, password: op.password }))).status).toBe(401);

    await userPATCH(call('PATCH', `/api/users/${op.name}`, admin, { disabled: false }), params({ user: op.name }));
    await signIn(op);

    const self = (await (await me(admin)).json()) as { user: { username: string } };
    const own = await userPATCH(call('PATCH', `/api/users/${self.user.username}`, admin, { disabled: true }), params({ user: self.user.username }));
    expect(own.status).toBe(409);
    expect((await me(admin)).status).toBe(200);
  });

  it('a password reset ends the user’s sessions; the generated password is answered once', async () => {
    const v = await user('viewer');
    const cookie = await signIn(v);
    const admin = await authHeaders('admin');
    const res = await userPATCH(call('PATCH', `/api/users/${v.name}`, admin, { generatePassword: true }), params({ user: v.name }));
    const { password } = (await res.json()) as { password: string };
    expect((await me(cookie)).status).toBe(401);
    await signIn({ name: v.name, password });
  });

  it('grants: hosts are checked against the inventory; a group grant is listed and removed; my own last console-admin grant stays', async () => {
    const admin = await signIn(await user('admin'));
    const bad = await grantsPOST(call('POST', '/api/grants', admin, { subjectKind: 'group', subject: 'ops', role: 'operator', hosts: ['lab', 'no-such-host'] }));
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).message).toContain('no-such-host');
    const ok = await grantsPOST(call('POST', '/api/grants', admin, { subjectKind: 'group', subject: 'ops', role: 'operator', hosts: ['lab'] }));
    expect(ok.status).toBe(201);
    const g = (await ok.json()) as { id: string; subjectName: string };
    expect(g.subjectName).toBe('ops');
    const all = (await (await grantsGET(call('GET', '/api/grants', admin))).json()) as Array<{ id: string }>;
    expect(all.map((x) => x.id)).toContain(g.id);
    expect((await grantDELETE(call('DELETE', `/api/grants/${g.id}`, admin), params({ grant: g.id }))).status).toBe(200);

    const myName = ((await (await me(admin)).json()) as { user: { username: string } }).user.username;
    const mine = (await (await usersGET(call('GET', '/api/users', admin))).json()) as Array<{ username: string; grants: Array<{ id: string }> }>;
    const myGrant = mine.find((u) => u.username === myName)!.grants[0]!;
    const refused = await grantDELETE(call('DELETE', `/api/grants/${myGrant.id}`, admin), params({ grant: myGrant.id }));
    expect(refused.status).toBe(409);
    expect((await usersGET(call('GET', '/api/users', admin))).status).toBe(200);
  });

  it('the audit log names what changed — the token id, the user, the grant — and never a secret', async () => {
    const admin = await authHeaders('admin');
    const { token, record } = (await (await tokensPOST(call('POST', '/api/tokens', admin, { name: 'audited' }))).json()) as { token: string; record: { id: string } };
    const made = (await (await usersPOST(call('POST', '/api/users', admin, { username: 'acct-audited' }))).json()) as { password: string };
    await grantsPOST(call('POST', '/api/grants', admin, { subjectKind: 'user', subject: 'acct-audited', role: 'viewer', hosts: ['lab'] }));
    // Records are appended after the answer: wait until they are there.
    let recs: Awaited<ReturnType<typeof queryAudit>> = [];
    const all3 = () =>
      recs.some((r) => r.operation === 'token.create' && r.object === record.id) &&
      recs.some((r) => r.operation === 'user.create' && r.object === 'acct-audited') &&
      recs.some((r) => r.operation === 'grant.create' && r.object?.includes('acct-audited'));
    for (let i = 0; i < 100 && !all3(); i++) {
      await new Promise((r) => setTimeout(r, 50));
      recs = await queryAudit({ limit: 500 });
    }
    expect(recs.find((r) => r.operation === 'token.create' && r.object === record.id)).toMatchObject({ object_kind: 'token', result: 'ok', detail: { name: 'audited' } });
    expect(recs.find((r) => r.operation === 'user.create' && r.object === 'acct-audited')).toMatchObject({ object_kind: 'user', result: 'ok' });
    expect(recs.find((r) => r.operation === 'grant.create' && r.object === 'user acct-audited: viewer on lab')).toMatchObject({ object_kind: 'grant', result: 'ok' });
    const all = JSON.stringify(recs);
    expect(all).not.toContain(token.split('_')[2]);
    expect(all).not.toContain(made.password);
  });
});
