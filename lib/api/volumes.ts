import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { VolumeDetailDto, VolumeDto } from '@/lib/schemas';
import { getJson } from './errors';
import { hostKeys } from './keys';
import { apiPaths } from './paths';

export const fetchVolumes = (hostId: string, pool: string, signal?: AbortSignal) =>
  getJson(apiPaths.volumes(hostId, pool), z.array(VolumeDto), signal);
export const fetchVolume = (hostId: string, pool: string, vol: string, signal?: AbortSignal) =>
  getJson(apiPaths.volume(hostId, pool, vol), VolumeDetailDto, signal);

export const volumesQuery = (hostId: string, pool: string) =>
  queryOptions({ queryKey: hostKeys.volumes(hostId, pool), queryFn: ({ signal }) => fetchVolumes(hostId, pool, signal) });

export const volumeQuery = (hostId: string, pool: string, vol: string) =>
  queryOptions({
    queryKey: hostKeys.volume(hostId, pool, vol),
    queryFn: ({ signal }) => fetchVolume(hostId, pool, vol, signal),
  });

export const useVolumes = (hostId: string, pool: string, opts: { enabled?: boolean } = {}) =>
  useQuery({ ...volumesQuery(hostId, pool), enabled: opts.enabled ?? true });
export const useVolume = (hostId: string, pool: string, vol: string) => useQuery(volumeQuery(hostId, pool, vol));
