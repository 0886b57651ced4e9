import 'server-only';
import { TtlCache } from '../cache/ttl-cache';
import { readHostStorage, type HostStorage } from '../virsh/read-host';
import type { HostConfig } from './inventory';
import { transportFor } from './transports';

/**
 * The host is the truth; this only coalesces (server/cache/ttl-cache.ts). Requests that arrive
 * while a read is under way share it, however long it takes (a page's server render and its API
 * calls), and a finished read serves for a moment after it ARRIVED so one page view does not
 * read a host three times. `fresh` (a write's real run) starts a read of its own, shared only
 * with other fresh callers meanwhile. Mutations call `invalidate`.
 */
// KSC_STORAGE_CACHE_MS: the window (default 2 s); tests widen it to prove writes do not use it.
const freshMs = () => Number(process.env.KSC_STORAGE_CACHE_MS ?? 2000);
// On globalThis: survives dev reloads, and every module copy shares one cache.
const cache = ((globalThis as Record<string, unknown>).__kscStorageCache ??= new TtlCache<string, HostStorage>({ ttlMs: freshMs })) as TtlCache<
  string,
  HostStorage
>;

export function hostStorage(host: HostConfig, opts: { fresh?: boolean } = {}): Promise<HostStorage> {
  return cache.get(host.id, () => readHostStorage(transportFor(host), host.uri), { fresh: opts.fresh ?? false });
}

export function invalidate(hostId: string): void {
  cache.invalidate(hostId);
}
