import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDatabase, database, nowIso } from '@/server/db';
import { startJob, waitForJob } from '@/server/jobs/jobs';
import { openStreams } from '@/server/jobs/streams';
import { authHeaders } from '@/test/helpers/auth';
import { freshDatabase, onPostgres } from '@/test/helpers/db';
import { GET as eventsGET } from './[job]/events/route';
import { GET as jobsGET } from './route';

// The job routes' bounds: ?limit clamped, event streams capped (429 too-many-streams) and
// released on close, and an unexpected failure answering a generic message with a logged id.
const root = mkdtempSync(path.join(tmpdir(), 'ksc-lim-routes-'));
const env = { ...process.env };
beforeEach(async () => {
  await freshDatabase();
});
afterEach(() => {
  process.env = { ...env };
  vi.restoreAllMocks();
});
afterAll(async () => {
  await closeDatabase();
  rmSync(root, { recursive: true, force: true });
});

const get = async (url: string, headers: Record<string, string> = {}) => new Request(`http://x${url}`, { headers: { ...(await authHeaders()), ...headers } });
const params = (job: string) => ({ params: Promise.resolve({ job }) });

describe('GET /api/jobs?limit', () => {
  it('limit=-1 and limit=100000 are clamped (1 and 500); junk gives the default 200', async () => {
    const db = await database();
    const rows = Array.from({ length: 600 }, (_, i) => ({ id: `r${i}`, kind: 'check', title: 't', host_id: 'h', target: '{}', state: 'succeeded', command: 'c', created_at: nowIso(Date.now() - i * 1000) }));
    for (let i = 0; i < rows.length; i += 100) await db.insertInto('jobs').values(rows.slice(i, i + 100)).execute();
    const count = async (q: string) => ((await (await jobsGET(await get(`/api/jobs${q}`))).json()) as unknown[]).length;
    expect(await count('?limit=-1')).toBe(1);
    expect(await count('?limit=100000')).toBe(500);
    expect(await count('?limit=abc')).toBe(200);
    expect(await count('?limit=7')).toBe(7);
    expect(await count('')).toBe(200);
  });

  it.skipIf(onPostgres())('an unexpected failure (the data directory is a file) answers 500 internal with an id that the log has, never the raw message', async () => {
    const req = await get('/api/jobs'); // signed in while the data directory still works
    const file = path.join(root, 'not-a-dir');
    writeFileSync(file, '');
    process.env.KSC_DATA_DIR = path.join(file, 'sub');
    await closeDatabase();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await jobsGET(req);
    expect(res.status).toBe(500);
    const { error } = (await res.json()) as { error: { code: string; message: string; id: string } };
    expect(error).toEqual({ code: 'internal', message: `Internal error (id ${error.id})`, id: error.id });
    expect(JSON.stringify(error)).not.toContain(root);
    const logged = log.mock.calls.flat().map((x) => (x instanceof Error ? `${x.message} ${x.stack}` : String(x))).join(' ');
    expect(logged).toContain(error.id);
    expect(logged).toContain('not-a-dir'); // the real error sits next to the id
  });
});

describe('GET /api/jobs/{id}/events is capped', () => {
  const deferred = () => {
    let resolve!: () => void;
    const p = new Promise<void>((r) => (resolve = r));
    return { p, resolve };
  };

  it('without a trusted proxy a global cap (KSC_SSE_MAX) applies; a closed stream frees its slot', async () => {
    process.env.KSC_SSE_MAX = '2';
    const gate = deferred();
    const job = startJob({ kind: 'check', title: 'sse', hostId: 'sse-h', target: {}, command: 'c' }, () => gate.p);
    const a = await eventsGET(await get(`/api/jobs/${job.id}/events`), params(job.id));
    const b = await eventsGET(await get(`/api/jobs/${job.id}/events`), params(job.id));
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await eventsGET(await get(`/api/jobs/${job.id}/events`), params(job.id));
    expect(c.status).toBe(429);
    expect(((await c.json()) as { error: { code: string } }).error.code).toBe('too-many-streams');
    await a.body!.cancel(); // the browser closes one
    expect(openStreams().total).toBe(1);
    const d = await eventsGET(await get(`/api/jobs/${job.id}/events`), params(job.id));
    expect(d.status).toBe(200);
    gate.resolve();
    await waitForJob(job.id);
    await Promise.all([b.text(), d.text()]); // streams end with the job…
    expect(openStreams().total).toBe(0); // …and give their slots back
  });

  it('the cap per client (KSC_SSE_PER_CLIENT) counts by signed-in user', async () => {
    process.env.KSC_SSE_PER_CLIENT = '1';
    const gate = deferred();
    const job = startJob({ kind: 'check', title: 'sse2', hostId: 'sse-h2', target: {}, command: 'c' }, () => gate.p);
    const alice = await authHeaders('admin');
    const bob = await authHeaders('viewer');
    const ev = async (who: Record<string, string>) => eventsGET(new Request(`http://x/api/jobs/${job.id}/events`, { headers: who }), params(job.id));
    const a1 = await ev(alice);
    expect(a1.status).toBe(200);
    const a2 = await ev(alice);
    expect(a2.status).toBe(429);
    expect(((await a2.json()) as { error: { message: string } }).error.message).toContain('for user t-admin-');
    const b1 = await ev(bob);
    expect(b1.status).toBe(200);
    expect(Object.values(openStreams().byClient)).toEqual([1, 1]);
    gate.resolve();
    await waitForJob(job.id);
    await Promise.all([a1.text(), b1.text()]);
    expect(openStreams()).toEqual({ total: 0, byClient: {} });
  });
});
