import 'server-only';
import { consoleRole, roleOn, strongestOf, weaker, type GrantDto, type Role } from '@/lib/auth/roles';
import { cookieValue, sessionCookieName } from './cookies';
import { resolveSession } from './sessions';
import { resolveToken } from './tokens';
import { findUser, grantsFor } from './users';

/**
 * Who is calling: a signed-in user (session cookie) or a script (API token). Resolved from the
 * request on every call — sessions live in the database, so any replica answers.
 */
export interface Principal {
  kind: 'user' | 'token';
  userId: string;
  username: string;
  displayName: string | null;
  sessionId?: string;
  tokenId?: string;
  /** The user's grants (a token's capped at its role). */
  grants: GrantDto[];
  groups: string[];
}

export const principalRoleOn = (p: Principal | null, host: string): Role | null => (p ? roleOn(p.grants, host) : null);
export const principalConsoleRole = (p: Principal | null): Role | null => (p ? consoleRole(p.grants) : null);
/** The strongest role anywhere (a token may not exceed it). */
export const strongestRole = (p: Principal | null): Role | null => (p ? strongestOf(p.grants) : null);

export async function principalFromHeaders(headers: Headers): Promise<Principal | null> {
  const auth = headers.get('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    if (!m) return null;
    const t = await resolveToken(m[1]!);
    if (!t) return null;
    const u = await findUser(t.userId);
    if (!u || u.disabled) return null;
    // A token has no session: a single-sign-on user's groups are those of their last sign-in.
    const grants = (await grantsFor(u.id, u.groups)).map((g) => ({ role: weaker(g.role, t.role), hosts: g.hosts }));
    return { kind: 'token', userId: u.id, username: u.username, displayName: u.displayName, tokenId: t.id, grants, groups: u.groups };
  }
  const secret = cookieValue(headers.get('cookie'), sessionCookieName());
  if (!secret) return null;
  const s = await resolveSession(secret);
  if (!s) return null;
  const u = await findUser(s.userId);
  if (!u || u.disabled) return null;
  const grants = (await grantsFor(u.id, s.groups)).map((g) => ({ role: g.role, hosts: g.hosts }));
  return { kind: 'user', userId: u.id, username: u.username, displayName: u.displayName, sessionId: s.id, grants, groups: s.groups };
}
