import 'server-only';
import { AppError } from '../errors';
import { currentContext } from '../auth/context';
import { sourceAddressOf } from '../security/peer';
import { streamsPerClient, streamsTotal } from './limits';

/**
 * Open job event streams (SSE) are counted: each holds a connection and a subscription for as
 * long as its job runs. Per client — the signed-in user (or token owner), else the caller's
 * address (server/security/peer.ts) — up to `KSC_SSE_PER_CLIENT`, and `KSC_SSE_MAX` in all.
 */
interface Counts {
  total: number;
  byClient: Map<string, number>;
}
const g = globalThis as { __kscStreams?: Counts };
const counts: Counts = (g.__kscStreams ??= { total: 0, byClient: new Map() });

/** Whose streams these are: the signed-in user, else the caller's address, else unknown (null). */
export function clientKey(req: Request): string | null {
  const p = currentContext()?.principal;
  if (p) return `user ${p.username}`;
  const addr = sourceAddressOf(req.headers);
  return addr ? `address ${addr}` : null;
}

/** Take a stream slot for this request or throw 429 `too-many-streams`; the returned function releases it (idempotent). */
export function openStream(req: Request): () => void {
  const client = clientKey(req);
  const perClient = streamsPerClient();
  const total = streamsTotal();
  if (client !== null && (counts.byClient.get(client) ?? 0) >= perClient)
    throw new AppError('too-many-streams', `Too many open job event streams for ${client} (at most ${perClient}): close some pages or tabs following jobs`, {
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
