import 'server-only';
import { AppError } from '../errors';

export type TransportFailure = 'unreachable' | 'hostkey-unknown' | 'hostkey-changed' | 'auth-failed' | 'error';

/** A failure to reach or talk to a host (as opposed to a command that ran and failed). */
export class TransportError extends AppError {
  constructor(code: TransportFailure, message: string, detail?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { status: 502, detail, cause });
    this.name = 'TransportError';
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Word an ssh2 client error for people and give it one of the host status codes. */
export function classifySshError(err: unknown, where: string): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as { message?: string; code?: string; level?: string };
  const msg = e?.message ?? String(err);
  if (e?.level === 'client-authentication')
    return new TransportError('auth-failed', `${where} refused our SSH key (${msg})`, { reason: msg }, err);
  if (msg.includes('Keepalive timeout'))
    return new TransportError('unreachable', `${where} stopped answering (no SSH keepalive reply)`, { reason: msg }, err);
  if (msg.includes('Timed out while waiting for handshake'))
    return new TransportError('unreachable', `${where} did not complete the SSH handshake in time`, { reason: msg }, err);
  if (e?.code && UNREACHABLE.has(e.code))
    return new TransportError('unreachable', `${where} is unreachable (${e.code})`, { reason: msg }, err);
  if (msg.includes('connection lost') || msg.includes('Not connected') || msg.includes('No response from server'))
    return new TransportError('unreachable', `${where}: the SSH connection was lost`, { reason: msg }, err);
  return new TransportError('error', `${where}: ${msg}`, { reason: msg }, err);
}
