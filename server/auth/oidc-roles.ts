import 'server-only';
import { isRole, type Role } from '@/lib/auth/roles';
import type { GrantRecord } from './users';

/**
 * KSC_OIDC_ROLE_MAP: roles from the groups an identity provider names, without a row in the
 * database — `ksc-admins=admin,ksc-ops=operator,ksc-viewers=viewer`, each on every host. They
 * are virtual group grants: grantsFor() adds them for the groups of a session, next to the group
 * grants in the database (`npm run user -- grant group:NAME …`), so a sign-in, /api/me and every
 * permission check see the same roles. A local session has no groups, so nothing changes for it.
 */
export interface RoleMapEntry {
  group: string;
  role: Role;
}

/** Parse a role map; a malformed entry is reported, never guessed at. */
export function parseRoleMap(text: string | undefined): { entries: RoleMapEntry[]; problems: string[] } {
  const entries: RoleMapEntry[] = [];
  const problems: string[] = [];
  for (const raw of (text ?? '').split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const i = item.lastIndexOf('=');
    const group = i > 0 ? item.slice(0, i).trim() : '';
    const role = i > 0 ? item.slice(i + 1).trim().toLowerCase() : '';
    if (!group || !isRole(role)) problems.push(`“${item}” is not GROUP=viewer|operator|admin`);
    else entries.push({ group, role });
  }
  return { entries, problems };
}

let cached: { text: string | undefined; entries: RoleMapEntry[] } | null = null;

/** The role map of this process's environment (re-read when the variable changes, as in tests). */
export function roleMap(): RoleMapEntry[] {
  const text = process.env.KSC_OIDC_ROLE_MAP;
  if (cached && cached.text === text) return cached.entries;
  const { entries, problems } = parseRoleMap(text);
  // Fail closed: a malformed entry gives no role (and says so in the server log), the rest apply.
  if (problems.length) console.error(`KSC_OIDC_ROLE_MAP: ignored ${problems.join('; ')}`);
  cached = { text, entries };
  return entries;
}

/** The role map's grants for these groups, shaped like the database's group grants. */
export function roleMapGrants(groups: readonly string[]): GrantRecord[] {
  if (!groups.length) return [];
  const have = new Set(groups);
  return roleMap()
    .filter((e) => have.has(e.group))
    .map((e) => ({ id: `env:KSC_OIDC_ROLE_MAP:${e.group}`, subjectKind: 'group', subject: e.group, role: e.role, hosts: '*', createdAt: '' }));
}
