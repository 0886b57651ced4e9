import 'server-only';
import { atLeast, consoleRole, type HostScope } from '@/lib/auth/roles';
import { CreateGrantInput, CreateUserInput, UpdateUserInput, type GrantRecordDto, type SessionDto, type UserChangedDto, type UserDto } from '@/lib/schemas/account';
import { AppError, badRequest } from '../errors';
import { loadInventory } from '../hosts/inventory';
import { noteAudit } from '../route';
import { toSessionDto } from './account';
import type { Principal } from './principal';
import { generatePassword } from './secrets';
import { listSessions, revokeSession } from './sessions';
import { addGrant, addUser, grantsFor, listGrants, listUsers, removeGrant, requireUser, setDisabled, setDisplayName, setPassword, type GrantRecord, type UserRecord } from './users';

/**
 * The administration API: users, their sessions, and grants (routes under app/api/users and
 * app/api/grants; the permission table makes them a console admin's — admin on every host). Every
 * change goes through users.ts / sessions.ts and names its object in the audit record; a password
 * appears only in the answer that generated it, never in the audit log.
 */

const scopeText = (h: HostScope) => (h === '*' ? 'every host' : h.join(', '));

/** A grant's hosts must be inventory ids: a typo would grant nothing and look like it granted something. */
export function checkHostIds(hosts: HostScope, known: readonly string[] = loadInventory().hosts.map((h) => h.id)): void {
  if (hosts === '*') return;
  const unknown = hosts.filter((h) => !known.includes(h));
  if (unknown.length)
    throw badRequest(`Not in the inventory: ${unknown.join(', ')} (hosts: ${known.join(', ') || 'none'})`, { field: 'hosts', unknown });
}

function grantDto(g: GrantRecord, names: Map<string, string>): GrantRecordDto {
  return { id: g.id, subjectKind: g.subjectKind, subject: g.subject, subjectName: g.subjectKind === 'user' ? (names.get(g.subject) ?? g.subject) : g.subject, role: g.role, hosts: g.hosts, createdAt: g.createdAt };
}

const grantText = (g: GrantRecordDto) => `${g.subjectKind} ${g.subjectName}: ${g.role} on ${scopeText(g.hosts)}`;

function userDto(u: UserRecord, grants: GrantRecord[], names: Map<string, string>): UserDto {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    source: u.source,
    disabled: u.disabled,
    createdAt: u.createdAt,
    hasPassword: u.hasPassword,
    grants: grants.filter((g) => g.subjectKind === 'user' && g.subject === u.id).map((g) => grantDto(g, names)),
  };
}

async function snapshot(): Promise<{ users: UserRecord[]; grants: GrantRecord[]; names: Map<string, string> }> {
  const [users, grants] = await Promise.all([listUsers(), listGrants()]);
  return { users, grants, names: new Map(users.map((u) => [u.id, u.username])) };
}

export async function listUsersWithGrants(): Promise<UserDto[]> {
  const { users, grants, names } = await snapshot();
  return users.map((u) => userDto(u, grants, names));
}

async function userWithGrants(nameOrId: string): Promise<UserDto> {
  const u = await requireUser(nameOrId);
  const { grants, names } = await snapshot();
  return userDto(u, grants, names);
}

/** A new local user, with the given password or a generated one (answered once), and optionally a first grant. */
export async function createUser(body: unknown): Promise<UserChangedDto> {
  const b = CreateUserInput.parse(body);
  noteAudit({ operation: 'user.create', objectKind: 'user', object: b.username, detail: { passwordGenerated: b.password === undefined, ...(b.grant ? { grant: { role: b.grant.role, hosts: b.grant.hosts } } : {}) } });
  if (b.grant) checkHostIds(b.grant.hosts);
  const password = b.password ?? generatePassword();
  const u = await addUser({ username: b.username, password, displayName: b.displayName || null });
  if (b.grant) await addGrant({ subjectKind: 'user', subject: u.id, role: b.grant.role, hosts: b.grant.hosts });
  return { user: await userWithGrants(u.id), ...(b.password === undefined ? { password } : {}) };
}

/** Disable/enable, rename, reset the password. An admin cannot disable themself (nobody would be left to undo it). */
export async function updateUser(p: Principal, nameOrId: string, body: unknown): Promise<UserChangedDto> {
  const b = UpdateUserInput.parse(body);
  const u = await requireUser(nameOrId);
  const changes = {
    ...(b.disabled !== undefined ? { disabled: b.disabled } : {}),
    ...(b.displayName !== undefined ? { displayName: b.displayName } : {}),
    ...(b.password !== undefined || b.generatePassword ? { passwordReset: true } : {}),
  };
  noteAudit({ operation: 'user.update', objectKind: 'user', object: u.username, detail: changes });
  if (b.disabled === true && u.id === p.userId)
    throw new AppError('self', 'You cannot disable your own account — another admin can', { status: 409, detail: { field: 'disabled' } });
  if (b.displayName !== undefined) await setDisplayName(u.id, b.displayName || null);
  let generated: string | undefined;
  if (b.password !== undefined || b.generatePassword) {
    const pw = b.password ?? (generated = generatePassword());
    await setPassword(u.id, pw);
    // A reset password ends the sessions opened with the old one (but not the caller's own).
    for (const s of await listSessions(u.id)) if (s.id !== p.sessionId) await revokeSession(u.id, s.id);
  }
  if (b.disabled !== undefined) await setDisabled(u.id, b.disabled);
  return { user: await userWithGrants(u.id), ...(generated ? { password: generated } : {}) };
}

export async function userSessions(p: Principal, nameOrId: string): Promise<SessionDto[]> {
  const u = await requireUser(nameOrId);
  return (await listSessions(u.id)).map((s) => toSessionDto(s, p.sessionId));
}

/** End anyone's session (the console admin's right); `signedOut` when it was the caller's own. */
export async function revokeUserSession(p: Principal, nameOrId: string, id: string): Promise<{ revoked: string; signedOut: boolean }> {
  const u = await requireUser(nameOrId);
  noteAudit({ operation: 'session.revoke', objectKind: 'session', object: `${u.username}/${id}` });
  const s = await revokeSession(u.id, id);
  return { revoked: s.id, signedOut: s.id === p.sessionId };
}

export async function listGrantDtos(): Promise<GrantRecordDto[]> {
  const { grants, names } = await snapshot();
  return grants.map((g) => grantDto(g, names));
}

/** A grant for a user (by name or id) or a group, on `*` or on inventory hosts. */
export async function createGrant(body: unknown): Promise<GrantRecordDto> {
  const b = CreateGrantInput.parse(body);
  noteAudit({ operation: 'grant.create', objectKind: 'grant', object: `${b.subjectKind} ${b.subject}: ${b.role} on ${scopeText(b.hosts)}` });
  checkHostIds(b.hosts);
  const subject = b.subjectKind === 'user' ? (await requireUser(b.subject)).id : b.subject;
  const g = await addGrant({ subjectKind: b.subjectKind, subject, role: b.role, hosts: b.hosts });
  const dto = grantDto(g, new Map((await listUsers()).map((u) => [u.id, u.username])));
  noteAudit({ object: grantText(dto), detail: { grant: g.id } });
  return dto;
}

/** Remove a grant, unless it is what makes the caller a console admin (they would lock themself out). */
export async function deleteGrant(p: Principal, id: string): Promise<GrantRecordDto> {
  noteAudit({ operation: 'grant.delete', objectKind: 'grant', object: id });
  const mine = await grantsFor(p.userId, p.groups);
  if (mine.some((g) => g.id === id) && !atLeast(consoleRole(mine.filter((g) => g.id !== id)), 'admin'))
    throw new AppError('self', 'This grant makes you an admin on every host; removing it would lock you out — another admin can', { status: 409 });
  const g = await removeGrant(id);
  const dto = grantDto(g, new Map((await listUsers()).map((u) => [u.id, u.username])));
  noteAudit({ object: grantText(dto), detail: { grant: g.id } });
  return dto;
}
