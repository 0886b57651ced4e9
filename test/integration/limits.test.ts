import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { authHeaders } from '../helpers/auth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PUT as contentPUT } from '@/app/api/hosts/[host]/pools/[pool]/volumes/[volume]/content/route';
import { POST as volPOST } from '@/app/api/hosts/[host]/pools/[pool]/volumes/route';
import { listPools } from '@/server/hosts/service';
import { invalidate } from '@/server/hosts/storage-cache';
import { hostJobCounts, localJob, waitForJob } from '@/server/jobs/jobs';
import { convertVolume } from '@/server/volumes/job-operations';
import { sh, setupEnv, sys } from '../helpers/volumes';
import { holds, settled, until } from '../helpers/until';
import { quiet } from '../helpers/virsh';

// The content route passes the request gate itself (proxy.ts does not front it): a request as the
// console's own page sends it — its Host and Origin, and the upload header a form cannot send.
const CONSOLE = 'http://127.0.0.1:3000';
const UPLOAD = { host: '127.0.0.1:3000', origin: CONSOLE, 'x-ksc-upload': '1', 'sec-fetch-site': 'same-origin' };

// Bounded resources against the real lab over SSH: a 2 MiB JSON body, an upload that cannot
// fit its pool (refused before a byte is written; stopped and cleaned up if the pool fills
// during the copy), and 12 converts on one host (at most the per-host limit run, the rest are
// queued, a host read still answers, all finish). Objects are named lim-*.
const ROOT = '/var/lib/ksc-lim';
const P = 'lim-p'; // a dir pool on the root filesystem
const S = 'lim-small'; // a dir pool on a 64 MiB tmpfs: small enough to fill
const dirP = path.join(ROOT, P);
const dirS = path.join(ROOT, S);
const data = mkdtempSync(path.join(tmpdir(), 'ksc-lim-data-'));
const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });
/** The pace of a slow request body (a throttle, not a wait for something). */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const vols = (pool: string) => sys('vol-list', pool).split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean).sort();
const poolBytes = (pool: string) => {
  const kv = Object.fromEntries(sys('pool-info', '--bytes', pool).split('\n').map((l) => l.split(/:\s+/)));
  return { allocation: Number(kv.Allocation), available: Number(kv.Available) };
};

function cleanup() {
  for (const p of [P, S]) {
    quiet('pool-destroy', p);
    quiet('pool-undefine', p);
  }
  try {
    execFileSync('umount', [dirS], { stdio: 'ignore' });
  } catch {
    /* not mounted */
  }
  rmSync(ROOT, { recursive: true, force: true });
}

/** A body of `total` bytes in 64 KiB chunks, `delayMs` between them; counts what was pulled. */
function slowBody(total: number, delayMs = 0) {
  const seen = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (seen.pulled >= total) return c.close();
      if (delayMs) await sleep(delayMs);
      const n = Math.min(64 * 1024, total - seen.pulled);
      seen.pulled += n;
      c.enqueue(new Uint8Array(n).fill(0xab));
    },
  });
  return { stream, seen };
}

beforeAll(() => {
  setupEnv(data);
  cleanup();
  mkdirSync(dirP, { recursive: true });
  sys('pool-create-as', P, 'dir', '--target', dirP);
  mkdirSync(dirS, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dirS]);
  sys('pool-create-as', S, 'dir', '--target', dirS);
  // Big enough (random data, compressed) that a convert outlasts starting all twelve, even under load.
  sh(`head -c 128M /dev/urandom > ${dirP}/src.raw`);
  sys('pool-refresh', P);
  invalidate('lab');
}, 120_000);
afterAll(() => {
  cleanup();
  rmSync(data, { recursive: true, force: true });
});

describe('request bodies', () => {
  it('a 2 MiB JSON body to POST …/volumes answers 413 body-too-large; nothing is created', async () => {
    const body = JSON.stringify({ name: 'lim-big.qcow2', capacity: '1M', pad: 'x'.repeat(2 * 1024 * 1024) });
    const res = await volPOST(new Request('http://x/api', { method: 'POST', body, headers: { ...(await authHeaders()), 'content-type': 'application/json' } }), params({ host: 'lab', pool: P }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('body-too-large');
    expect(vols(P)).not.toContain('lim-big.qcow2');
  });
});

describe('uploads must fit the pool', () => {
  it('an upload larger than the pool’s free space is refused (507 pool-full, needed vs available) before a byte is written', async () => {
    const before = { vols: vols(S), bytes: poolBytes(S) };
    const size = 96 * 1024 * 1024; // the pool holds 64 MiB
    const { stream, seen } = slowBody(size);
    const req = new Request(`${CONSOLE}/api/hosts/lab/pools/x/volumes/y/content`, { method: 'PUT', body: stream, duplex: 'half', headers: { ...UPLOAD, ...(await authHeaders()), 'content-length': String(size) } } as RequestInit);
    const res = await contentPUT(req, params({ host: 'lab', pool: S, volume: 'lim-huge.raw' }));
    expect(res.status).toBe(507);
    const { error } = (await res.json()) as { error: { code: string; message: string; detail: { needed: number; available: number } } };
    expect(error.code).toBe('pool-full');
    expect(error.detail.needed).toBe(size);
    expect(error.detail.available).toBeLessThan(size);
    expect(error.message).toContain(String(size));
    expect(error.message).toContain(String(error.detail.available));
    expect(seen.pulled).toBeLessThanOrEqual(64 * 1024); // the body was not read
    sys('pool-refresh', S);
    expect(vols(S)).toEqual(before.vols);
    expect(poolBytes(S).allocation).toBe(before.bytes.allocation);
  }, 60_000);

  it('a new volume whose upload stops half-way is removed', async () => {
    const size = 16 * 1024 * 1024;
    const { stream, seen } = slowBody(size, 20);
    const ac = new AbortController();
    const req = new Request(`${CONSOLE}/api/hosts/lab/pools/x/volumes/y/content`, { method: 'PUT', body: stream, duplex: 'half', signal: ac.signal, headers: { ...UPLOAD, ...(await authHeaders()), 'content-length': String(size) } } as RequestInit);
    const pending = contentPUT(req, params({ host: 'lab', pool: S, volume: 'lim-half.raw' }));
    await until(() => seen.pulled >= 2 * 1024 * 1024, { timeoutMs: 60_000, intervalMs: 50, what: '2 MiB of the body read' });
    expect(vols(S)).toContain('lim-half.raw'); // created, being written
    ac.abort(); // the browser goes away
    const res = await pending;
    const job = (await res.json()) as { state: string; error: { code: string } };
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('upload-incomplete');
    sys('pool-refresh', S);
    expect(vols(S)).not.toContain('lim-half.raw');
  }, 60_000);

  it('when the pool fills during the copy the job fails with pool-full and the body is no longer read', async () => {
    // An existing sparse volume: the upload passes the check (48 MiB free), then another writer takes the space.
    sh(`truncate -s 48M ${dirS}/lim-sparse.raw`);
    sys('pool-refresh', S);
    invalidate('lab');
    const size = 48 * 1024 * 1024;
    const { stream, seen } = slowBody(size, 5);
    const req = new Request(`${CONSOLE}/api/hosts/lab/pools/x/volumes/y/content?confirm=lim-sparse.raw`, { method: 'PUT', body: stream, duplex: 'half', headers: { ...UPLOAD, ...(await authHeaders()), 'content-length': String(size) } } as RequestInit);
    const pending = contentPUT(req, params({ host: 'lab', pool: S, volume: 'lim-sparse.raw' }));
    await until(() => seen.pulled >= 4 * 1024 * 1024, { timeoutMs: 60_000, intervalMs: 50, what: '4 MiB of the body read' });
    sh(`head -c 40M /dev/zero > ${dirS}/filler 2>/dev/null || true`);
    const res = await pending;
    const job = (await res.json()) as { state: string; error: { code: string; detail: { needed: number; stderr: string } } };
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('pool-full');
    expect(job.error.detail.stderr).toMatch(/space/i);
    // A read already asked for may still land: wait until the count stops moving…
    const at = await settled(() => seen.pulled, { settleMs: 300, timeoutMs: 5000 });
    await holds(() => seen.pulled === at, 1000, { what: 'no more of the body read' }); // …then nothing more is pulled from the request
    expect(seen.pulled).toBeLessThan(size);
    rmSync(path.join(dirS, 'filler'));
  }, 120_000);
});

describe('per-host job limit', () => {
  it('12 converts on one host: at most 4 run, the rest wait queued; listPools still answers; all finish', async () => {
    // Watched from before the first start: how many run at once, how many wait, and whether every
    // waiting job has its own place in line. (Starting twelve takes SSH round trips each, so on a
    // loaded machine the first jobs may finish before the last start: nothing here depends on timing.)
    let ids: string[] = [];
    const states = () => ids.map((id) => localJob(id)!.state);
    let maxRunning = 0;
    let maxProcs = 0;
    let sawQueued = 0;
    let placesOk = true;
    let psBusy = false;
    let readMs = -1;
    const watch = setInterval(() => {
      const jobs = ids.map((id) => localJob(id)!);
      const s = jobs.map((j) => j.state);
      maxRunning = Math.max(maxRunning, s.filter((x) => x === 'running').length, hostJobCounts('lab').running);
      sawQueued = Math.max(sawQueued, s.filter((x) => x === 'queued').length);
      const places = jobs.filter((j) => j.state === 'queued').map((j) => j.queuedAhead);
      if (new Set(places).size !== places.length || places.some((p) => p === null)) placesOk = false;
      // ps runs asynchronously: a blocking call every 100 ms would stall the server code under test.
      if (!psBusy) {
        psBusy = true;
        execFile('ps', ['-C', 'qemu-img', '-o', 'args='], (_e, out) => {
          psBusy = false;
          maxProcs = Math.max(maxProcs, String(out ?? '').split('\n').filter((l) => l.includes(`${dirP}/src.raw`)).length);
        });
      }
    }, 100);
    ids = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const r = await convertVolume('lab', P, 'src.raw', { name: `lim-c${i}.qcow2`, format: 'qcow2', compress: true });
        ids = [...ids, r.jobId!];
        return r.jobId!;
      }),
    );
    // A host read while the jobs hold their channels: a real round trip (the cache is dropped first).
    await vi.waitFor(() => expect(states().filter((s) => s === 'running').length).toBe(4), { timeout: 60_000, interval: 50 });
    invalidate('lab');
    const t0 = Date.now();
    const pools = await listPools('lab');
    readMs = Date.now() - t0;
    const stillBusy = states().filter((s) => s === 'queued' || s === 'running').length;
    const done = await Promise.all(ids.map((id) => waitForJob(id, 300_000)));
    clearInterval(watch);
    console.log(`12 converts: max running ${maxRunning}, max qemu-img ${maxProcs}, queued ${sawQueued}, listPools ${readMs} ms with ${stillBusy} still queued or running`);
    expect(pools.map((p) => p.name)).toContain(P);
    expect(stillBusy).toBeGreaterThan(0); // the read did not wait for the jobs to finish
    expect(readMs).toBeLessThan(15_000);
    expect(maxRunning).toBe(4);
    expect(sawQueued).toBeGreaterThanOrEqual(4);
    expect(placesOk).toBe(true);
    expect(maxProcs).toBeLessThanOrEqual(4);
    expect(done.map((j) => j.state)).toEqual(Array(12).fill('succeeded'));
    expect(done.every((j) => j.queuedAhead === null && j.startedAt !== null)).toBe(true);
  }, 300_000);
});

vi.setConfig({ testTimeout: 120_000 });
