import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiErrorBody, DomainActionResultDto, DomainDetailDto, DomainDto, type AttachDiskInput, type DetachDiskInput, type SnapshotCreateInput } from '@/lib/schemas';
import { ApiError, getJson } from './errors';
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
export async function sendJson(method: 'POST' | 'PUT' | 'DELETE', url: string, body: unknown): Promise<DomainActionResultDto> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  } catch (err) {
    throw new ApiError('network', `Could not reach the console server (${(err as Error).message})`, { detail: { url } });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError('bad-response', `The server answered ${res.status} with something that is not JSON`, { status: res.status, detail: { body: text.slice(0, 2000) } });
  }
  if (!res.ok) {
    const e = ApiErrorBody.safeParse((json as { error?: unknown } | undefined)?.error);
    if (e.success) throw new ApiError(e.data.code, e.data.message, { status: res.status, detail: e.data.detail });
    throw new ApiError('http', `The server answered ${res.status}`, { status: res.status });
  }
  const parsed = DomainActionResultDto.safeParse(json);
  if (!parsed.success) throw new ApiError('contract', `The answer for ${url} does not match the API contract`, { status: res.status });
  return parsed.data;
}

const e = encodeURIComponent;
export const domainApi = {
  attach: (h: string, vm: string, body: AttachDiskInput) => sendJson('POST', `${apiPaths.domain(h, vm)}/disks`, body),
  detach: (h: string, vm: string, target: string, body: DetachDiskInput) => sendJson('DELETE', `${apiPaths.domain(h, vm)}/disks/${e(target)}`, body),
  media: (h: string, vm: string, target: string, body: { source: string | null; live?: boolean; persistent?: boolean; dryRun?: boolean }) =>
    sendJson('PUT', `${apiPaths.domain(h, vm)}/disks/${e(target)}/media`, body),
  power: (h: string, vm: string, body: { action: 'start' | 'shutdown' | 'destroy'; confirm?: string; dryRun?: boolean }) => sendJson('POST', `${apiPaths.domain(h, vm)}/power`, body),
  snapshotCreate: (h: string, vm: string, body: SnapshotCreateInput) => sendJson('POST', `${apiPaths.domain(h, vm)}/snapshots`, body),
  snapshotRevert: (h: string, vm: string, name: string, body: { confirm?: string; dryRun?: boolean }) => sendJson('POST', `${apiPaths.domain(h, vm)}/snapshots/${e(name)}/revert`, body),
  snapshotDelete: (h: string, vm: string, name: string, body: { confirm?: string; dryRun?: boolean }) => sendJson('DELETE', `${apiPaths.domain(h, vm)}/snapshots/${e(name)}`, body),
};

/** A mutation that refreshes everything about the host afterwards (disks, volumes' "used by", pools). */
export function useDomainMutation<I>(hostId: string, fn: (input: I) => Promise<DomainActionResultDto>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => qc.invalidateQueries({ queryKey: hostKeys.detail(hostId) }),
  });
}
