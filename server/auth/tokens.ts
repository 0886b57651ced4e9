import 'server-only';
import { randomBytes } from 'node:crypto';
import { atLeast, isRole, type Role } from '@/lib/auth/roles';
import { database, nowIso } from '../db';
import { AppError, badRequest, notFound } from '../errors';
import { randomSecret, sameHash, sha256 } from './secrets';

/**
 * API tokens for scripts and CI: `ksc_<id>_<secret>`, shown once, stored as sha256 of the secret,
 * with an optional expiry and a role cap no higher than the owner's strongest role. Sent as
 * `Authorization: Bearer …`. A token acts as its owner, with each grant capped at its role.
 */
export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

type Row = { id: string; user_id: string; name: string; role: string; created_at: string; expires_at: string | null; last_used_at: string | null; revoked_at: string | null };
const toToken = (r: Row): TokenRecord => ({ id: r.id, userId: r.user_id, name: r.name, role: isRole(r.role) ? r.role : 'viewer', createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at });

/** `30d`, `12h`, `90m`, or an ISO date → an ISO end; null for none. */
export function parseExpiry(v: unknown, now = Date.now()): string | null {
  if (v === undefined || v === null || v === '' || v === 'never') return null;
  if (typeof v !== 'string') throw badRequest('expires is a duration like 30d, 12h, 90m, or an ISO date', { field: 'expires' });
  const m = /^(\d{1,5})([dhm])$/.exec(v.trim());
  if (m) return nowIso(now + Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm']);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw badRequest(`“${v}” is not a duration (30d, 12h, 90m) or a date`, { field: 'expires' });
  return nowIso(t);
}

export async function createToken(opts: { userId: string; ownerRole: Role | null; name: string; role?: Role; expires?: unknown }): Promise<{ token: string; record: TokenRecord }> {
  const name = opts.name.trim();
  if (!name || name.length > 100) throw badRequest('A token needs a name (1–100 characters)', { field: 'name' });
  const role = opts.role ?? opts.ownerRole ?? 'viewer';
  if (!isRole(role)) throw badRequest(`Unknown role “${String(role)}”`, { field: 'role' });
  if (!opts.ownerRole || !atLeast(opts.ownerRole, role))
    throw new AppError('forbidden', `A token's role cannot be higher than its owner's (${opts.ownerRole ?? 'none'})`, { status: 403, detail: { permission: role } });
  const id = randomBytes(6).toString('hex');
  const secret = randomSecret();
  const row = { id, user_id: opts.userId, name, secret_hash: sha256(secret), role, created_at: nowIso(), expires_at: parseExpiry(opts.expires), last_used_at: null, revoked_at: null };
  const db = await database();
  await db.insertInto('tokens').values(row).execute();
  return { token: `ksc_${id}_${secret}`, record: toToken(row) };
}

/** The live token a bearer value names (touched), else null. */
export async function resolveToken(bearer: string, now = Date.now()): Promise<TokenRecord | null> {
  const m = /^ksc_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$/.exec(bearer);
  if (!m) return null;
  const db = await database();
  const r = await db.selectFrom('tokens').selectAll().where('id', '=', m[1]!).executeTakeFirst();
  if (!r || r.revoked_at || !sameHash(r.secret_hash, sha256(m[2]!))) return null;
  if (r.expires_at && Date.parse(r.expires_at) <= now) return null;
  if (!r.last_used_at || now - Date.parse(r.last_used_at) > 60_000) await db.updateTable('tokens').set({ last_used_at: nowIso(now) }).where('id', '=', r.id).execute();
  return toToken(r);
}

export async function listTokens(userId?: string): Promise<TokenRecord[]> {
  const db = await database();
  let q = db.selectFrom('tokens').selectAll().where('revoked_at', 'is', null);
  if (userId) q = q.where('user_id', '=', userId);
  return (await q.orderBy('created_at', 'desc').execute()).map(toToken);
}

export async function revokeToken(id: string, ownerId?: string): Promise<TokenRecord> {
  const db = await database();
  let q = db.selectFrom('tokens').selectAll().where('id', '=', id).where('revoked_at', 'is', null);
  if (ownerId) q = q.where('user_id', '=', ownerId);
  const r = await q.executeTakeFirst();
  if (!r) throw notFound(`Token ${id}`);
  await db.updateTable('tokens').set({ revoked_at: nowIso() }).where('id', '=', id).execute();
  return toToken(r);
}
