import 'server-only';
import { roleOn } from '@/lib/auth/roles';
import { currentContext } from './context';
import type { Principal } from './principal';

/**
 * Which hosts the caller may see: a predicate over host ids. Outside a request (CLI, tests of
 * server functions) everything is visible; inside one, only hosts the caller's grants cover.
 */
export function visibleHosts(p: Principal | null | undefined = currentContext()?.principal): (hostId: string) => boolean {
  if (p === undefined) return () => true;
  if (p === null) return () => false;
  return (hostId) => roleOn(p.grants, hostId) !== null;
}

/** The hosts whose records (jobs, audit) the caller may read: `*` with a grant on every host, else the inventory ids they can see. */
export function visibleHostIds(all: readonly string[], p: Principal | null | undefined = currentContext()?.principal): '*' | string[] {
  if (p === undefined) return '*';
  if (p && p.grants.some((g) => g.hosts === '*')) return '*';
  return all.filter(visibleHosts(p));
}
