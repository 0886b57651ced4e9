import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { authHeaders } from '@/test/helpers/auth';
import { queryAudit, verifyAudit } from './audit/log';
import { AuditedTransport } from './audit/transport';
import { closeDatabase } from './db';
import { startJob, waitForJob } from './jobs/jobs';
import { fakeTransport } from './operations/fake-transport';
import { guard } from './operations/guards';
import { runPlan } from './operations/run';
import { command } from './commands/command';
import { api, ROUTE_TAG } from './route';
import { json } from './route';

// The one route wrapper: authentication, the permission table, the request context that guards
// and the audit transport read, and the audit record (also for refusals, and after a job ends).
const root = mkdtempSync(path.join(tmpdir(), 'ksc-route-'));
let n = 0;
beforeEach(async () => {
  await closeDatabase();
  process.env.KSC_DATA_DIR = path.join(root, `d${n++}`);
});
afterAll(async () => {
  await closeDatabase();
  rmSync(root, { recursive: true, force: true });
});

const PATTERN = '/api/hosts/[host]/pools/[pool]/[action]';
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });
const post = async (headers: Record<string, string>) => new Request('http://x/api', { method: 'POST', headers });
const latest = async () => (await queryAudit({ hosts: '*', includeConsole: true, limit: 1 }))[0]!;

describe('api()', () => {
  it('refuses a route missing from the permission table when the module loads', () => {
    expect(() => api('/api/nowhere', { POST: async () => json({}) })).toThrow(/missing from ROUTE_PERMISSIONS/);
  });

  it('tags each handler with its pattern and method (the route test reads it)', () => {
    const r = api(PATTERN, { POST: async () => json({}) });
    expect((r.POST as unknown as Record<symbol, unknown>)[ROUTE_TAG]).toEqual({ pattern: PATTERN, method: 'POST' });
  });

  it('anonymous: 401 with WWW-Authenticate, the handler never runs, the refusal is recorded', async () => {
    let ran = false;
    const r = api(PATTERN, { POST: async () => ((ran = true), json({})) });
    const res = await r.POST(await post({}), params({ host: 'lab', pool: 'p', action: 'start' }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(ran).toBe(false);
    await expect.poll(latest).toMatchObject({ actor_kind: 'anonymous', result: 'refused', status: 401, host: 'lab', object: 'p', operation: 'POST /pools/[pool]/start' });
  });

  it('a role too weak for the action (build is an admin’s) or a host outside the grants: 403 naming the role', async () => {
    const r = api(PATTERN, { POST: async () => json({ ok: true }) });
    const op = await authHeaders('operator', ['lab']);
    expect((await r.POST(await post(op), params({ host: 'lab', pool: 'p', action: 'start' }))).status).toBe(200);
    const build = await r.POST(await post(op), params({ host: 'lab', pool: 'p', action: 'build' }));
    expect(build.status).toBe(403);
    expect(await build.json()).toMatchObject({ error: { code: 'forbidden', detail: { permission: 'admin', host: 'lab' } } });
    const other = await r.POST(await post(op), params({ host: 'lab2', pool: 'p', action: 'start' }));
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: { detail: { permission: 'operator', host: 'lab2' } } });
  });

  it('records the plan steps that ran (command, exit, title; public stdin only), counts reads, keeps secrets out', async () => {
    const t = new AuditedTransport(fakeTransport((c) => (c.startsWith('false') ? { exitCode: 1, stderr: 'error: nope' } : undefined)));
    const r = api(PATTERN, {
      POST: async () => {
        await t.exec(command('virsh', 'pool-list')); // a read: counted, not listed
        await runPlan(t, [
          { title: 'Define', inv: command('virsh', 'pool-define', '/dev/stdin'), stdin: '<pool/>' },
          { title: 'Set the secret', inv: command('virsh', 'secret-set-value', '--file', '/dev/stdin'), stdin: 'hunter2-secret', secret: true },
        ]);
        return json({ ok: true });
      },
    });
    const admin = await authHeaders('admin');
    expect((await r.POST(await post(admin), params({ host: 'lab', pool: 'p', action: 'start' }))).status).toBe(200);
    const rec = await latest();
    expect(rec).toMatchObject({ actor_kind: 'token', result: 'ok', status: 200, detail: { reads: 1 } });
    expect(rec.commands).toEqual([
      { title: 'Define', command: "virsh pool-define /dev/stdin", stdin: '<pool/>', exitCode: 0, ok: true, durationMs: 0 },
      { title: 'Set the secret', command: 'virsh secret-set-value --file /dev/stdin', exitCode: 0, ok: true, durationMs: 0 },
    ]);
    expect(JSON.stringify(rec)).not.toContain('hunter2');
    expect((await verifyAudit()).intact).toBe(true);
  });

  it('a guarded hazard needs admin on the host, confirmation or not', async () => {
    const r = api(PATTERN, {
      POST: async () => (guard({ hazard: 'overwrite-build', name: 'p', confirm: 'p' }), json({ ok: true })),
    });
    const op = await authHeaders('operator');
    const res = await r.POST(await post(op), params({ host: 'lab', pool: 'p', action: 'start' }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden', detail: { permission: 'admin', host: 'lab' } } });
    expect(await latest()).toMatchObject({ result: 'refused', status: 403 });
    const admin = await authHeaders('admin');
    expect((await r.POST(await post(admin), params({ host: 'lab', pool: 'p', action: 'start' }))).status).toBe(200);
  });

  it('a request that starts a job is recorded when the job ends, with its commands and outcome', async () => {
    const t = new AuditedTransport(fakeTransport((c) => (c.includes('fail') ? { exitCode: 3, stderr: 'boom' } : undefined)));
    let jobId = '';
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const r = api(PATTERN, {
      POST: async () => {
        jobId = startJob({ kind: 'check', title: 't', hostId: 'lab', target: {}, command: 'c' }, async () => {
          await gate;
          await runPlan(t, [{ title: 'Work', inv: command('work') }, { title: 'Then fail', inv: command('fail') }]);
        }).id;
        return json({ jobId }, 202);
      },
    });
    const before = (await verifyAudit()).records;
    const res = await r.POST(await post(await authHeaders('admin')), params({ host: 'lab', pool: 'p', action: 'start' }));
    expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 50));
    expect((await verifyAudit()).records).toBe(before); // not yet: the job runs
    release();
    await waitForJob(jobId);
    await expect.poll(async () => (await latest()).operation).toBe('POST /pools/[pool]/start');
    const rec = await latest();
    expect(rec.result).toBe('failed');
    expect(rec.status).toBe(202);
    expect(rec.detail).toMatchObject({ jobs: [{ id: jobId, state: 'failed' }] });
    expect(rec.commands.map((c) => (c as { title: string }).title)).toEqual(['Work', 'Then fail']);
  });
});
