import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDatabase } from '../db';
import { freshDatabase } from '@/test/helpers/db';
import { login } from './login';
import { checkThrottle, clearFailures, recordFailure, throttleKeys } from './throttle';
import { addUser } from './users';

// Sign-in throttling in the database (every replica sees it): three failures are free, then each
// attempt waits (1 s, 2 s, 4 s …), refused with 429 and retryAfterSec before any password check.
const PW = 'a long enough password';
const meta: { sourceAddress: string | null; userAgent: string | null } = { sourceAddress: '192.0.2.7', userAgent: 'vitest' };

beforeEach(async () => {
  await freshDatabase();
  await addUser({ username: 'tina', password: PW });
});
afterEach(() => vi.useRealTimers());
afterAll(() => closeDatabase());

const attempt = (password: string, username = 'tina', from = meta) =>
  login({ username, password }, from).then(
    () => 'ok',
    (e: { status: number; code: string; detail?: { retryAfterSec?: number } }) => e,
  );

describe('login throttling', () => {
  it('after 3 failures the 4th attempt is 429 with retryAfterSec, even with the right password; later it passes, and a success clears the count', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.parse('2026-11-30T10:00:00Z');
    vi.setSystemTime(t0);
    for (let i = 0; i < 3; i++) expect(await attempt('wrong password!')).toMatchObject({ status: 401, code: 'invalid-credentials' });
    expect(await attempt(PW)).toMatchObject({ status: 429, code: 'too-many-attempts', detail: { retryAfterSec: 1 } });
    vi.setSystemTime(t0 + 1500);
    expect(await attempt(PW)).toBe('ok');
    // Cleared: three free failures again.
    for (let i = 0; i < 3; i++) expect(await attempt('wrong password!')).toMatchObject({ status: 401 });
    expect(await attempt('wrong password!')).toMatchObject({ status: 429 });
  });

  it('the wait doubles with each further failure, up to 15 minutes; old failures are forgotten after an hour', async () => {
    const keys = throttleKeys('someone', null);
    const t = Date.parse('2026-11-30T10:00:00Z');
    for (let i = 0; i < 3; i++) await recordFailure(keys, t);
    await expect(checkThrottle(keys, t + 999)).rejects.toMatchObject({ status: 429, detail: { retryAfterSec: 1 } });
    await expect(checkThrottle(keys, t + 1000)).resolves.toBeUndefined();
    await recordFailure(keys, t + 1000);
    await expect(checkThrottle(keys, t + 1000)).rejects.toMatchObject({ detail: { retryAfterSec: 2 } });
    for (let i = 0; i < 20; i++) await recordFailure(keys, t + 2000);
    await expect(checkThrottle(keys, t + 2000)).rejects.toMatchObject({ detail: { retryAfterSec: 900 } });
    await clearFailures(keys);
    await expect(checkThrottle(keys, t + 2000)).resolves.toBeUndefined();
    for (let i = 0; i < 3; i++) await recordFailure(keys, t);
    await recordFailure(keys, t + 2 * 3600_000); // an hour later: counts from 1 again
    await expect(checkThrottle(keys, t + 2 * 3600_000)).resolves.toBeUndefined();
  });

  it('counts per user name (any case) and per source address', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-30T11:00:00Z'));
    // Three wrong passwords for different names from one address: the address is throttled.
    for (const u of ['ann', 'bob', 'cid']) expect(await attempt('wrong password!', u)).toMatchObject({ status: 401 });
    expect(await attempt(PW)).toMatchObject({ status: 429 });
    // The user is not: from elsewhere it signs in.
    expect(await attempt(PW, 'tina', { sourceAddress: '198.51.100.1', userAgent: null })).toBe('ok');
    // A user name is throttled whatever its case and wherever the attempts come from.
    for (const [u, a] of [['Tina', '203.0.113.1'], ['TINA', '203.0.113.2'], ['tina', '203.0.113.3']]) expect(await attempt('wrong password!', u, { sourceAddress: a!, userAgent: null })).toMatchObject({ status: 401 });
    expect(await attempt(PW, 'tina', { sourceAddress: '203.0.113.9', userAgent: null })).toMatchObject({ status: 429 });
  });
});
