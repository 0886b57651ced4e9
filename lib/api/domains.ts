import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { DomainDto } from '@/lib/schemas';
import { getJson } from './errors';
import { hostKeys } from './keys';
import { apiPaths } from './paths';

export const fetchDomains = (hostId: string, signal?: AbortSignal) => getJson(apiPaths.domains(hostId), z.array(DomainDto), signal);

export const domainsQuery = (hostId: string) =>
  queryOptions({ queryKey: hostKeys.domains(hostId), queryFn: ({ signal }) => fetchDomains(hostId, signal) });

export const useDomains = (hostId: string, opts: { enabled?: boolean } = {}) =>
  useQuery({ ...domainsQuery(hostId), enabled: opts.enabled ?? true });
