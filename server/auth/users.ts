import 'server-only';
import { randomUUID } from 'node:crypto';
import { isRole, type GrantDto, type HostScope, type Role } from '@/lib/auth/roles';
import { database, nowIso } from '../db';
import { AppError, badRequest, notFound } from '../errors';
import { roleMapGrants } from './oidc-roles';
import { hashPassword, passwordProblem } from './secrets';

/** Users and grants in the console's database. */
export interface UserRecord {
  id: string;
  username: string;
  displayName: string | null;
  source: 'local' | 'oidc';
  disabled: boolean;
  createdAt: string;
  hasPassword: boolean;
}

export interface GrantRecord extends GrantDto {
  id: string;
  subjectKind: 'user' | 'group';
  subject: string;
  createdAt: string;
}

const NAME = /^[a-z_][a-z0-9_.@-]{0,63}$/i;

export function usernameProblem(name: string): string | null {
  return NAME.test(name) ? null : 'A user name is 1–64 letters, digits, or . _ @ -, starting with a letter or _';
}

export type UserRow = { id: string; username: string; display_name: string | null; source: string; disabled: number; created_at: string; password_hash: string | null };
export const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  source: r.source === 'oidc' ? 'oidc' : 'local',
  disabled: !!r.disabled,
  createdAt: r.created_at,
  hasPassword: !!r.password_hash,
});

export async function listUsers(): Promise<UserRecord[]> {
  const db = await database();
  return (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
}

/** A JSON list of names (a groups column); anything else is none. */
export function parseNames(s: string | null | undefined): string[] {
  try {
    const v: unknown = JSON.parse(s ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export async function findUser(nameOrId: string): Promise<(UserRecord & { passwordHash: string | null; groups: string[] }) | null> {
  const db = await database();
  const r = await db.selectFrom('users').selectAll().where((eb) => eb.or([eb('username', '=', nameOrId), eb('id', '=', nameOrId)])).executeTakeFirst();
  return r ? { ...toUser(r), passwordHash: r.password_hash, groups: parseNames(r.groups) } : null;
}

export async function requireUser(nameOrId: string) {
  const u = await findUser(nameOrId);
  if (!u) throw notFound(`User “${nameOrId}”`);
  return u;
}

export async function addUser(opts: { username: string; password?: string | null; displayName?: string | null; source?: 'local' | 'oidc'; oidcSubject?: string | null }): Promise<UserRecord> {
  const bad = usernameProblem(opts.username);
  if (bad) throw badRequest(bad, { field: 'username' });
  if (opts.password != null) {
    const p = passwordProblem(opts.password);
    if (p) throw badRequest(p, { field: 'password' });
  }
  const db = await database();
  if (await db.selectFrom('users').select('id').where('username', '=', opts.username).executeTakeFirst())
    throw new AppError('exists', `A user named “${opts.username}” already exists`, { status: 409, detail: { field: 'username' } });
  const now = nowIso();
  const row = {
    id: randomUUID(),
    username: opts.username,
    display_name: opts.displayName ?? null,
    password_hash: opts.password != null ? await hashPassword(opts.password) : null,
    source: opts.source ?? 'local',
    oidc_subject: opts.oidcSubject ?? null,
    disabled: 0,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('users').values(row).execute();
  return toUser(row);
}

export async function setPassword(nameOrId: string, password: string): Promise<void> {
  const p = passwordProblem(password);
  if (p) throw badRequest(p, { field: 'password' });
  const u = await requireUser(nameOrId);
  const db = await database();
  await db.updateTable('users').set({ password_hash: await hashPassword(password), updated_at: nowIso() }).where('id', '=', u.id).execute();
}

export async function setDisplayName(nameOrId: string, displayName: string | null): Promise<void> {
  const u = await requireUser(nameOrId);
  const db = await database();
  await db.updateTable('users').set({ display_name: displayName?.trim().slice(0, 100) || null, updated_at: nowIso() }).where('id', '=', u.id).execute();
}

/** Disable (or enable) an account; disabling ends its sessions and tokens at once. */
export async function setDisabled(nameOrId: string, disabled: boolean): Promise<UserRecord> {
  const u = await requireUser(nameOrId);
  const db = await database();
  const now = nowIso();
  await db.updateTable('users').set({ disabled: disabled ? 1 : 0, updated_at: now }).where('id', '=', u.id).execute();
  if (disabled) {
    await db.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', u.id).where('revoked_at', 'is', null).execute();
    await db.updateTable('tokens').set({ revoked_at: now }).where('user_id', '=', u.id).where('revoked_at', 'is', null).execute();
  }
  return { ...u, disabled };
}

// Grants

type GrantRow = { id: string; subject_kind: string; subject: string; role: string; hosts: string; created_at: string };

function parseHosts(s: string): HostScope {
  try {
    const v: unknown = JSON.parse(s);
    if (v === '*') return '*';
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  } catch {
    /* a malformed row grants nothing */
  }
  return [];
}

const toGrant = (r: GrantRow): GrantRecord | null =>
  isRole(r.role) ? { id: r.id, subjectKind: r.subject_kind === 'group' ? 'group' : 'user', subject: r.subject, role: r.role, hosts: parseHosts(r.hosts), createdAt: r.created_at } : null;

export async function listGrants(): Promise<GrantRecord[]> {
  const db = await database();
  return (await db.selectFrom('grants').selectAll().orderBy('created_at').execute()).map(toGrant).filter((g): g is GrantRecord => !!g);
}

/** The grants that apply to a user: their own and those of their groups (database rows and KSC_OIDC_ROLE_MAP). */
export async function grantsFor(userId: string, groups: readonly string[] = []): Promise<GrantRecord[]> {
  const db = await database();
  const rows = await db
    .selectFrom('grants')
    .selectAll()
    .where((eb) => {
      const own = eb.and([eb('subject_kind', '=', 'user'), eb('subject', '=', userId)]);
      return groups.length ? eb.or([own, eb.and([eb('subject_kind', '=', 'group'), eb('subject', 'in', [...groups])])]) : own;
    })
    .execute();
  return [...rows.map(toGrant).filter((g): g is GrantRecord => !!g), ...roleMapGrants(groups)];
}

export async function addGrant(g: { subjectKind: 'user' | 'group'; subject: string; role: Role; hosts: HostScope }): Promise<GrantRecord> {
  if (!isRole(g.role)) throw badRequest(`Unknown role “${String(g.role)}” (viewer, operator or admin)`, { field: 'role' });
  if (g.hosts !== '*' && (!Array.isArray(g.hosts) || !g.hosts.length || !g.hosts.every((h) => typeof h === 'string' && h.length > 0)))
    throw badRequest('A grant covers "*" (every host) or a non-empty list of host ids', { field: 'hosts' });
  const db = await database();
  const row = { id: randomUUID(), subject_kind: g.subjectKind, subject: g.subject, role: g.role, hosts: JSON.stringify(g.hosts), created_at: nowIso() };
  await db.insertInto('grants').values(row).execute();
  return toGrant(row)!;
}

export async function removeGrant(id: string): Promise<GrantRecord> {
  const db = await database();
  const r = await db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound(`Grant ${id}`);
  await db.deleteFrom('grants').where('id', '=', id).execute();
  return toGrant(r)!;
}

/** Replace a user's own grants (the CLI's `--role/--hosts`). */
export async function setUserGrant(userId: string, role: Role, hosts: HostScope): Promise<GrantRecord> {
  const db = await database();
  await db.deleteFrom('grants').where('subject_kind', '=', 'user').where('subject', '=', userId).execute();
  return addGrant({ subjectKind: 'user', subject: userId, role, hosts });
}
