import 'server-only';
import { randomBytes } from 'node:crypto';

/**
 * The one error type that crosses from server/ to the API: a stable machine code, a sentence
 * for people, and structured detail (the failing command, its stderr, what a guard protects).
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: unknown;

  constructor(code: string, message: string, opts: { status?: number; detail?: unknown; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = opts.status ?? 500;
    this.detail = opts.detail;
  }

  toJSON(): { code: string; message: string; detail?: unknown } {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

/**
 * An AppError, also one from another copy of this module (Next can load server modules once per
 * page and per route bundle, and `instanceof` fails across copies): an Error with a string
 * `code`, a numeric `status` and `toJSON`. Node's system errors have a `code` but neither of the others.
 */
export function isAppError(e: unknown): e is AppError {
  if (e instanceof AppError) return true;
  const x = e as Partial<AppError> | null;
  return e instanceof Error && typeof x?.code === 'string' && typeof x.status === 'number' && typeof x.toJSON === 'function';
}

/**
 * The error as an AppError when it is one the console understands: an AppError (any copy), or a
 * VirshBatchError (virsh ran none of a batch's calls — its message is virsh's own stderr, e.g.
 * "failed to connect to the hypervisor"), which becomes 502 `libvirt-error` with that stderr in
 * `detail`. Null for anything else: that is an internal error.
 */
export function knownError(e: unknown): AppError | null {
  if (isAppError(e)) return e;
  if (e instanceof Error && e.name === 'VirshBatchError')
    return new AppError('libvirt-error', `virsh failed: ${e.message.split('\n')[0]}`, { status: 502, detail: { stderr: e.message }, cause: e });
  return null;
}

export const notFound = (what: string, detail?: unknown) =>
  new AppError('not-found', `${what} was not found`, { status: 404, detail });

export const badRequest = (message: string, detail?: unknown) =>
  new AppError('invalid-input', message, { status: 422, detail });

/** 409 with its own code: the request conflicts with the object's state (a VM not running, a name taken …). */
export const conflict = (code: string, message: string, detail?: unknown) => new AppError(code, message, { status: 409, detail });

/**
 * The answer for an error that is not an AppError (a bug, a library's exception): a generic
 * message with a random id; the real error and its stack go to the server log under that id,
 * never to the client.
 */
export function internalError(e: unknown, where = 'request'): { code: 'internal'; message: string; id: string } {
  const id = randomBytes(4).toString('hex');
  console.error(`[ksc] internal error id=${id} in ${where}:`, e);
  return { code: 'internal', message: `Internal error (id ${id})`, id };
}
