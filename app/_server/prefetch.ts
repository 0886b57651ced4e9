import 'server-only';
import { dehydrate, QueryClient, type DehydratedState } from '@tanstack/react-query';
import { cache } from 'react';
import { hostQuery, hostsQuery } from '@/lib/api/hosts';
import { poolQuery, poolsQuery } from '@/lib/api/pools';
import { volumeQuery, volumesQuery } from '@/lib/api/volumes';
import { domainQuery, domainsQuery } from '@/lib/api/domains';
import { headers } from 'next/headers';
import { meQuery } from '@/lib/api/me';
import { roleOn } from '@/lib/auth/roles';
import { describeMe } from '@/server/auth/me';
import { principalFromHeaders, type Principal } from '@/server/auth/principal';
import { visibleHosts } from '@/server/auth/visible';
import { PermissionError } from '@/server/auth/context';
import { getDomain } from '@/server/domains/read';
import * as service from '@/server/hosts/service';

/**
 * Server-side prefetch: pages call the service functions directly (no HTTP hop to ourselves)
 * under the same query keys the browser uses, then hand the cache over with <HydrationBoundary>.
 *
 * A failed prefetch is not dehydrated (TanStack's default): the browser asks the API again and
 * gets the full error body (code, message, command, stderr), which production builds would
 * otherwise redact from a server-thrown error. So pages never throw for a host that is down.
 *
 * React `cache` makes the layout's and the page's calls share one answer per request.
 */
/** The signed-in user of this page request (null: signed out), once per request. */
export const pagePrincipal = cache(async (): Promise<Principal | null> => principalFromHeaders(await headers()));

/** Pages read as the user: a host outside their grants is not read at all (the browser then gets the API's 403). */
async function readable(hostId: string): Promise<void> {
  const p = await pagePrincipal();
  if (!p || !roleOn(p.grants, hostId)) throw new PermissionError('viewer', hostId, 'Reading this host');
}

const data = {
  me: cache(async () => {
    const p = await pagePrincipal();
    if (!p) throw new PermissionError('viewer', null, 'Reading who you are');
    return describeMe(p);
  }),
  hosts: cache(async () => service.listHosts({ only: visibleHosts(await pagePrincipal()) })),
  host: cache(async (hostId: string) => (await readable(hostId), service.getHost(hostId))),
  pools: cache(async (hostId: string) => (await readable(hostId), service.listPools(hostId))),
  pool: cache(async (hostId: string, pool: string) => (await readable(hostId), service.getPool(hostId, pool))),
  volumes: cache(async (hostId: string, pool: string) => (await readable(hostId), service.listVolumes(hostId, pool))),
  volume: cache(async (hostId: string, pool: string, vol: string) => (await readable(hostId), service.getVolume(hostId, pool, vol))),
  domains: cache(async (hostId: string) => (await readable(hostId), service.listDomains(hostId))),
  domain: cache(async (hostId: string, vm: string) => (await readable(hostId), getDomain(hostId, vm))),
};

export function serverQueryClient(): QueryClient {
  // No retries on the server: one answer, fast, and the browser decides what to do next.
  return new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: false } } });
}

/** Each entry starts one prefetch; all run in parallel. */
export const prefetch = {
  me: (qc: QueryClient) => qc.prefetchQuery({ ...meQuery(), queryFn: () => data.me() }),
  hosts: (qc: QueryClient) => qc.prefetchQuery({ ...hostsQuery(), queryFn: () => data.hosts() }),
  host: (qc: QueryClient, h: string) => qc.prefetchQuery({ ...hostQuery(h), queryFn: () => data.host(h) }),
  pools: (qc: QueryClient, h: string) => qc.prefetchQuery({ ...poolsQuery(h), queryFn: () => data.pools(h) }),
  pool: (qc: QueryClient, h: string, p: string) => qc.prefetchQuery({ ...poolQuery(h, p), queryFn: () => data.pool(h, p) }),
  volumes: (qc: QueryClient, h: string, p: string) =>
    qc.prefetchQuery({ ...volumesQuery(h, p), queryFn: () => data.volumes(h, p) }),
  volume: (qc: QueryClient, h: string, p: string, v: string) =>
    qc.prefetchQuery({ ...volumeQuery(h, p, v), queryFn: () => data.volume(h, p, v) }),
  domains: (qc: QueryClient, h: string) => qc.prefetchQuery({ ...domainsQuery(h), queryFn: () => data.domains(h) }),
  domain: (qc: QueryClient, h: string, vm: string) => qc.prefetchQuery({ ...domainQuery(h, vm), queryFn: () => data.domain(h, vm) }),
};

/**
 * Wait for the prefetches, but not forever: a host that is slow to answer (a cold read of
 * thousands of volumes, an SSH connect timing out) must not hold the whole page behind the
 * loading skeleton. After the budget the page renders with what is ready, the rest is not
 * dehydrated, and the browser asks the API itself (by then the server's cache is usually warm).
 */
export async function settle(prefetches: Promise<unknown>[], budgetMs = 2500): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, budgetMs);
  });
  await Promise.race([Promise.allSettled(prefetches), budget]);
  clearTimeout(timer);
}

export function dehydrated(qc: QueryClient): DehydratedState {
  return dehydrate(qc);
}
