import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobDto } from '@/lib/schemas';
import { GET as jobEvents } from '@/app/api/jobs/[job]/events/route';
import { invalidate } from '@/server/hosts/storage-cache';
import { cancelJob, getJob, waitForJob } from '@/server/jobs/jobs';
import { cloneVolume, convertVolume } from '@/server/volumes/job-operations';
import { downloadVolume, uploadVolume } from '@/server/volumes/transfer';
import { LAB_INVENTORY } from '../helpers/lab';
import { authHeaders } from '../helpers/auth';
import { startServerProcess } from '../helpers/server-process';
import { until } from '../helpers/until';
import { cleanLab, exists, makePool, setupEnv, sh, sha256, sys } from '../helpers/volumes';

// Jobs: a ≥1 GiB convert with rising progress, cancelled with no process left on the host;
// outcomes kept in SQLite across a restart of a real server process; one failure beside a success; SSE; streamed
// upload/download of 512 MiB with the server's memory measured.
const J = 'ksc-vol-j';
let dir = '';
const data = mkdtempSync(path.join(tmpdir(), 'ksc-vol-data-'));
const f = (n: string) => path.join(dir, n);
const procs = (needle: string) => sh(`pgrep -af -- '${needle}' || true`).split('\n').filter((l) => l && !l.includes('pgrep'));

beforeAll(() => {
  setupEnv(data);
  cleanLab();
  dir = makePool(J);
  // 1.25 GiB of incompressible data: converting it with -c takes long enough to watch and cancel.
  sh(`head -c 1280M /dev/urandom > ${f('big.raw')}`);
  sys('pool-refresh', J);
  invalidate('lab');
}, 180_000);
afterAll(() => {
  cleanLab();
  rmSync(data, { recursive: true, force: true });
});

describe('jobs', () => {
  it('a convert of a 1.25 GiB image reports rising progress and is cancelled with no process left', async () => {
    const r = await convertVolume('lab', J, 'big.raw', { name: 'big.qcow2', format: 'qcow2', compress: true });
    expect(r.jobId).toBeTruthy();
    const seen: number[] = [];
    // Sampled every 500 ms until three distinct readings above 0, for at most a minute.
    await until(
      async () => {
        const p = (await getJob(r.jobId!)).progress;
        if (p !== null && p !== seen[seen.length - 1]) seen.push(p);
        return seen.filter((x) => x > 0).length >= 3;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'three rising progress readings' },
    ).catch(() => {});
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen[seen.length - 1]!).toBeLessThan(100);
    expect(procs(`qemu-img convert -p -f raw -O qcow2 -c -- ${f('big.raw')}`).length).toBeGreaterThan(0);
    const t0 = Date.now();
    const done = await cancelJob(r.jobId!);
    expect(done.state).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(8000);
    await vi.waitFor(() => expect(procs(`qemu-img convert -p -f raw -O qcow2 -c -- ${f('big.raw')}`)).toEqual([]), { timeout: 10_000, interval: 200 });
    expect(exists(f('big.qcow2'))).toBe(false);
    console.log('convert progress seen:', seen.join(' → '));
  }, 120_000);

  it('a job running when its server process is killed is listed as interrupted after a restart; finished ones keep their outcome', async () => {
    // A console server of its own (same KSC_DATA_DIR, same lab inventory): a real process to kill.
    const env = { KSC_DATA_DIR: data, KSC_INVENTORY: LAB_INVENTORY };
    const first = await startServerProcess(env);
    let second: Awaited<ReturnType<typeof startServerProcess>> | undefined;
    const target = f('big2.qcow2');
    try {
      const started = await first.request<{ jobId?: string }>('POST', `/api/hosts/lab/pools/${J}/volumes/big.raw/convert`, { name: 'big2.qcow2', format: 'qcow2', compress: true });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const id = started.body.jobId!;
      // Running for real: the job says so and its qemu-img is on the host.
      await vi.waitFor(async () => expect((await first.request<JobDto>('GET', `/api/jobs/${id}`)).body.state).toBe('running'), { timeout: 30_000, interval: 200 });
      await vi.waitFor(() => expect(procs(target).length).toBeGreaterThan(0), { timeout: 30_000, interval: 200 });

      await first.kill(); // SIGKILL: no clean-up of any kind
      second = await startServerProcess(env);
      const jobs = (await second.request<JobDto[]>('GET', '/api/jobs')).body;
      expect(jobs.find((j) => j.id === id)).toMatchObject({ state: 'interrupted', error: { code: 'interrupted' } });
      expect(jobs.find((j) => j.kind === 'convert' && j.state === 'cancelled')).toBeTruthy(); // the first test's
      // This process (another "server" on the same file) reads the same outcome.
      expect(await getJob(id)).toMatchObject({ state: 'interrupted' });
    } finally {
      await first.kill();
      await second?.stop();
      // The dead server's qemu-img lost its SSH channel; it ends at its next write to it (SIGPIPE).
      // Whatever is left of it after 15 s is killed here, by pid, so the next tests start clean.
      const ended = await until(() => procs(target).length === 0, { timeoutMs: 15_000, intervalMs: 250 }).catch(() => false);
      if (!ended) {
        console.log(`qemu-img of the killed server still running after 15 s: ${procs(target).join('; ')}`);
        for (const line of procs(target)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
      }
    }
    await vi.waitFor(() => expect(procs(target)).toEqual([]), { timeout: 10_000, interval: 200 });
  }, 180_000);

  it('one failing job does not block another; the failure carries the host’s stderr', async () => {
    await cloneVolume('lab', J, 'big.raw', { name: 'victim.raw', dryRun: true });
    sh(`qemu-img create -q -f qcow2 ${f('gone.qcow2')} 1G`);
    sys('pool-refresh', J);
    invalidate('lab');
    const bad = await convertVolume('lab', J, 'gone.qcow2', { name: 'gone.raw', format: 'raw' });
    rmSync(f('gone.qcow2')); // pulled from under the job
    const good = await convertVolume('lab', J, 'big.raw', { name: 'copy.raw', format: 'raw' });
    const [b, ok] = await Promise.all([waitForJob(bad.jobId!), waitForJob(good.jobId!)]);
    // The first may have finished before the file went; then it succeeded — either way it ended.
    expect(['failed', 'succeeded']).toContain(b.state);
    if (b.state === 'failed') expect(JSON.stringify(b.error)).toMatch(/gone\.qcow2/);
    expect(ok.state).toBe('succeeded');
    expect(sha256(f('copy.raw'))).toBe(sha256(f('big.raw')));
  }, 120_000);

  it('the event stream sends the job and ends when it does', async () => {
    const r = await convertVolume('lab', J, 'copy.raw', { name: 'copy.qcow2', format: 'qcow2' });
    const res = await jobEvents(new Request(`http://x/api/jobs/${r.jobId}/events`, { headers: await authHeaders() }), { params: Promise.resolve({ job: r.jobId! }) });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    const events = text
      .split('\n\n')
      .filter((e) => e.startsWith('event: job'))
      .map((e) => JSON.parse(e.split('\ndata: ')[1] ?? '{}') as JobDto);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[events.length - 1]).toMatchObject({ state: 'succeeded', progress: 100 });
  }, 120_000);
});

describe('upload and download, streamed', () => {
  it('uploads 512 MiB through vol-upload with flat memory, and downloads it back', async () => {
    const src = path.join(data, 'up.bin');
    sh(`head -c 512M /dev/urandom > ${src}`);
    const want = sha256(src);
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const job = await uploadVolume('lab', J, 'up.img', Readable.toWeb(createReadStream(src)) as WebReadableStream<Uint8Array>, { length: 512 * 1024 * 1024 });
    clearInterval(timer);
    expect(job).toMatchObject({ state: 'succeeded', kind: 'upload', bytesDone: 512 * 1024 * 1024 });
    expect(sha256(f('up.img'))).toBe(want);
    const grew = (peak - rss0) / 1024 / 1024;
    console.log(`upload 512 MiB: rss before ${(rss0 / 1048576).toFixed(0)} MiB, peak ${(peak / 1048576).toFixed(0)} MiB (+${grew.toFixed(0)} MiB)`);
    expect(grew).toBeLessThan(128);

    const d = await downloadVolume('lab', J, 'up.img');
    const out = path.join(data, 'down.bin');
    await pipeline(d.stream, createWriteStream(out));
    expect((await waitForJob(d.jobId)).state).toBe('succeeded');
    expect(sha256(out)).toBe(want);
  }, 300_000);
});
