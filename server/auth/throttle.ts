import 'server-only';
import { database, nowIso } from '../db';
import { AppError } from '../errors';

/**
 * Sign-in throttling, in the database so every replica sees it: per user name and per source
 * address. FREE failures are free; from then on the next attempt waits, doubling with each
 * further failure (1 s, 2 s, 4 s … up to 15 min); a success clears the user's count. A blocked attempt is refused with 429 and
 * `retryAfterSec` before any password is checked.
 */
const FREE = 3;
const MAX_WAIT_MS = 15 * 60_000;
/** Failures older than this are forgotten. */
const FORGET_MS = 60 * 60_000;

export const throttleKeys = (username: string, address: string | null) => [`user:${username.toLowerCase()}`, ...(address ? [`addr:${address}`] : [])];

export async function checkThrottle(keys: string[], now = Date.now()): Promise<void> {
  const db = await database();
  const rows = await db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
  let until = 0;
  for (const r of rows) if (r.blocked_until) until = Math.max(until, Date.parse(r.blocked_until));
  if (until > now) {
    const retryAfterSec = Math.ceil((until - now) / 1000);
    throw new AppError('too-many-attempts', `Too many failed sign-ins: try again in ${retryAfterSec} s`, { status: 429, detail: { retryAfterSec } });
  }
}

export async function recordFailure(keys: string[], now = Date.now()): Promise<void> {
  const db = await database();
  for (const key of keys) {
    const r = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    const failures = r && now - Date.parse(r.last_failure_at) < FORGET_MS ? r.failures + 1 : 1;
    // The FREE-th failure already makes the next attempt wait: three tries, then 1 s, 2 s, 4 s …
    const wait = failures >= FREE ? Math.min(1000 * 2 ** (failures - FREE), MAX_WAIT_MS) : 0;
    const row = { key, failures, last_failure_at: nowIso(now), blocked_until: wait ? nowIso(now + wait) : null };
    if (r) await db.updateTable('login_throttle').set(row).where('key', '=', key).execute();
    else await db.insertInto('login_throttle').values(row).execute();
  }
}

export async function clearFailures(keys: string[]): Promise<void> {
  const db = await database();
  await db.deleteFrom('login_throttle').where('key', 'in', keys).execute();
}
