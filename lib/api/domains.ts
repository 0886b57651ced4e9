import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { DomainActionResultDto, DomainDetailDto, DomainDto, type AttachDiskInput, type DetachDiskInput, type SnapshotCreateInput } from '@/lib/schemas';
import { getJson, sendJson } from './errors';
import { hostKeys } from './keys';
import { apiPaths } from './paths';

export const fetchDomains = (hostId: string, signal?: AbortSignal) => getJson(apiPaths.domains(hostId), z.array(DomainDto), signal);
export const fetchDomain = (hostId: string, vm: string, signal?: AbortSignal) => getJson(apiPaths.domain(hostId, vm), DomainDetailDto, signal);

export const domainsQuery = (hostId: string) =>
  queryOptions({ queryKey: hostKeys.domains(hostId), queryFn: ({ signal }) => fetchDomains(hostId, signal) });

export const domainQuery = (hostId: string, vm: string) =>
  queryOptions({ queryKey: hostKeys.domain(hostId, vm), queryFn: ({ signal }) => fetchDomain(hostId, vm, signal) });

export const useDomains = (hostId: string, opts: { enabled?: boolean } = {}) =>
  useQuery({ ...domainsQuery(hostId), enabled: opts.enabled ?? true });
export const useDomain = (hostId: string, vm: string) => useQuery(domainQuery(hostId, vm));

/** POST/PUT/DELETE a JSON body; the answer is a DomainActionResult or an ApiError (409 guards carry detail.affected). */
const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, body: unknown): Promise<DomainActionResultDto> => sendJson(method, url, body, DomainActionResultDto);

const e = encodeURIComponent;
export const domainApi = {
  attach: (h: string, vm: string, body: AttachDiskInput) => send('POST', `${apiPaths.domain(h, vm)}/disks`, body),
  detach: (h: string, vm: string, target: string, body: DetachDiskInput) => send('DELETE', `${apiPaths.domain(h, vm)}/disks/${e(target)}`, body),
  media: (h: string, vm: string, target: string, body: { source: string | null; live?: boolean; persistent?: boolean; dryRun?: boolean }) =>
    send('PUT', `${apiPaths.domain(h, vm)}/disks/${e(target)}/media`, body),
  power: (h: string, vm: string, body: { action: 'start' | 'shutdown' | 'destroy'; confirm?: string; dryRun?: boolean }) => send('POST', `${apiPaths.domain(h, vm)}/power`, body),
  snapshotCreate: (h: string, vm: string, body: SnapshotCreateInput) => send('POST', `${apiPaths.domain(h, vm)}/snapshots`, body),
  snapshotRevert: (h: string, vm: string, name: string, body: { confirm?: string; dryRun?: boolean }) => send('POST', `${apiPaths.domain(h, vm)}/snapshots/${e(name)}/revert`, body),
  snapshotDelete: (h: string, vm: string, name: string, body: { confirm?: string; dryRun?: boolean }) => send('DELETE', `${apiPaths.domain(h, vm)}/snapshots/${e(name)}`, body),
};

/** A mutation that refreshes everything about the host afterwards (disks, volumes' "used by", pools). */
export function useDomainMutation<I>(hostId: string, fn: (input: I) => Promise<DomainActionResultDto>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => qc.invalidateQueries({ queryKey: hostKeys.detail(hostId) }),
  });
}
