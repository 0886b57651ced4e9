import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDb, db, pruneJobs } from './db';
import { cancelJob, getJob, hostJobCounts, listJobs, startJob, waitForJob } from './jobs';

// The job machinery without a host: the per-host limit and the queue, cancel while queued,
// the list limit, history pruning, the database's file modes, failures' error hygiene.
const root = mkdtempSync(path.join(tmpdir(), 'ksc-lim-jobs-'));
let n = 0;
beforeEach(() => {
  closeDb();
  process.env.KSC_DATA_DIR = path.join(root, `d${++n}`);
  delete process.env.KSC_JOBS_PER_HOST;
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => {
  closeDb();
  rmSync(root, { recursive: true, force: true });
});

const deferred = () => {
  let resolve!: () => void;
  const p = new Promise<void>((r) => (resolve = r));
  return { p, resolve };
};
const spec = (hostId: string, i: number) => ({ kind: 'convert', title: `job ${i}`, hostId, target: { i: String(i) }, command: `work ${i}` });
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('per-host job limit', () => {
  it('12 jobs on one host: 4 run (the default), 8 wait as queued with their place in line, and all finish', async () => {
    const gates = Array.from({ length: 12 }, deferred);
    let running = 0;
    let peak = 0;
    const jobs = gates.map((g, i) =>
      startJob(spec('h1', i), async () => {
        peak = Math.max(peak, ++running);
        await g.p;
        running--;
        return i;
      }),
    );
    expect(jobs.slice(0, 4).map((j) => j.state)).toEqual(['running', 'running', 'running', 'running']);
    expect(jobs.slice(4).every((j) => j.state === 'queued')).toBe(true);
    expect(jobs.slice(4).map((j) => getJob(j.id).queuedAhead)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(getJob(jobs[4]!.id).startedAt).toBeNull();
    expect(hostJobCounts('h1')).toEqual({ running: 4, queued: 8 });
    // Another host is not held up by h1's line.
    const other = startJob(spec('h2', 99), async () => 'ok');
    expect(other.state).toBe('running');
    // The list shows the queue too.
    expect(listJobs({ hostId: 'h1' }).filter((j) => j.state === 'queued')).toHaveLength(8);
    gates[0]!.resolve();
    await waitForJob(jobs[0]!.id);
    await tick();
    expect(getJob(jobs[4]!.id).state).toBe('running');
    expect(getJob(jobs[5]!.id).queuedAhead).toBe(0);
    for (const g of gates) g.resolve();
    const done = await Promise.all(jobs.map((j) => waitForJob(j.id)));
    expect(done.every((j) => j.state === 'succeeded')).toBe(true);
    expect(peak).toBe(4);
    expect(hostJobCounts('h1')).toEqual({ running: 0, queued: 0 });
  });

  it('KSC_JOBS_PER_HOST sets the limit (capped below the 8 SSH channels)', async () => {
    process.env.KSC_JOBS_PER_HOST = '2';
    const g = deferred();
    const a = [0, 1, 2].map((i) => startJob(spec('h3', i), () => g.p));
    expect(a.map((j) => j.state)).toEqual(['running', 'running', 'queued']);
    g.resolve();
    await Promise.all(a.map((j) => waitForJob(j.id)));
    process.env.KSC_JOBS_PER_HOST = '50';
    const g2 = deferred();
    const b = Array.from({ length: 8 }, (_, i) => startJob(spec('h4', i), () => g2.p));
    expect(b.filter((j) => j.state === 'running')).toHaveLength(7);
    g2.resolve();
    await Promise.all(b.map((j) => waitForJob(j.id)));
  });

  it('a queued job is cancelled at once without ever running; the line moves up', async () => {
    process.env.KSC_JOBS_PER_HOST = '1';
    const g = deferred();
    const ran: number[] = [];
    const [a, b, c] = [0, 1, 2].map((i) =>
      startJob(spec('h5', i), async () => {
        ran.push(i);
        await g.p;
      }),
    );
    expect(getJob(c!.id).queuedAhead).toBe(1);
    const cancelled = await cancelJob(b!.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', startedAt: null, queuedAhead: null, error: { code: 'cancelled' } });
    expect(getJob(c!.id).queuedAhead).toBe(0);
    g.resolve();
    await waitForJob(a!.id);
    await waitForJob(c!.id);
    expect(ran).toEqual([0, 2]);
    await expect(cancelJob(b!.id)).rejects.toMatchObject({ status: 409, code: 'job-finished' });
  });

  it('a failure that is not an AppError is recorded as internal with an id, its message only in the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const j = startJob(spec('h6', 0), async () => {
      throw new TypeError('Cannot read properties of undefined (reading /srv/secret)');
    });
    const done = await waitForJob(j.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'internal', message: expect.stringMatching(/^Internal error \(id [0-9a-f]{8}\)$/) });
    expect(JSON.stringify(done.error)).not.toContain('secret');
    const id = (done.error!.detail as { id: string }).id;
    expect(log.mock.calls.flat().map(String).join(' ')).toContain(id);
  });
});

describe('listJobs limit', () => {
  it('is clamped to 1..500 (limit=-1 used to mean "all"), a bad number gives the default', async () => {
    const d = db();
    const ins = d.prepare(
      `INSERT INTO jobs (id, kind, title, host_id, target, state, command, created_at) VALUES (?, 'check', 't', 'h', '{}', 'succeeded', 'c', ?)`,
    );
    d.transaction(() => {
      for (let i = 0; i < 700; i++) ins.run(`j${i}`, new Date(Date.now() - i * 1000).toISOString());
    })();
    expect(listJobs({ limit: -1 })).toHaveLength(1);
    expect(listJobs({ limit: 0 })).toHaveLength(1);
    expect(listJobs({ limit: 100_000 })).toHaveLength(500);
    expect(listJobs({ limit: 2.7 })).toHaveLength(2);
    expect(listJobs({ limit: Number.NaN })).toHaveLength(200);
    expect(listJobs()).toHaveLength(200);
  });
});

describe('job history pruning and file modes', () => {
  const insert = (id: string, daysAgo: number, state = 'succeeded') =>
    db()
      .prepare(`INSERT INTO jobs (id, kind, title, host_id, target, state, command, created_at) VALUES (?, 'check', 't', 'h', '{}', ?, 'c', ?)`)
      .run(id, state, new Date(Date.now() - daysAgo * 24 * 3600_000).toISOString());
  const ids = () => (db().prepare('SELECT id FROM jobs ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);

  it('removes finished jobs older than KSC_JOB_HISTORY_DAYS (default 30), on open too', () => {
    insert('old', 45);
    insert('old-failed', 31, 'failed');
    insert('recent', 2);
    insert('old-running', 45, 'running'); // becomes "interrupted" on the next open, then old like the rest
    expect(pruneJobs()).toBe(2);
    expect(ids()).toEqual(['old-running', 'recent']);
    process.env.KSC_JOB_HISTORY_DAYS = '1';
    try {
      closeDb();
      db(); // the open prunes
      expect(ids()).toEqual([]);
    } finally {
      delete process.env.KSC_JOB_HISTORY_DAYS;
    }
  });

  it('keeps at most KSC_JOB_HISTORY_MAX finished jobs, the newest', () => {
    for (let i = 0; i < 30; i++) insert(`k${String(i).padStart(2, '0')}`, i / 100);
    insert('live', 5, 'running');
    process.env.KSC_JOB_HISTORY_MAX = '10';
    try {
      expect(pruneJobs()).toBe(20);
    } finally {
      delete process.env.KSC_JOB_HISTORY_MAX;
    }
    expect(ids()).toEqual([...Array.from({ length: 10 }, (_, i) => `k${String(i).padStart(2, '0')}`), 'live']);
  });

  it('the data directory is 0700 and the database files (-wal, -shm too) 0600, even when they existed looser', () => {
    process.umask(0o022);
    const dir = process.env.KSC_DATA_DIR!;
    db();
    insert('x', 0);
    const mode = (f: string) => statSync(f).mode & 0o777;
    expect(mode(dir)).toBe(0o700);
    for (const f of ['ksc.sqlite', 'ksc.sqlite-wal', 'ksc.sqlite-shm']) expect([f, mode(path.join(dir, f))]).toEqual([f, 0o600]);
    // Files left by an older version with the umask's modes are tightened on open.
    closeDb();
    const old = path.join(root, 'loose');
    process.env.KSC_DATA_DIR = old;
    rmSync(old, { recursive: true, force: true });
    mkdirSync(old, { mode: 0o755 });
    for (const f of ['ksc.sqlite-wal', 'ksc.sqlite-shm']) writeFileSync(path.join(old, f), '', { mode: 0o644 });
    db();
    expect(mode(old)).toBe(0o700);
    for (const f of ['ksc.sqlite', 'ksc.sqlite-wal', 'ksc.sqlite-shm']) expect([f, mode(path.join(old, f))]).toEqual([f, 0o600]);
  });
});
