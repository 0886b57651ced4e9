import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { ChainsDto, ImageInfoDto, MapResult, OperationResult, VolumeFormatsDto } from '@/lib/schemas';
import { getJson, sendJson } from './errors';
import { hostKeys } from './keys';
import { apiPaths } from './paths';

/** Client side of the volume operations (issue 4): formats, chains, map, snapshots, and every POST. */

export const useVolumeFormats = (hostId: string, pool: string, enabled = true) =>
  useQuery({ queryKey: hostKeys.volumeFormats(hostId, pool), queryFn: ({ signal }) => getJson(apiPaths.volumeFormats(hostId, pool), VolumeFormatsDto, signal), enabled, staleTime: 600_000 });

export const chainsQuery = (hostId: string) =>
  queryOptions({ queryKey: hostKeys.chains(hostId), queryFn: ({ signal }) => getJson(apiPaths.chains(hostId), ChainsDto, signal) });
export const useChains = (hostId: string) => useQuery(chainsQuery(hostId));

export const MapAnswer = MapResult.extend({ command: z.string() });
export const useVolumeMap = (hostId: string, pool: string, vol: string, enabled: boolean) =>
  useQuery({ queryKey: hostKeys.map(hostId, pool, vol), queryFn: ({ signal }) => getJson(apiPaths.volumeOp(hostId, pool, vol, 'map'), MapAnswer, signal), enabled });

export const SnapshotsAnswer = z.object({ command: z.string(), snapshots: ImageInfoDto.shape.snapshots, runningUsers: z.array(z.string()), dependants: z.array(z.unknown()) });
export const useSnapshots = (hostId: string, pool: string, vol: string, enabled: boolean) =>
  useQuery({ queryKey: hostKeys.snapshots(hostId, pool, vol), queryFn: ({ signal }) => getJson(apiPaths.snapshots(hostId, pool, vol), SnapshotsAnswer, signal), enabled });

export const createVolume = (hostId: string, pool: string, body: Record<string, unknown>) => sendJson('POST', apiPaths.volumes(hostId, pool), body, OperationResult);
export const volumeOperation = (hostId: string, pool: string, vol: string, op: string, body: Record<string, unknown>) =>
  sendJson('POST', apiPaths.volumeOp(hostId, pool, vol, op), body, OperationResult);
export const deleteVolume = (hostId: string, pool: string, vol: string, body: Record<string, unknown>) => sendJson('DELETE', apiPaths.volume(hostId, pool, vol), body, OperationResult);
export const createSnapshot = (hostId: string, pool: string, vol: string, body: Record<string, unknown>) => sendJson('POST', apiPaths.snapshots(hostId, pool, vol), body, OperationResult);
export const applySnapshot = (hostId: string, pool: string, vol: string, snap: string, body: Record<string, unknown>) =>
  sendJson('POST', `${apiPaths.snapshot(hostId, pool, vol, snap)}/apply`, body, OperationResult);
export const deleteSnapshot = (hostId: string, pool: string, vol: string, snap: string, body: Record<string, unknown>) =>
  sendJson('DELETE', apiPaths.snapshot(hostId, pool, vol, snap), body, OperationResult);
export const compareVolumes = (hostId: string, pool: string, vol: string, body: Record<string, unknown>) =>
  sendJson('POST', apiPaths.volumeOp(hostId, pool, vol, 'compare'), body, z.object({ identical: z.boolean(), message: z.string(), command: z.string() }));
