import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { HostDto } from '@/lib/schemas';
import { getJson } from './errors';
import { hostKeys } from './keys';
import { apiPaths } from './paths';

export const fetchHosts = (signal?: AbortSignal) => getJson(apiPaths.hosts(), z.array(HostDto), signal);
export const fetchHost = (hostId: string, signal?: AbortSignal) => getJson(apiPaths.host(hostId), HostDto, signal);

export const hostsQuery = () =>
  queryOptions({
    queryKey: hostKeys.list(),
    queryFn: ({ signal }) => fetchHosts(signal),
    // A slow host is listed as `connecting` while the server goes on reading it: ask again.
    refetchInterval: (q) => (q.state.data?.some((h) => h.status === 'connecting') ? 1500 : false),
  });

export const hostQuery = (hostId: string) =>
  queryOptions({ queryKey: hostKeys.detail(hostId), queryFn: ({ signal }) => fetchHost(hostId, signal) });

export const useHosts = () => useQuery(hostsQuery());
export const useHost = (hostId: string) => useQuery(hostQuery(hostId));
