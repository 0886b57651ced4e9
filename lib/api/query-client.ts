import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './errors';

/**
 * Defaults for every QueryClient, browser and server. Hosts change under us (other admins,
 * virsh in a terminal), so data goes stale after 10 s and refreshes on focus; but an API
 * error is an answer (host unreachable, pool not running): retrying it three times with
 * backoff would only delay the message, so only network failures are retried, once.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, error) => failures < 1 && !(error instanceof ApiError && error.code !== 'network'),
      },
    },
  });
}
