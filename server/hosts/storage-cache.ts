import 'server-only';
import { readHostStorage, type HostStorage } from '../virsh/read-host';
import type { HostConfig } from './inventory';
import { transportFor } from './transports';

/**
 * The host is the truth; this only coalesces. Requests that arrive while a read is under way
 * share it (a page's server render and its API calls), and a finished read serves for a
 * moment so one page view does not read a host three times. Mutations call `invalidate`.
 */
// KSC_STORAGE_CACHE_MS: the window (default 2 s); tests widen it to prove writes do not use it.
const freshMs = () => Number(process.env.KSC_STORAGE_CACHE_MS ?? 2000);
const entries: Map<string, { at: number; value: Promise<HostStorage> }> = ((globalThis as Record<string, unknown>).__kscStorage ??=
  new Map()) as Map<string, { at: number; value: Promise<HostStorage> }>;

export function hostStorage(host: HostConfig, opts: { fresh?: boolean } = {}): Promise<HostStorage> {
  const hit = entries.get(host.id);
  if (hit && !opts.fresh && Date.now() - hit.at < freshMs()) return hit.value;
  const value = (async () => readHostStorage(transportFor(host), host.uri))();
  const entry = { at: Date.now(), value };
  entries.set(host.id, entry);
  // A failed read is not kept: the next request tries again.
  value.catch(() => {
    if (entries.get(host.id) === entry) entries.delete(host.id);
  });
  // Keep the window measured from the end of the read, not its start.
  void value.then(
    () => (entry.at = Date.now()),
    () => {},
  );
  return value;
}

export function invalidate(hostId: string): void {
  entries.delete(hostId);
}
