import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as chainsGET } from '@/app/api/hosts/[host]/chains/route';
import { GET as opGET, POST as opPOST } from '@/app/api/hosts/[host]/pools/[pool]/volumes/[volume]/[op]/route';
import { DELETE as volDELETE } from '@/app/api/hosts/[host]/pools/[pool]/volumes/[volume]/route';
import { POST as volPOST } from '@/app/api/hosts/[host]/pools/[pool]/volumes/route';
import { DELETE as jobDELETE, GET as jobGET } from '@/app/api/jobs/[job]/route';
import { waitForJob } from '@/server/jobs/jobs';
import { authHeaders } from '../helpers/auth';
import { cleanLab, exists, info, makePool, setupEnv, sha256 } from '../helpers/volumes';

// The HTTP contract through the route handlers themselves: status codes (201/202/409/422),
// the guard body shape, check as a job, and the job routes.
const R = 'ksc-vol-r';
let dir = '';
const data = mkdtempSync(path.join(tmpdir(), 'ksc-vol-data-'));
const req = async (method: string, body?: unknown) =>
  new Request('http://x/api', { method, headers: { ...(await authHeaders()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

beforeAll(() => {
  setupEnv(data);
  cleanLab('ksc-vol-r');
  dir = makePool(R);
});
afterAll(() => {
  cleanLab('ksc-vol-r');
  rmSync(data, { recursive: true, force: true });
});

describe('volume routes', () => {
  it('POST volumes creates; a bad body is a 422 with field errors', async () => {
    const bad = await volPOST(await req('POST', { name: 'x.qcow2', capacity: 'ten gigs' }), params({ host: 'lab', pool: R }));
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('capacity');
    const ok = await volPOST(await req('POST', { name: 'r.qcow2', capacity: '32M' }), params({ host: 'lab', pool: R }));
    expect(ok.status).toBe(200);
    expect(info(path.join(dir, 'r.qcow2'))['virtual-size']).toBe(32 * 1024 * 1024);
  });

  it('a guard answers 409 with code, message and detail {confirmWith, affected}', async () => {
    const sum = sha256(path.join(dir, 'r.qcow2'));
    const res = await volDELETE(await req('DELETE', {}), params({ host: 'lab', pool: R, volume: 'r.qcow2' }));
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string; detail: { confirmWith: string; affected: unknown } } };
    expect(body.error.code).toBe('delete-volume');
    expect(body.error.detail.confirmWith).toBe('r.qcow2');
    expect(sha256(path.join(dir, 'r.qcow2'))).toBe(sum);
  });

  it('check as a job: 202, then the job holds the verdict; GET info and map answer JSON', async () => {
    const res = await opPOST(await req('POST', { job: true }), params({ host: 'lab', pool: R, volume: 'r.qcow2', op: 'check' }));
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    const job = await waitForJob(jobId);
    expect(job).toMatchObject({ state: 'succeeded', kind: 'check', result: { verdict: 'clean' } });
    const g = await jobGET(await req('GET'), params({ job: jobId }));
    expect(((await g.json()) as { state: string }).state).toBe('succeeded');
    const d = await jobDELETE(await req('DELETE'), params({ job: jobId }));
    expect(d.status).toBe(409);
    const i = await opGET(await req('GET'), params({ host: 'lab', pool: R, volume: 'r.qcow2', op: 'info' }));
    expect(((await i.json()) as { chain: Array<{ format: string }> }).chain[0]?.format).toBe('qcow2');
    const m = await opGET(await req('GET'), params({ host: 'lab', pool: R, volume: 'r.qcow2', op: 'map' }));
    expect(((await m.json()) as { virtualSize: number }).virtualSize).toBe(32 * 1024 * 1024);
    const unknown = await opPOST(await req('POST', {}), params({ host: 'lab', pool: R, volume: 'r.qcow2', op: 'explode' }));
    expect(unknown.status).toBe(404);
  });

  it('GET chains answers the host’s trees; delete with confirm removes the file', async () => {
    const c = await chainsGET(await req('GET'), params({ host: 'lab' }));
    expect(c.status).toBe(200);
    expect(((await c.json()) as { chains: unknown[] }).chains.length).toBeGreaterThan(0);
    const del = await volDELETE(await req('DELETE', { confirm: 'r.qcow2' }), params({ host: 'lab', pool: R, volume: 'r.qcow2' }));
    expect(del.status).toBe(200);
    expect(exists(path.join(dir, 'r.qcow2'))).toBe(false);
  });
});
