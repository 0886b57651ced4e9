import 'server-only';
import { NextResponse } from 'next/server';
import { permissionOf, isAudited, roleNeeded, type RoutePermission } from '@/lib/auth/permissions';
import { atLeast, consoleRole, roleOn } from '@/lib/auth/roles';
import { appendAuditSafely, type AuditInput } from './audit/log';
import { contextStore, PermissionError, type RequestContext } from './auth/context';
import { principalFromHeaders, type Principal } from './auth/principal';
import { AppError } from './errors';
import { errorResponse } from './http';
import { findJobHost } from './jobs/jobs';
import { gated } from './security/gate';
import { sourceAddressOf } from './security/peer';

/**
 * Every API route is made by `api(pattern, handlers)`: the one place where a request is
 * authenticated (session cookie or API token), authorized against lib/auth/permissions.ts (the
 * route's role on the URL's host), run inside a request context (who, from where, which host —
 * server code reads it to check guarded hazards and to record commands), and — for a write, or a
 * refused one — written to the audit log with the commands it ran, once it and any job it
 * started have ended.
 *
 *   export const { GET, POST } = api('/api/hosts/[host]/pools', { GET: …, POST: … });
 *
 * `pattern` is the route file's path under app/ (a test checks it, and that every export of every
 * route.ts is made here). A `METHOD pattern` missing from the permission table fails at start.
 */
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type RouteCtx = { params: Promise<Record<string, string>> };
type Handler = (req: Request, ctx: RouteCtx) => Promise<Response> | Response;

/** Marks a wrapped handler (the route test reads it). */
export const ROUTE_TAG = Symbol.for('ksc.route');
export interface RouteTag {
  pattern: string;
  method: Method;
}

const unauthenticated = () =>
  new AppError('unauthenticated', 'Sign in first, or send an API token (Authorization: Bearer …)', { status: 401 });

async function authorize(p: RoutePermission, principal: Principal | null, params: Record<string, string>, method: string, pattern: string): Promise<AppError | null> {
  if (p.scope === 'public') return null;
  if (!principal) return unauthenticated();
  if (p.scope === 'signed-in') return null;
  const role = roleNeeded(p, params) ?? 'viewer';
  const what = `${method} ${operationOf(method, pattern, params).slice(method.length + 1)}`;
  if (p.scope === 'console') return atLeast(consoleRole(principal.grants), role) ? null : new PermissionError(role, null, what);
  const host = p.scope === 'host' ? (params.host ?? '') : await findJobHost(params.job ?? '');
  if (host === null) return null; // an unknown job: the handler answers 404
  return atLeast(roleOn(principal.grants, host), role) ? null : new PermissionError(role, host, what);
}

/** The object a URL names, for the audit record (`pool/volume`, `vm/snapshot` …). */
function objectOf(params: Record<string, string>): { kind: string | null; name: string | null } {
  const { pool, volume, vm, name, target, snapshot, job, user, token, grant, session } = params;
  if (pool && volume && snapshot) return { kind: 'volume-snapshot', name: `${pool}/${volume}/${snapshot}` };
  if (pool && volume) return { kind: 'volume', name: `${pool}/${volume}` };
  if (pool) return { kind: 'pool', name: pool };
  if (vm && name) return { kind: 'vm-snapshot', name: `${vm}/${name}` };
  if (vm && target) return { kind: 'vm-disk', name: `${vm}/${target}` };
  if (vm) return { kind: 'vm', name: vm };
  if (job) return { kind: 'job', name: job };
  if (user) return { kind: 'user', name: user };
  if (token) return { kind: 'token', name: token };
  if (grant) return { kind: 'grant', name: grant };
  if (session) return { kind: 'session', name: session };
  return { kind: null, name: null };
}

/** `POST /pools/[pool]/volumes/[volume]/resize`: the pattern with its action segments filled in. */
function operationOf(method: string, pattern: string, params: Record<string, string>): string {
  const path = pattern.replace(/^\/api\/hosts\/\[host\]/, '').replace(/^\/api/, '') || '/';
  return `${method} ${path.replace(/\[(op|action)\]/g, (_m, k: string) => params[k] ?? `[${k}]`)}`;
}

/** What the handler set for the record beyond the URL (e.g. the name of a pool it created). */
export interface AuditNote {
  objectKind?: string;
  object?: string;
  operation?: string;
  detail?: Record<string, unknown>;
  /** The user acted on (sign-in, user admin): recorded as the actor when there is no principal. */
  actor?: string;
}
const notes = new WeakMap<RequestContext, AuditNote>();

/** Add to the audit record of the current request (no-op outside one). */
export function noteAudit(n: AuditNote): void {
  const ctx = contextStore.getStore();
  if (ctx) notes.set(ctx, { ...notes.get(ctx), ...n, detail: { ...notes.get(ctx)?.detail, ...n.detail } });
}

async function errorOf(res: Response): Promise<{ code?: string; message?: string; body?: Record<string, unknown> } | null> {
  if (!(res.headers.get('content-type') ?? '').includes('application/json')) return null;
  const len = Number(res.headers.get('content-length') ?? 0);
  if (len > 512 * 1024) return null;
  try {
    const body = (await res.clone().json()) as Record<string, unknown>;
    const err = body?.error as { code?: string; message?: string } | undefined;
    return { code: err?.code, message: err?.message, body };
  } catch {
    return null;
  }
}

/** What a wrapped handler looks like to Next (and to tests that call it directly). */
export type RouteHandler = (req: Request, ctx?: RouteCtx) => Promise<Response>;

export function api<H extends Partial<Record<Method, Handler>>>(pattern: string, handlers: H, opts: { gate?: boolean } = {}): { [K in keyof H]: RouteHandler } {
  const out: Partial<Record<Method, RouteHandler>> = {};
  for (const [m, handler] of Object.entries(handlers) as Array<[Method, Handler]>) {
    const perm = permissionOf(m, pattern);
    if (!perm) throw new Error(`${m} ${pattern} is missing from ROUTE_PERMISSIONS (lib/auth/permissions.ts)`);
    const wrapped: RouteHandler = (req, rctx) => {
      const run = () => serve(req, rctx ?? { params: Promise.resolve({}) }, m, pattern, perm, handler);
      return opts.gate ? gated(req, run) : run();
    };
    Object.defineProperty(wrapped, ROUTE_TAG, { value: { pattern, method: m } satisfies RouteTag });
    out[m] = wrapped;
  }
  return out as { [K in keyof H]: RouteHandler };
}

async function serve(req: Request, rctx: RouteCtx, method: Method, pattern: string, perm: RoutePermission, handler: Handler): Promise<Response> {
  const params = rctx?.params ? await rctx.params : {};
  let principal: Principal | null = null;
  try {
    principal = await principalFromHeaders(req.headers);
  } catch (e) {
    return errorResponse(e);
  }
  const ctx: RequestContext = { principal, sourceAddress: sourceAddressOf(req.headers), host: params.host ?? null, commands: [], reads: 0, pendingJobs: 0, jobOutcomes: [] };
  const refusal = await authorize(perm, principal, params, method, pattern).catch((e: unknown) => (e instanceof AppError ? e : null));
  let res: Response;
  if (refusal) {
    await req.body?.cancel().catch(() => undefined);
    res = errorResponse(refusal);
    if (refusal.status === 401) res.headers.set('www-authenticate', 'Bearer realm="ksc"');
  } else res = await contextStore.run(ctx, () => Promise.resolve(handler(req, { params: Promise.resolve(params) }))).catch((e: unknown) => errorResponse(e));
  if (!isAudited(method, perm)) return res;
  // The record: written now, or when the last job this request started ends.
  const err = res.status >= 400 || res.status === 202 ? await errorOf(res) : null;
  const obj = objectOf(params);
  const jobs = ctx.jobOutcomes;
  const write = () => {
    const note = notes.get(ctx) ?? {};
    const failedJob = jobs.find((j) => j.state !== 'succeeded');
    const result: AuditInput['result'] =
      res.status >= 500 ? 'failed' : res.status >= 400 ? 'refused' : failedJob ? 'failed' : 'ok';
    const rec: AuditInput = {
      actorKind: principal ? principal.kind : 'anonymous',
      actor: principal?.username ?? note.actor ?? null,
      tokenId: principal?.tokenId ?? null,
      sourceAddress: ctx.sourceAddress,
      host: ctx.host,
      objectKind: note.objectKind ?? obj.kind,
      object: note.object ?? obj.name,
      operation: note.operation ?? operationOf(method, pattern, params),
      result,
      status: res.status,
      commands: ctx.commands,
      detail: {
        ...(note.detail ?? {}),
        ...(ctx.reads ? { reads: ctx.reads } : {}),
        ...(err?.code ? { error: { code: err.code, message: err.message } } : {}),
        ...(jobs.length ? { jobs: jobs.map((j) => ({ id: j.jobId, state: j.state, ...(j.error ? { error: j.error } : {}) })) } : {}),
      },
    };
    return appendAuditSafely(rec);
  };
  // The record is in the log before the answer leaves (a job's, when the job ends).
  if (ctx.pendingJobs > 0) ctx.onJobsDone = () => void write();
  else await write();
  return res;
}

/** For handlers: the signed-in caller (null outside a request, or for a public route called anonymously). */
export const currentPrincipal = (): Principal | null => contextStore.getStore()?.principal ?? null;

/** A JSON answer with no-store, for handlers that build their own. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  NextResponse.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
