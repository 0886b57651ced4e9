import 'server-only';
import { randomBytes } from 'node:crypto';
import { database, nowIso } from '../db';
import { notFound } from '../errors';
import { randomSecret, sha256 } from './secrets';
import { parseNames } from './users';

/**
 * Server-side sessions. The browser holds a random id in an HttpOnly, SameSite=Strict cookie
 * (flags: server/auth/cookies.ts); the database holds
 * its sha256, the user, the groups the identity provider gave, and two ends: idle
 * (`KSC_SESSION_IDLE_MIN`, default 120) and absolute (`KSC_SESSION_MAX_HOURS`, default 12).
 */
export const idleMs = () => Number(process.env.KSC_SESSION_IDLE_MIN ?? 120) * 60_000;
export const absoluteMs = () => Number(process.env.KSC_SESSION_MAX_HOURS ?? 12) * 3600_000;
/** last_seen_at is written at most this often (a request stream does not become a write stream). */
const TOUCH_MS = 30_000;

export interface SessionRecord {
  id: string;
  userId: string;
  groups: string[];
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  sourceAddress: string | null;
  userAgent: string | null;
}

export async function createSession(userId: string, meta: { groups?: string[]; sourceAddress?: string | null; userAgent?: string | null } = {}): Promise<{ cookieValue: string; session: SessionRecord }> {
  const secret = randomSecret();
  const now = Date.now();
  const row = {
    id_hash: sha256(secret),
    id: randomBytes(9).toString('base64url'),
    user_id: userId,
    groups: JSON.stringify(meta.groups ?? []),
    created_at: nowIso(now),
    last_seen_at: nowIso(now),
    expires_at: nowIso(now + absoluteMs()),
    source_address: meta.sourceAddress ?? null,
    user_agent: meta.userAgent?.slice(0, 300) ?? null,
    revoked_at: null,
  };
  const db = await database();
  await db.insertInto('sessions').values(row).execute();
  return { cookieValue: secret, session: toSession(row) };
}

type Row = { id: string; user_id: string; groups: string; created_at: string; last_seen_at: string; expires_at: string; source_address: string | null; user_agent: string | null };
const toSession = (r: Row): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  groups: parseNames(r.groups),
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  sourceAddress: r.source_address,
  userAgent: r.user_agent,
});


/** The live session a cookie value names (not revoked, not idle too long, not past its end), touched; else null. */
export async function resolveSession(secret: string, now = Date.now()): Promise<SessionRecord | null> {
  if (!secret || secret.length > 200) return null;
  const db = await database();
  const r = await db.selectFrom('sessions').selectAll().where('id_hash', '=', sha256(secret)).executeTakeFirst();
  if (!r || r.revoked_at) return null;
  if (Date.parse(r.expires_at) <= now || Date.parse(r.last_seen_at) + idleMs() <= now) return null;
  if (now - Date.parse(r.last_seen_at) > TOUCH_MS) await db.updateTable('sessions').set({ last_seen_at: nowIso(now) }).where('id_hash', '=', r.id_hash).execute();
  return toSession(r);
}

export async function endSessionByCookie(secret: string): Promise<SessionRecord | null> {
  const db = await database();
  const r = await db.selectFrom('sessions').selectAll().where('id_hash', '=', sha256(secret)).executeTakeFirst();
  if (!r) return null;
  await db.updateTable('sessions').set({ revoked_at: nowIso() }).where('id_hash', '=', r.id_hash).where('revoked_at', 'is', null).execute();
  return toSession(r);
}

/** A user's live sessions, newest first. */
export async function listSessions(userId: string, now = Date.now()): Promise<SessionRecord[]> {
  const db = await database();
  const rows = await db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
  return rows.filter((r) => Date.parse(r.expires_at) > now && Date.parse(r.last_seen_at) + idleMs() > now).map(toSession);
}

/** Revoke one of `userId`'s sessions by its public id. */
export async function revokeSession(userId: string, id: string): Promise<SessionRecord> {
  const db = await database();
  const r = await db.selectFrom('sessions').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!r) throw notFound(`Session ${id}`);
  await db.updateTable('sessions').set({ revoked_at: nowIso() }).where('id', '=', id).execute();
  return toSession(r);
}
