import 'server-only';

/**
 * The caller's network address, for the audit log and sign-in throttling. Next's route handlers
 * do not see the socket, and Next keeps a client-sent `X-Forwarded-For` as it is, so neither can
 * be trusted. scripts/start.mjs (the console's server) puts the socket's address in
 * `x-ksc-peer`, prefixed with a random secret of this process (a client cannot forge it); behind
 * a reverse proxy (`KSC_TRUST_PROXY=1`, the proxy on loopback) the address the proxy appended
 * last to X-Forwarded-For is used instead. Anything else: null (unknown).
 */
import { trustProxy } from '../jobs/limits';

const g = globalThis as { __kscPeerSecret?: string };

export const PEER_HEADER = 'x-ksc-peer';

export function sourceAddressOf(headers: Headers): string | null {
  const secret = g.__kscPeerSecret;
  const v = headers.get(PEER_HEADER);
  if (!secret || !v || !v.startsWith(`${secret} `)) return null;
  const peer = v.slice(secret.length + 1).trim() || null;
  if (trustProxy() && peer && /^(127\.|::1$|::ffff:127\.)/.test(peer)) {
    const xff = headers.get('x-forwarded-for');
    const last = xff?.split(',').pop()?.trim();
    if (last) return last;
  }
  return peer;
}
