import { queryOptions, useQuery } from '@tanstack/react-query';
import { atLeast, type Role } from '@/lib/auth/roles';
import { permissionOf, roleNeeded } from '@/lib/auth/permissions';
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
 * May I make this call? Asks the server's own permission table (lib/auth/permissions.ts) with my
 * role on the host, so the UI hides exactly what the server would refuse. `why` says what is missing.
 */
export function useAllowed(hostId: string, method: string, pattern: string, params: Record<string, string> = {}): { allowed: boolean; why: string | null } {
  const role = useRole(hostId);
  const p = permissionOf(method, pattern);
  const need = p ? (roleNeeded(p, params) ?? 'viewer') : 'admin';
  const allowed = atLeast(role, need);
  return { allowed, why: allowed ? null : `Needs the ${need} role on ${hostId}${role ? ` (you are ${role})` : ''}` };
}

/** May I confirm a guarded hazard (delete, wipe, shrink …) on this host? Those are an admin's. */
export function useCanConfirmHazards(hostId: string): boolean {
  return atLeast(useRole(hostId), 'admin');
}
