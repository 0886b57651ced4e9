import { queryOptions, useQuery } from '@tanstack/react-query';
import { atLeast, stronger, type Role } from '@/lib/auth/roles';
import { permissionOf, roleNeeded, type RouteKey } from '@/lib/auth/permissions';
import { MeDto } from '@/lib/schemas';
import { getJson } from './errors';
import { meKey } from './keys';
import { apiPaths } from './paths';

export const fetchMe = (signal?: AbortSignal) => getJson(apiPaths.me(), MeDto, signal);
export const meQuery = () => queryOptions({ queryKey: meKey, queryFn: ({ signal }) => fetchMe(signal), staleTime: 60_000 });
export const useMe = () => useQuery(meQuery());

/** My role on a host (null: none, or not known yet). */
export function useRole(hostId: string): Role | null {
  const me = useMe();
  return me.data?.hosts.find((h) => h.id === hostId)?.role ?? null;
}


/**
 * THE rule for an action's control, on every page: allowed → shown; not allowed and the user may
 * write nothing on this host (a viewer, or no grant) → hidden, a viewer sees no write buttons at
 * all; otherwise (an operator facing an admin's action) → shown disabled with `why` ("Needs the
 * admin role on lab (you are operator)") as its tooltip and accessible description.
 */
export interface Gate {
  show: boolean;
  disabled: boolean;
  why: string | null;
}

export function gateOf(role: Role | null, need: Role, hostId: string): Gate {
  if (atLeast(role, need)) return { show: true, disabled: false, why: null };
  const why = `Needs the ${need} role on ${hostId} (${role ? `you are ${role}` : 'you have no role there'})`;
  return { show: atLeast(role, 'operator'), disabled: true, why };
}

/** The role a call needs by the permission table; `guarded`: it always passes a typed-name guard (delete, wipe, shrink, force off), an admin's. */
export function roleFor(route: RouteKey, params: Record<string, string> = {}, opts: { guarded?: boolean } = {}): Role {
  const [method, pattern] = route.split(' ') as [string, string];
  const p = permissionOf(method, pattern);
  const need = p ? (roleNeeded(p, params) ?? 'viewer') : 'admin';
  return opts.guarded ? stronger(need, 'admin')! : need;
}

/** May I use this action's button on `hostId`? See `gateOf`. */
export function useGate(hostId: string, route: RouteKey, params: Record<string, string> = {}, opts: { guarded?: boolean } = {}): Gate {
  return gateOf(useRole(hostId), roleFor(route, params, opts), hostId);
}

/** Can I change anything on this host (an operator or more)? Sections made only of write controls ask this. */
export function useCanWrite(hostId: string): boolean {
  return atLeast(useRole(hostId), 'operator');
}

/** Am I an admin on every host (users, grants, other people's tokens)? */
export function useIsConsoleAdmin(): boolean {
  return useMe().data?.consoleRole === 'admin';
}

/** Several actions on one host: `const gate = useGateFor(host); gate('DELETE /api/…')` (one role lookup). */
export function useGateFor(hostId: string): (route: RouteKey, params?: Record<string, string>, opts?: { guarded?: boolean }) => Gate {
  const role = useRole(hostId);
  return (route, params = {}, opts = {}) => gateOf(role, roleFor(route, params, opts), hostId);
}

/** Actions on many hosts (the jobs list): `const gate = useGates(); gate(job.hostId, 'DELETE /api/jobs/[job]')`. */
export function useGates(): (hostId: string, route: RouteKey, params?: Record<string, string>, opts?: { guarded?: boolean }) => Gate {
  const me = useMe();
  return (hostId, route, params = {}, opts = {}) => gateOf(me.data?.hosts.find((h) => h.id === hostId)?.role ?? null, roleFor(route, params, opts), hostId);
}
