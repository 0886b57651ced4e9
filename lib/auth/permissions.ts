import type { Role } from './roles';

/**
 * The permission of every API route and method, in one table. The route wrapper (server/http.ts
 * `api`) refuses a route whose `METHOD pattern` is missing here, and a test enumerates every
 * export of every app/api/**\/route.ts and fails when one is missing — a new route cannot ship
 * unguarded. The UI reads the same table to hide or disable what a user may not do.
 *
 * Scopes:
 * - `public`: anyone (signing in, the OIDC callback, unknown paths' 404);
 * - `signed-in`: any signed-in user; the handler shows only what their grants cover;
 * - `host`: `role` on the host in the URL (`[host]`); a host outside the user's grants is a 403;
 * - `job`: `role` on the host the job in the URL runs on;
 * - `console`: `role` on every host (a grant on `*`): users, grants, other people's tokens.
 *
 * Beyond the route: every guarded hazard (server/operations/guards.ts) needs `admin` on its host
 * — the typed confirmation of a destructive step is an admin's — so a resize is an operator's,
 * a shrink an admin's.
 */
export type Scope = 'public' | 'signed-in' | 'host' | 'job' | 'console';

export interface RoutePermission {
  scope: Scope;
  role?: Role;
  /** A stronger role for some values of a path segment, e.g. `build` in pools/[pool]/[action]. */
  byParam?: { param: string; roles: Readonly<Record<string, Role>> };
  /** Record in the audit log even though the method is GET (downloads, discovery that runs commands). */
  audit?: boolean;
}

const pub: RoutePermission = { scope: 'public' };
const signedIn: RoutePermission = { scope: 'signed-in' };
const host = (role: Role, extra: Omit<RoutePermission, 'scope' | 'role'> = {}): RoutePermission => ({ scope: 'host', role, ...extra });
const consoleAdmin: RoutePermission = { scope: 'console', role: 'admin' };

const H = '/api/hosts/[host]';
const P = `${H}/pools/[pool]`;
const V = `${P}/volumes/[volume]`;
const D = `${H}/domains/[vm]`;

const TABLE = {
  // Identity
  'POST /api/auth/login': pub,
  'POST /api/auth/logout': signedIn,
  'GET /api/auth/providers': pub,
  'GET /api/auth/oidc/start': pub,
  // A sign-in: recorded like the local one (auth.oidc), although it is a GET.
  'GET /api/auth/oidc/callback': { scope: 'public', audit: true },
  'GET /api/me': signedIn,
  'GET /api/me/sessions': signedIn,
  'DELETE /api/me/sessions/[session]': signedIn,
  'GET /api/tokens': signedIn,
  'POST /api/tokens': signedIn,
  'DELETE /api/tokens/[token]': signedIn,
  'GET /api/users': consoleAdmin,
  'POST /api/users': consoleAdmin,
  'PATCH /api/users/[user]': consoleAdmin,
  'GET /api/users/[user]/sessions': consoleAdmin,
  'DELETE /api/users/[user]/sessions/[session]': consoleAdmin,
  'GET /api/grants': consoleAdmin,
  'POST /api/grants': consoleAdmin,
  'DELETE /api/grants/[grant]': consoleAdmin,
  // Audit: each reader sees the records of the hosts they can read.
  'GET /api/audit': signedIn,
  'GET /api/audit/verify': signedIn,
  // Jobs: listed by the hosts the user can read; cancelling is an operator's.
  'GET /api/jobs': signedIn,
  'GET /api/jobs/[job]': { scope: 'job', role: 'viewer' },
  'DELETE /api/jobs/[job]': { scope: 'job', role: 'operator' },
  'GET /api/jobs/[job]/events': { scope: 'job', role: 'viewer' },
  // Hosts
  'GET /api/hosts': signedIn,
  [`GET ${H}`]: host('viewer'),
  [`GET ${H}/block-devices`]: host('viewer'),
  [`GET ${H}/chains`]: host('viewer'),
  [`GET ${H}/pool-types`]: host('viewer'),
  // Discovery runs probes on the host (an iSCSI login, a scan): part of creating a pool.
  [`GET ${H}/pool-sources`]: host('admin', { audit: true }),
  // Pools
  [`GET ${H}/pools`]: host('viewer'),
  [`POST ${H}/pools`]: host('admin'),
  [`GET ${P}`]: host('viewer'),
  [`DELETE ${P}`]: host('admin'),
  [`POST ${P}/[action]`]: host('operator', { byParam: { param: 'action', roles: { build: 'admin' } } }),
  [`PUT ${P}/autostart`]: host('admin'),
  [`GET ${P}/xml`]: host('viewer'),
  [`PUT ${P}/xml`]: host('admin'),
  [`GET ${P}/volume-formats`]: host('viewer'),
  // Volumes
  [`GET ${P}/volumes`]: host('viewer'),
  [`POST ${P}/volumes`]: host('operator'),
  [`GET ${V}`]: host('viewer'),
  [`DELETE ${V}`]: host('admin'),
  [`GET ${V}/[op]`]: host('viewer'),
  [`POST ${V}/[op]`]: host('operator', { byParam: { param: 'op', roles: { wipe: 'admin', rebase: 'admin', commit: 'admin', amend: 'admin' } } }),
  [`GET ${V}/content`]: host('operator', { audit: true }),
  [`PUT ${V}/content`]: host('operator'),
  [`GET ${V}/snapshots`]: host('viewer'),
  [`POST ${V}/snapshots`]: host('operator'),
  [`DELETE ${V}/snapshots`]: host('admin'),
  [`DELETE ${V}/snapshots/[snapshot]`]: host('admin'),
  [`POST ${V}/snapshots/[snapshot]/apply`]: host('admin'),
  [`GET ${V}/vmdk`]: host('viewer'),
  [`POST ${V}/vmdk/[action]`]: host('operator', { byParam: { param: 'action', roles: { delete: 'admin' } } }),
  // VMs
  [`GET ${H}/domains`]: host('viewer'),
  [`GET ${D}`]: host('viewer'),
  [`POST ${D}/power`]: host('operator'),
  [`POST ${D}/disks`]: host('operator'),
  [`DELETE ${D}/disks/[target]`]: host('operator'),
  [`PUT ${D}/disks/[target]/media`]: host('operator'),
  [`GET ${D}/snapshots`]: host('viewer'),
  [`POST ${D}/snapshots`]: host('operator'),
  [`DELETE ${D}/snapshots/[name]`]: host('admin'),
  [`POST ${D}/snapshots/[name]/revert`]: host('admin'),
  // Any other /api path: a JSON 404.
  'GET /api/[...path]': pub,
  'POST /api/[...path]': pub,
  'PUT /api/[...path]': pub,
  'PATCH /api/[...path]': pub,
  'DELETE /api/[...path]': pub,
} as const satisfies Readonly<Record<string, RoutePermission>>;

export const ROUTE_PERMISSIONS: Readonly<Record<string, RoutePermission>> = TABLE;

/** `METHOD pattern` of a route in the table: what the UI's `useGate` takes, so a misspelt route fails to compile. */
export type RouteKey = keyof typeof TABLE;

export const permissionKey = (method: string, pattern: string) => `${method.toUpperCase()} ${pattern}`;

export function permissionOf(method: string, pattern: string): RoutePermission | undefined {
  const key = permissionKey(method, pattern);
  return Object.hasOwn(ROUTE_PERMISSIONS, key) ? ROUTE_PERMISSIONS[key] : undefined;
}

/** The role a call needs: the route's, or a stronger one its path segment asks for. */
export function roleNeeded(p: RoutePermission, params: Readonly<Record<string, string>>): Role | undefined {
  if (p.byParam && Object.hasOwn(params, p.byParam.param)) {
    const v = params[p.byParam.param]!;
    if (Object.hasOwn(p.byParam.roles, v)) return p.byParam.roles[v];
  }
  return p.role;
}

/** A write: anything but GET/HEAD, or a GET marked `audit`. Writes are recorded in the audit log. */
export const isAudited = (method: string, p: RoutePermission) => !(method === 'GET' || method === 'HEAD') || !!p.audit;
