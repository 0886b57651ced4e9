import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { AuditPageDto, AuditVerifyDto, type AuditFilters } from '@/lib/schemas/audit';
import { getJson } from './errors';
import { auditKeys } from './keys';
import { apiPaths } from './paths';

/** Filters without the empty ones: one query key per distinct search. */
export function cleanFilters(f: AuditFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v) out[k] = v;
  return out;
}

export const fetchAuditPage = (filters: AuditFilters, opts: { before?: number; limit?: number } = {}, signal?: AbortSignal) =>
  getJson(apiPaths.audit({ ...cleanFilters(filters), before: opts.before, limit: opts.limit }), AuditPageDto, signal);

/** Records matching `filters`, newest first, a page at a time ("Load older" asks for the next). */
export function useAuditLog(filters: AuditFilters, opts: { limit?: number; refetchInterval?: number } = {}) {
  const f = cleanFilters(filters);
  return useInfiniteQuery({
    queryKey: [...auditKeys.list(f), opts.limit ?? 'default'],
    queryFn: ({ pageParam, signal }) => fetchAuditPage(f, { before: pageParam ?? undefined, limit: opts.limit }, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    refetchInterval: opts.refetchInterval,
  });
}

/** The chain's state (walks the whole log on the server: asked once per visit, and on demand). */
export const useAuditVerify = () =>
  useQuery({ queryKey: auditKeys.verify(), queryFn: ({ signal }) => getJson(apiPaths.auditVerify(), AuditVerifyDto, signal), staleTime: 30_000 });

/** A download of the records matching `filters` (the browser sends the session cookie). */
export const auditExportHref = (filters: AuditFilters, format: 'csv' | 'json') => apiPaths.audit({ ...cleanFilters(filters), format });
