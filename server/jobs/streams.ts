import 'server-only';
import { AppError } from '../errors';
import { streamsPerClient, streamsTotal, trustProxy } from './limits';

/**
 * Open job event streams (SSE) are counted: each holds a connection and a subscription for as
 * long as its job runs. Per client address when the console sits behind a trusted proxy
 * (`KSC_TRUST_PROXY=1`: the last X-Forwarded-For entry is the address that proxy saw — earlier
 * entries are whatever the client sent); a route handler is not told the peer address itself,
 * so without a trusted proxy only the global cap (`KSC_SSE_MAX`) applies.
 */
interface Counts {
  total: number;
  byClient: Map<string, number>;
}
const g = globalThis as { __kscStreams?: Counts };
const counts: Counts = (g.__kscStreams ??= { total: 0, byClient: new Map() });

/** The client's address as the trusted proxy reported it, or null when it cannot be known. */
export function clientAddress(req: Request): string | null {
  if (!trustProxy()) return null;
  const xff = req.headers.get('x-forwarded-for');
  const last = xff?.split(',').map((s) => s.trim()).filter(Boolean).pop();
  return last ?? null;
}

/** Take a stream slot for this request or throw 429 `too-many-streams`; the returned function releases it (idempotent). */
export function openStream(req: Request): () => void {
  const client = clientAddress(req);
  const perClient = streamsPerClient();
  const total = streamsTotal();
  if (client !== null && (counts.byClient.get(client) ?? 0) >= perClient)
    throw new AppError('too-many-streams', `Too many open job event streams from ${client} (at most ${perClient}): close some pages or tabs following jobs`, {
      status: 429,
      detail: { limit: perClient, scope: 'client' },
    });
  if (counts.total >= total)
    throw new AppError('too-many-streams', `Too many open job event streams (at most ${total} in all): close some pages or tabs following jobs`, {
      status: 429,
      detail: { limit: total, scope: 'server' },
    });
  counts.total++;
  if (client !== null) counts.byClient.set(client, (counts.byClient.get(client) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    counts.total--;
    if (client !== null) {
      const n = (counts.byClient.get(client) ?? 1) - 1;
      if (n > 0) counts.byClient.set(client, n);
      else counts.byClient.delete(client);
    }
  };
}

/** Open streams now (for tests and diagnostics). */
export const openStreams = (): { total: number; byClient: Record<string, number> } => ({ total: counts.total, byClient: Object.fromEntries(counts.byClient) });
