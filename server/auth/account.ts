import 'server-only';
import { consoleRole, atLeast } from '@/lib/auth/roles';
import { CreateTokenInput, type SessionDto, type TokenDto, type CreatedTokenDto } from '@/lib/schemas/account';
import { noteAudit } from '../route';
import { PermissionError } from './context';
import { strongestRole, type Principal } from './principal';
import { listSessions, revokeSession, type SessionRecord } from './sessions';
import { createToken, listTokens, revokeToken, type TokenRecord } from './tokens';
import { listUsers, requireUser } from './users';

/**
 * The account API: my sessions and my API tokens (routes under app/api/me/sessions and
 * app/api/tokens). Each change goes through sessions.ts / tokens.ts and names its object in the
 * audit record (`noteAudit`). Another user's tokens are a console admin's (admin on every host).
 */

export const toSessionDto = (s: SessionRecord, currentId?: string): SessionDto => ({
  id: s.id,
  createdAt: s.createdAt,
  lastSeenAt: s.lastSeenAt,
  expiresAt: s.expiresAt,
  sourceAddress: s.sourceAddress,
  userAgent: s.userAgent,
  current: !!currentId && s.id === currentId,
});

export async function mySessions(p: Principal): Promise<SessionDto[]> {
  return (await listSessions(p.userId)).map((s) => toSessionDto(s, p.sessionId));
}

/** Revoke one of my sessions; `signedOut` when it was the one this request came with. */
export async function revokeMySession(p: Principal, id: string): Promise<{ revoked: string; signedOut: boolean }> {
  noteAudit({ operation: 'session.revoke', objectKind: 'session', object: `${p.username}/${id}` });
  const s = await revokeSession(p.userId, id);
  return { revoked: s.id, signedOut: s.id === p.sessionId };
}

const isConsoleAdmin = (p: Principal) => atLeast(consoleRole(p.grants), 'admin');

/** `?user=NAME` (or `*` for everyone) is a console admin's; without it, the caller's own. */
async function ownerScope(p: Principal, user: string | null, what: string): Promise<{ userId?: string }> {
  if (user === null || user === '' || user === p.username || user === p.userId) return { userId: p.userId };
  if (!isConsoleAdmin(p)) throw new PermissionError('admin', null, what);
  if (user === '*') return {};
  return { userId: (await requireUser(user)).id };
}

async function namesById(): Promise<Map<string, string>> {
  return new Map((await listUsers()).map((u) => [u.id, u.username]));
}

const toTokenDto = (t: TokenRecord, names: Map<string, string>): TokenDto => ({
  id: t.id,
  name: t.name,
  role: t.role,
  user: names.get(t.userId) ?? t.userId,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
});

export async function listTokensFor(p: Principal, user: string | null): Promise<TokenDto[]> {
  const scope = await ownerScope(p, user, "Reading another user's API tokens");
  const names = await namesById();
  return (await listTokens(scope.userId)).map((t) => toTokenDto(t, names));
}

/** A new token of mine: its role at most my strongest one (403 above it), 30 days unless told. */
export async function createMyToken(p: Principal, body: unknown): Promise<CreatedTokenDto> {
  const b = CreateTokenInput.parse(body);
  noteAudit({ operation: 'token.create', objectKind: 'token', object: b.name, detail: { role: b.role ?? null, expires: b.expires ?? '30d' } });
  const { token, record } = await createToken({ userId: p.userId, ownerRole: strongestRole(p), name: b.name, role: b.role, expires: b.expires ?? '30d' });
  // The id names the token from here on (its secret never reaches the audit log).
  noteAudit({ object: record.id, detail: { name: record.name, role: record.role, expiresAt: record.expiresAt } });
  return { token, record: toTokenDto(record, new Map([[p.userId, p.username]])) };
}

/** Revoke a token of mine, or with `?user=` (console admin) one of that user's. */
export async function revokeTokenFor(p: Principal, id: string, user: string | null): Promise<TokenDto> {
  noteAudit({ operation: 'token.revoke', objectKind: 'token', object: id });
  const scope = await ownerScope(p, user, "Revoking another user's API token");
  const t = await revokeToken(id, scope.userId);
  const names = await namesById();
  noteAudit({ detail: { name: t.name, owner: names.get(t.userId) ?? t.userId } });
  return toTokenDto(t, names);
}
