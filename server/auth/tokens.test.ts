import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase } from '../db';
import { freshDatabase } from '@/test/helpers/db';
import { principalFromHeaders } from './principal';
import { createToken, listTokens, parseExpiry, resolveToken, revokeToken } from './tokens';
import { addUser, setUserGrant } from './users';

// API tokens: shown once, stored hashed, with an expiry and a role no higher than the owner's.
const PW = 'a long enough password';
let userId = '';
beforeEach(async () => {
  await freshDatabase();
  userId = (await addUser({ username: 'ops', password: PW })).id;
  await setUserGrant(userId, 'operator', ['lab', 'lab2']);
});
afterAll(() => closeDatabase());

const bearer = (t: string) => new Headers({ authorization: `Bearer ${t}` });

describe('API tokens', () => {
  it('a token acts as its owner; only the sha256 of its secret is stored', async () => {
    const { token, record } = await createToken({ userId, ownerRole: 'operator', name: 'ci' });
    expect(token).toMatch(/^ksc_[0-9a-f]{12}_[A-Za-z0-9_-]{40,}$/);
    expect(record).toMatchObject({ name: 'ci', role: 'operator', expiresAt: null });
    expect(await principalFromHeaders(bearer(token))).toMatchObject({ kind: 'token', username: 'ops', tokenId: record.id, grants: [{ role: 'operator', hosts: ['lab', 'lab2'] }] });
    expect(JSON.stringify(await listTokens(userId))).not.toContain(token.slice('ksc_'.length + 12 + 1)); // the secret (which may itself hold `_`)
    expect(await resolveToken(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await principalFromHeaders(new Headers({ authorization: 'Bearer nonsense' }))).toBeNull();
  });

  it('an expired token is refused (an expiry in the past, or a duration that has run out)', async () => {
    const past = await createToken({ userId, ownerRole: 'operator', name: 'old', expires: '2020-01-01T00:00:00Z' });
    expect(await resolveToken(past.token)).toBeNull();
    expect(await principalFromHeaders(bearer(past.token))).toBeNull();
    const t0 = Date.now();
    const day = await createToken({ userId, ownerRole: 'operator', name: 'day', expires: '1d' });
    expect(Date.parse(day.record.expiresAt!) - t0).toBeGreaterThanOrEqual(86_400_000 - 5000);
    expect(await resolveToken(day.token, t0 + 3600_000)).not.toBeNull();
    expect(await resolveToken(day.token, t0 + 86_400_000 + 10_000)).toBeNull();
    expect(() => parseExpiry('soon')).toThrow(/duration/);
  });

  it('a revoked token is refused; only its owner revokes it by id (else 404)', async () => {
    const { token, record } = await createToken({ userId, ownerRole: 'operator', name: 'x' });
    const other = (await addUser({ username: 'eve', password: PW })).id;
    await expect(revokeToken(record.id, other)).rejects.toMatchObject({ status: 404 });
    expect(await resolveToken(token)).not.toBeNull();
    await revokeToken(record.id, userId);
    expect(await resolveToken(token)).toBeNull();
    expect(await listTokens(userId)).toEqual([]);
    await expect(revokeToken(record.id, userId)).rejects.toMatchObject({ status: 404 });
  });

  it('cannot be created above the owner’s role (403 naming it); a token’s role caps every grant', async () => {
    await expect(createToken({ userId, ownerRole: 'operator', name: 'up', role: 'admin' })).rejects.toMatchObject({ status: 403, detail: { permission: 'admin' } });
    await expect(createToken({ userId, ownerRole: null, name: 'none' })).rejects.toMatchObject({ status: 403 });
    const viewer = await createToken({ userId, ownerRole: 'operator', name: 'read-only', role: 'viewer' });
    expect((await principalFromHeaders(bearer(viewer.token)))?.grants).toEqual([{ role: 'viewer', hosts: ['lab', 'lab2'] }]);
  });

  it('the role is capped at the owner’s current role: a token outlives a demotion only with the lower role', async () => {
    const t = await createToken({ userId, ownerRole: 'operator', name: 'ci', role: 'operator' });
    await setUserGrant(userId, 'viewer', ['lab']);
    expect((await principalFromHeaders(bearer(t.token)))?.grants).toEqual([{ role: 'viewer', hosts: ['lab'] }]);
  });
});
