import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { atLeast, roleOn, type Role } from '@/lib/auth/roles';
import { AppError } from '../errors';
import type { Principal } from './principal';

/**
 * The request a piece of server code runs for: who called, from where, on which host, and the
 * commands it has run so far (for the audit record). Set by the route wrapper (server/route.ts)
 * around every API handler; it follows the handler's async work, jobs it starts included. On
 * globalThis: Next may load a server module once per route bundle, and there must be one store.
 */
export interface AuditCommand {
  /** The plan step's title, when the command ran as a step. */
  title?: string;
  /** The command as the previews render it. */
  command: string;
  /** Its stdin when the step declared it public (pool XML); secrets are never recorded. */
  stdin?: string;
  exitCode: number | null;
  ok: boolean;
  durationMs: number;
}

export interface JobOutcome {
  jobId: string;
  state: string;
  error?: { code?: string; message?: string } | null;
}

/** A job started by the current request ended (server/jobs calls this). */
export function jobEnded(ctx: RequestContext | undefined, o: JobOutcome): void {
  if (!ctx) return;
  ctx.jobOutcomes.push(o);
  if (--ctx.pendingJobs === 0) ctx.onJobsDone?.();
}

export interface RequestContext {
  principal: Principal | null;
  sourceAddress: string | null;
  /** The host id in the URL, if any. */
  host: string | null;
  commands: AuditCommand[];
  /** Read-only commands run (not recorded one by one). */
  reads: number;
  /** Jobs started by this request that have not ended: the audit record waits for them. */
  pendingJobs: number;
  /** How the jobs it started ended. */
  jobOutcomes: JobOutcome[];
  /** Called when the last pending job ends. */
  onJobsDone?: () => void;
}

const g = globalThis as { __kscRequestContext?: AsyncLocalStorage<RequestContext> };
export const contextStore: AsyncLocalStorage<RequestContext> = (g.__kscRequestContext ??= new AsyncLocalStorage<RequestContext>());

export const currentContext = (): RequestContext | undefined => contextStore.getStore();

export class PermissionError extends AppError {
  constructor(role: Role, host: string | null, why: string) {
    super('forbidden', `${why} needs the ${role} role${host ? ` on host ${host}` : ' on every host'}`, { status: 403, detail: { permission: role, ...(host ? { host } : {}) } });
  }
}

/**
 * Go ahead only if the caller has `role` on `host` (default: the request's host). Code that runs
 * outside a request (the CLI, tests of server functions) has no context and is not limited.
 */
export function requireRole(role: Role, why: string, host?: string | null): void {
  const ctx = currentContext();
  if (!ctx) return;
  const h = host ?? ctx.host;
  if (!h) return;
  if (!atLeast(roleOn(ctx.principal?.grants ?? [], h), role)) throw new PermissionError(role, h, why);
}
