import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './errors';

/**
 * Defaults for every QueryClient, browser and server. Hosts change under us (other admins,
 * virsh in a terminal), so data goes stale after 10 s and refreshes on focus; but an API
 * error is an answer (host unreachable, pool not running): retrying it three times with
 * backoff would only delay the message, so only network failures are retried, once.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    // A session that ended (idle, revoked, signed out elsewhere): back to sign-in, then back here.
    queryCache: new QueryCache({ onError: toLoginOn401 }),
    mutationCache: new MutationCache({ onError: toLoginOn401 }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, error) => failures < 1 && !(error instanceof ApiError && error.code !== 'network'),
      },
    },
  });
}

function toLoginOn401(error: unknown): void {
  if (typeof window === 'undefined' || !(error instanceof ApiError) || error.status !== 401) return;
  const here = window.location.pathname + window.location.search;
  window.location.assign(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`);
}
