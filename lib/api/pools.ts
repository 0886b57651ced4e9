import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { PoolDto } from '@/lib/schemas';
import { getJson } from './errors';
import { hostKeys } from './keys';
import { apiPaths } from './paths';

export const PoolWithXml = z.object({ pool: PoolDto, xml: z.string() });
export type PoolWithXml = z.infer<typeof PoolWithXml>;

export const fetchPools = (hostId: string, signal?: AbortSignal) => getJson(apiPaths.pools(hostId), z.array(PoolDto), signal);
export const fetchPool = (hostId: string, pool: string, signal?: AbortSignal) =>
  getJson(apiPaths.pool(hostId, pool), PoolWithXml, signal);

export const poolsQuery = (hostId: string) =>
  queryOptions({ queryKey: hostKeys.pools(hostId), queryFn: ({ signal }) => fetchPools(hostId, signal) });

export const poolQuery = (hostId: string, pool: string) =>
  queryOptions({ queryKey: hostKeys.poolInfo(hostId, pool), queryFn: ({ signal }) => fetchPool(hostId, pool, signal) });

export const usePools = (hostId: string, opts: { enabled?: boolean } = {}) =>
  useQuery({ ...poolsQuery(hostId), enabled: opts.enabled ?? true });
export const usePool = (hostId: string, pool: string) => useQuery(poolQuery(hostId, pool));
