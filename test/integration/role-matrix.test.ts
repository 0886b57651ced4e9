import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import { atLeast } from '@/lib/auth/roles';
import { ROUTE_PERMISSIONS, roleNeeded, type RoutePermission } from '@/lib/auth/permissions';
import { closeDatabase } from '@/server/db';
import { startJob, waitForJob } from '@/server/jobs/jobs';
import { authHeaders } from '../helpers/auth';
import { LAB_INVENTORY } from '../helpers/lab';
import { fileOf, PENDING_ROUTES, tableEntries } from '../helpers/routes';

// The role matrix of issue 13, generated from the permission table (lib/auth/permissions.ts), so
// a new route is covered the day it is added: every route × method, called through its real
// handler as anonymous, viewer, operator and admin — each with a grant on host `lab` only —
// against `lab` and against another inventory host (`lab2`). Path names that do not exist
// (`ksc-matrix-none`) keep the allowed calls harmless (404/422). Expected: 401 for anonymous on
// anything not public; on `lab`, not 401/403 when the role suffices, else exactly 403 with
// `detail.permission` naming the role needed; on `lab2`, 403 for every role. Each `byParam`
// value (pools/[pool]/[action], volumes/[volume]/[op], vmdk/[action]) is called too.
const NONE = 'ksc-matrix-none';
const OTHER = 'lab2';
// `admin*`: an admin with a grant on every host, the only caller the `console` scope lets in.
const CALLERS = ['anonymous', 'viewer', 'operator', 'admin', 'admin*'] as const;
type Caller = (typeof CALLERS)[number];
const data = mkdtempSync(path.join(tmpdir(), 'ksc-matrix-'));
const env = { ...process.env };
const headersOf: Partial<Record<Caller, Record<string, string>>> = { anonymous: {} };
const jobOn: Record<string, string> = {};

beforeAll(async () => {
  process.env.KSC_INVENTORY = LAB_INVENTORY;
  process.env.KSC_DATA_DIR = data; // SQLite here; the integration-pg project's DATABASE_URL wins
  for (const role of ['viewer', 'operator', 'admin'] as const) headersOf[role] = await authHeaders(role, ['lab']);
  headersOf['admin*'] = await authHeaders('admin', '*');
  // A finished job on each host: the `job` scope's host is the job's.
  for (const host of ['lab', OTHER]) {
    const j = startJob({ kind: 'check', title: `matrix ${host}`, hostId: host, target: {}, command: 'true' }, async () => null);
    jobOn[host] = (await waitForJob(j.id)).id;
  }
}, 60_000);
afterAll(async () => {
  await closeDatabase();
  process.env = { ...env };
  rmSync(data, { recursive: true, force: true });
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** The `[name]` and `[...name]` segments of a pattern. */
const paramNames = (pattern: string) => [...pattern.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]!);

interface Call {
  label: string;
  /** The host the call is about (null for routes without one). */
  host: string | null;
  params: Record<string, string | string[]>;
}

/** The calls of one table entry: each host (or job) × each byParam value. */
function callsOf(pattern: string, p: RoutePermission): Call[] {
  const names = paramNames(pattern);
  const hosts: Array<string | null> = p.scope === 'host' || p.scope === 'job' ? ['lab', OTHER] : [null];
  const byValues = p.byParam ? [...Object.keys(p.byParam.roles), NONE] : [NONE];
  const out: Call[] = [];
  for (const host of hosts)
    for (const v of p.byParam ? byValues : [NONE]) {
      const params: Record<string, string | string[]> = {};
      for (const n of names) {
        if (n === 'host') params[n] = host ?? NONE;
        else if (n === 'job') params[n] = host ? jobOn[host]! : NONE;
        else if (n === 'path') params[n] = [NONE];
        else if (p.byParam?.param === n) params[n] = v;
        else params[n] = NONE;
      }
      out.push({ label: [host, p.byParam ? `${p.byParam.param}=${v}` : null].filter(Boolean).join(' '), host, params });
    }
  return out;
}

function urlOf(pattern: string, params: Record<string, string | string[]>): string {
  return `http://127.0.0.1:3000${pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_m, n: string) => {
    const v = params[n]!;
    return Array.isArray(v) ? v.map(encodeURIComponent).join('/') : encodeURIComponent(v);
  })}`;
}

/** A request as the console's own page would send it (it passes the request gate), with an empty JSON body for writes. */
function requestOf(method: string, url: string, auth: Record<string, string>): Request {
  const write = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers: {
      host: '127.0.0.1:3000',
      origin: 'http://127.0.0.1:3000',
      'sec-fetch-site': 'same-origin',
      'x-ksc-client': '1',
      'x-ksc-upload': '1',
      ...(write ? { 'content-type': 'application/json' } : {}),
      ...auth,
    },
    body: write ? '{}' : undefined,
  });
}

/** What a caller should get, from the table alone. */
function expected(p: RoutePermission, call: Call, caller: Caller): { allowed: true } | { status: 401 } | { status: 403; permission: Role } {
  if (p.scope === 'public') return { allowed: true };
  if (caller === 'anonymous') return { status: 401 };
  if (p.scope === 'signed-in' || caller === 'admin*') return { allowed: true };
  const need = roleNeeded(p, call.params as Record<string, string>) ?? 'viewer';
  if (p.scope === 'console') return { status: 403, permission: need }; // a grant on `lab` only is no role on every host
  return call.host === 'lab' && atLeast(caller, need) ? { allowed: true } : { status: 403, permission: need };
}

async function answer(res: Response): Promise<{ status: number; body: { error?: { code?: string; detail?: { permission?: string; host?: string } } } | null }> {
  const text = await res.text(); // also drains an event stream (the jobs are finished: it ends)
  try {
    return { status: res.status, body: JSON.parse(text) as never };
  } catch {
    return { status: res.status, body: null };
  }
}

describe('role matrix: every route × method × caller, from the permission table', () => {
  for (const [method, pattern] of tableEntries()) {
    const key = `${method} ${pattern}`;
    const p = ROUTE_PERMISSIONS[key]!;
    if (PENDING_ROUTES.has(key) && !existsSync(fileOf(pattern))) {
      it.todo(`${key} (being built: covered once its route exists)`);
      continue;
    }
    it(key, async () => {
      const mod = (await import(fileOf(pattern))) as Record<string, Handler | undefined>;
      const handler = mod[method];
      expect(handler, `${key}: no ${method} handler`).toBeTypeOf('function');
      const seen: string[] = [];
      for (const call of callsOf(pattern, p))
        for (const caller of CALLERS) {
          const res = await answer(await handler!(requestOf(method, urlOf(pattern, call.params), headersOf[caller]!), { params: Promise.resolve(call.params) }));
          const want = expected(p, call, caller);
          const where = `${key} [${call.label || '-'}] as ${caller}: ${res.status} ${JSON.stringify(res.body?.error ?? null)}`;
          seen.push(`${caller}@${call.label || '-'}=${res.status}`);
          if ('allowed' in want) {
            expect([401, 403], where).not.toContain(res.status);
            expect(res.status, where).toBeLessThan(500);
          } else if (want.status === 401) {
            expect(res.status, where).toBe(401);
            expect(res.body?.error?.code, where).toBe('unauthenticated');
          } else {
            expect(res.status, where).toBe(403);
            expect(res.body?.error?.detail?.permission, where).toBe(want.permission);
            if (call.host) expect(res.body?.error?.detail?.host, where).toBe(call.host);
          }
        }
      console.log(`${key}: ${seen.join(' ')}`);
    });
  }
});

describe('hosts outside a grant are not listed', () => {
  it('GET /api/hosts: anonymous 401; viewer, operator and admin on `lab` see only `lab`', async () => {
    const { GET } = (await import('@/app/api/hosts/route')) as { GET: Handler };
    const all = await GET(requestOf('GET', 'http://127.0.0.1:3000/api/hosts', {}), { params: Promise.resolve({}) });
    expect(all.status).toBe(401);
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const res = await GET(requestOf('GET', 'http://127.0.0.1:3000/api/hosts', headersOf[role]!), { params: Promise.resolve({}) });
      expect(res.status).toBe(200);
      const hosts = (await res.json()) as Array<{ id: string }>;
      expect([role, hosts.map((h) => h.id)]).toEqual([role, ['lab']]);
    }
  });

  it('GET /api/jobs lists only the jobs of `lab`', async () => {
    const { GET } = (await import('@/app/api/jobs/route')) as { GET: Handler };
    const res = await GET(requestOf('GET', 'http://127.0.0.1:3000/api/jobs', headersOf.viewer!), { params: Promise.resolve({}) });
    const jobs = (await res.json()) as Array<{ id: string; hostId: string }>;
    expect(jobs.map((j) => j.id)).toContain(jobOn.lab);
    expect(jobs.every((j) => j.hostId === 'lab')).toBe(true);
  });
});
