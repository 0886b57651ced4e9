/**
 * The three roles, weakest first, and what each adds. Shared by the server (every check) and the
 * UI (what to show, and why a button is disabled). A grant gives one role on all hosts or on a list.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TEXT: Record<Role, string> = {
  viewer: 'reads everything on its hosts; no writes, no download of volume contents',
  operator: 'plus the writes that destroy nothing: create, clone, convert to a new volume, attach/detach, snapshots, start/stop/refresh pools, upload into a new volume',
  admin: 'plus everything guarded (delete, wipe, shrink, commit, rebase, revert, pool create/delete/edit/overwrite-build, force off), users and tokens',
};

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** `have` is `need` or stronger. */
export const atLeast = (have: Role | null | undefined, need: Role): boolean => !!have && RANK[have] >= RANK[need];

/** The stronger of two roles (null = none). */
export const stronger = (a: Role | null, b: Role | null): Role | null => (!a ? b : !b ? a : RANK[a] >= RANK[b] ? a : b);

/** The strongest role any of `grants` gives, anywhere (null: none). A token may not exceed it. */
export const strongestOf = (grants: readonly GrantDto[]): Role | null => grants.reduce<Role | null>((r, g) => stronger(r, g.role), null);

/** The weaker of two roles. */
export const weaker = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);

/** A grant's hosts: every host, or a list of inventory ids. */
export type HostScope = '*' | string[];

export interface GrantDto {
  role: Role;
  hosts: HostScope;
}

/** The strongest role `grants` give on `host` (null: none). */
export function roleOn(grants: readonly GrantDto[], host: string): Role | null {
  let r: Role | null = null;
  for (const g of grants) if (g.hosts === '*' || g.hosts.includes(host)) r = stronger(r, g.role);
  return r;
}

/** The role on every host (from grants on `*` only): what console-wide actions (users, tokens of others, inventory) need. */
export function consoleRole(grants: readonly GrantDto[]): Role | null {
  let r: Role | null = null;
  for (const g of grants) if (g.hosts === '*') r = stronger(r, g.role);
  return r;
}
