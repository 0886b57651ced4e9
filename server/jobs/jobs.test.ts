import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDatabase, database, nowIso } from '../db';
import { freshDatabase, onPostgres } from '@/test/helpers/db';
import { cancelJob, getJob, hostJobCounts, listJobs, startJob, subscribe, waitForJob } from './jobs';
import { OWNER, pruneJobs, reapInterrupted } from './store';

// The job machinery without a host: the per-host limit and the queue, cancel while queued,
// the list limit, history pruning, owners and `interrupted`, the database's file modes,
// failures' error hygiene. Runs on SQLite (unit) and on PostgreSQL (integration-pg).
const root = mkdtempSync(path.join(tmpdir(), 'ksc-lim-jobs-'));
beforeEach(async () => {
  await freshDatabase();
  delete process.env.KSC_JOBS_PER_HOST;
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await closeDatabase();
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
    expect(await Promise.all(jobs.slice(4).map(async (j) => (await getJob(j.id)).queuedAhead))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await getJob(jobs[4]!.id)).startedAt).toBeNull();
    expect(hostJobCounts('h1')).toEqual({ running: 4, queued: 8 });
    // Another host is not held up by h1's line.
    const other = startJob(spec('h2', 99), async () => 'ok');
    expect(other.state).toBe('running');
    // The list shows the queue too.
    expect((await listJobs({ hostId: 'h1' })).filter((j) => j.state === 'queued')).toHaveLength(8);
    gates[0]!.resolve();
    await waitForJob(jobs[0]!.id);
    await tick();
    expect((await getJob(jobs[4]!.id)).state).toBe('running');
    expect((await getJob(jobs[5]!.id)).queuedAhead).toBe(0);
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
    expect((await getJob(c!.id)).queuedAhead).toBe(1);
    const cancelled = await cancelJob(b!.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', startedAt: null, queuedAhead: null, error: { code: 'cancelled' } });
    expect((await getJob(c!.id)).queuedAhead).toBe(0);
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

const insert = async (id: string, daysAgo: number, state = 'succeeded', extra: { owner?: string | null; hostId?: string } = {}) =>
  (await database())
    .insertInto('jobs')
    .values({ id, kind: 'check', title: 't', host_id: extra.hostId ?? 'h', target: '{}', state, command: 'c', created_at: nowIso(Date.now() - daysAgo * 24 * 3600_000), owner: extra.owner ?? null })
    .execute();
const ids = async () => (await (await database()).selectFrom('jobs').select('id').orderBy('id').execute()).map((r) => r.id);
const stateOf = async (id: string) => (await (await database()).selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

describe('listJobs limit', () => {
  it('is clamped to 1..500 (limit=-1 used to mean "all"), a bad number gives the default', async () => {
    const db = await database();
    const rows = Array.from({ length: 700 }, (_, i) => ({ id: `j${i}`, kind: 'check', title: 't', host_id: 'h', target: '{}', state: 'succeeded', command: 'c', created_at: nowIso(Date.now() - i * 1000) }));
    for (let i = 0; i < rows.length; i += 100) await db.insertInto('jobs').values(rows.slice(i, i + 100)).execute();
    expect(await listJobs({ limit: -1 })).toHaveLength(1);
    expect(await listJobs({ limit: 0 })).toHaveLength(1);
    expect(await listJobs({ limit: 100_000 })).toHaveLength(500);
    expect(await listJobs({ limit: 2.7 })).toHaveLength(2);
    expect(await listJobs({ limit: Number.NaN })).toHaveLength(200);
    expect(await listJobs()).toHaveLength(200);
    expect((await listJobs({ limit: 3 })).map((j) => j.id)).toEqual(['j0', 'j1', 'j2']); // newest first
  });

  it('hosts: only those hosts; an empty list lists nothing (no `IN ()`)', async () => {
    await insert('a', 0, 'succeeded', { hostId: 'ha' });
    await insert('b', 0, 'succeeded', { hostId: 'hb' });
    expect((await listJobs({ hosts: ['hb'] })).map((j) => j.id)).toEqual(['b']);
    expect(await listJobs({ hosts: [] })).toEqual([]);
    expect((await listJobs({ hostId: 'ha' })).map((j) => j.id)).toEqual(['a']);
  });
});

describe('job rows', () => {
  it('a job is written at start and at its end, with numbers and JSON intact; getJob reads it back after the live record is gone', async () => {
    const j = startJob({ kind: 'convert', title: 'rows', hostId: 'hr', target: { pool: 'p', volume: 'v' }, command: 'qemu-img convert', bytesTotal: 2 ** 40 }, async (ctx) => {
      ctx.progress({ percent: 33.5, bytesDone: 2 ** 39 });
      return { written: 'v.qcow2' };
    });
    const done = await waitForJob(j.id);
    expect(done.state).toBe('succeeded');
    const row = await (await database()).selectFrom('jobs').selectAll().where('id', '=', j.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'succeeded', owner: OWNER, host_id: 'hr', progress: 100 });
    expect(Number(row.bytes_total)).toBe(2 ** 40);
    expect(Number(row.bytes_done)).toBe(2 ** 39);
    expect(JSON.parse(row.result!)).toEqual({ written: 'v.qcow2' });
    expect((await listJobs({ hostId: 'hr' }))[0]).toMatchObject({ id: j.id, target: { pool: 'p', volume: 'v' }, bytesTotal: 2 ** 40 });
    await expect(getJob('no-such-job')).rejects.toMatchObject({ status: 404 });
  });

  it('a job another process runs is followed from the database until it ends', async () => {
    await insert('elsewhere', 0, 'running', { owner: OWNER }); // a row this process does not hold in memory
    const first = await getJob('elsewhere');
    const seen: string[] = [];
    const ended = new Promise<string>((resolve) => subscribe(first, (d) => seen.push(d.state), (d) => resolve(d.state)));
    await (await database()).updateTable('jobs').set({ state: 'failed', finished_at: nowIso() }).where('id', '=', 'elsewhere').execute();
    expect(await ended).toBe('failed');
    expect(seen).toEqual(['running', 'failed']);
    await expect(cancelJob('elsewhere')).rejects.toMatchObject({ status: 409, code: 'job-finished' });
  });
});

describe('owners: only the jobs of processes that are gone become interrupted', () => {
  it('dead pid on this machine, silent owner elsewhere, no owner: interrupted; a live replica and this process: untouched', async () => {
    const db = await database();
    await listJobs(); // this process registers
    const t = nowIso();
    const old = nowIso(Date.now() - 10 * 60_000);
    // A pid that is surely not running: a child that has exited.
    const dead = 2 ** 22 + 12345;
    await db
      .insertInto('job_owners')
      .values([
        { owner: `${hostname()}/${dead}/dead`, hostname: hostname(), pid: dead, started_at: old, seen_at: t },
        { owner: 'far-away/1/silent', hostname: 'far-away', pid: 1, started_at: old, seen_at: old },
        { owner: 'far-away/2/alive', hostname: 'far-away', pid: 2, started_at: old, seen_at: t },
      ])
      .execute();
    await insert('dead-pid', 0, 'running', { owner: `${hostname()}/${dead}/dead` });
    await insert('silent', 0, 'queued', { owner: 'far-away/1/silent' });
    await insert('unowned', 0, 'running', { owner: null });
    await insert('unknown-owner', 0, 'running', { owner: 'never/registered/x' });
    await insert('replica', 0, 'running', { owner: 'far-away/2/alive' });
    await insert('mine', 0, 'running', { owner: OWNER });
    await insert('finished', 0, 'succeeded', { owner: 'far-away/1/silent' });
    expect(await reapInterrupted(db)).toBe(4);
    for (const id of ['dead-pid', 'silent', 'unowned', 'unknown-owner']) expect([id, await stateOf(id)]).toEqual([id, 'interrupted']);
    for (const [id, st] of [['replica', 'running'], ['mine', 'running'], ['finished', 'succeeded']] as const) expect([id, await stateOf(id)]).toEqual([id, st]);
    expect((await getJob('silent')).error).toMatchObject({ code: 'interrupted' });
    // The owners that are gone are forgotten; the live ones stay.
    const owners = (await db.selectFrom('job_owners').select('owner').execute()).map((o) => o.owner).sort();
    expect(owners).toEqual(['far-away/2/alive', OWNER].sort());
  });

  it('a reopened database (a restarted server) marks the unowned unfinished jobs at its first read', async () => {
    await insert('left-running', 0, 'running');
    await closeDatabase();
    const [j] = await listJobs();
    expect(j).toMatchObject({ id: 'left-running', state: 'interrupted', error: { code: 'interrupted' } });
  });
});

describe('job history pruning and file modes', () => {
  it('removes finished jobs older than KSC_JOB_HISTORY_DAYS (default 30), on open too', async () => {
    await listJobs(); // opened (and pruned) before the rows exist
    await insert('old', 45);
    await insert('old-failed', 31, 'failed');
    await insert('recent', 2);
    await insert('old-running', 45, 'running', { owner: OWNER }); // this process's: never pruned while it runs
    expect(await pruneJobs()).toBe(2);
    expect(await ids()).toEqual(['old-running', 'recent']);
    process.env.KSC_JOB_HISTORY_DAYS = '1';
    try {
      await (await database()).updateTable('jobs').set({ owner: null }).execute(); // as if its server died
      await closeDatabase();
      await listJobs(); // the open marks it interrupted, then prunes
      expect(await ids()).toEqual([]);
    } finally {
      delete process.env.KSC_JOB_HISTORY_DAYS;
    }
  });

  it('keeps at most KSC_JOB_HISTORY_MAX finished jobs, the newest', async () => {
    await listJobs();
    for (let i = 0; i < 30; i++) await insert(`k${String(i).padStart(2, '0')}`, i / 100);
    await insert('live', 5, 'running', { owner: OWNER });
    process.env.KSC_JOB_HISTORY_MAX = '10';
    try {
      expect(await pruneJobs()).toBe(20);
    } finally {
      delete process.env.KSC_JOB_HISTORY_MAX;
    }
    expect(await ids()).toEqual([...Array.from({ length: 10 }, (_, i) => `k${String(i).padStart(2, '0')}`), 'live']);
  });

  it.skipIf(onPostgres())('the data directory is 0700 and the database files (-wal, -shm too) 0600, even when they existed looser', async () => {
    process.umask(0o022);
    const dir = process.env.KSC_DATA_DIR!;
    await insert('x', 0);
    const mode = (f: string) => statSync(f).mode & 0o777;
    expect(mode(dir)).toBe(0o700);
    for (const f of ['ksc.sqlite', 'ksc.sqlite-wal', 'ksc.sqlite-shm']) expect([f, mode(path.join(dir, f))]).toEqual([f, 0o600]);
    // Files left by an older version with the umask's modes are tightened on open.
    await closeDatabase();
    const old = path.join(root, 'loose');
    process.env.KSC_DATA_DIR = old;
    rmSync(old, { recursive: true, force: true });
    mkdirSync(old, { mode: 0o755 });
    for (const f of ['ksc.sqlite-wal', 'ksc.sqlite-shm']) writeFileSync(path.join(old, f), '', { mode: 0o644 });
    await database();
    expect(mode(old)).toBe(0o700);
    for (const f of ['ksc.sqlite', 'ksc.sqlite-wal', 'ksc.sqlite-shm']) expect([f, mode(path.join(old, f))]).toEqual([f, 0o600]);
  });
});
