import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobDto, JobState } from '@/lib/schemas';
import { database, nowIso, openedDatabase, type Database } from '../db';
import type { JobsTable } from '../db/schema';
import { jobHistoryDays, jobHistoryMax } from './limits';

/**
 * Jobs in the console's database (SQLite or PostgreSQL, through Kysely): the history the Jobs
 * page lists, and what a replica or a restarted server knows of a job it does not run.
 *
 * Every row names its `owner`, the process that runs it (`hostname/pid/random`, new at each
 * start). A process registers in `job_owners` and says it is alive every HEARTBEAT_MS. When a
 * process first touches the jobs and then at every heartbeat, unfinished jobs whose owner is gone
 * become `interrupted`: an owner on this machine whose pid is dead (at once — a restarted server
 * sees its predecessor's jobs interrupted on its first read), or any owner silent for STALE_MS
 * (another machine), or no owner at all (rows from before owners). A live replica's jobs are
 * never touched. Finished history is pruned by age and count (`KSC_JOB_HISTORY_DAYS`,
 * `KSC_JOB_HISTORY_MAX`) at that first touch and every hour.
 */
export const OWNER = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
const HEARTBEAT_MS = 15_000;
const STALE_MS = 90_000;
const PRUNE_EVERY_MS = 3600_000;

const UNFINISHED: JobState[] = ['queued', 'running'];

type Row = Omit<JobsTable, 'owner'> & { owner?: string | null };

export const fromRow = (r: Row): JobDto => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  hostId: r.host_id,
  target: JSON.parse(r.target) as Record<string, string>,
  state: r.state as JobState,
  queuedAhead: null,
  progress: r.progress === null ? null : Number(r.progress),
  bytesDone: r.bytes_done === null ? null : Number(r.bytes_done),
  bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
  command: r.command,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error ? (JSON.parse(r.error) as JobDto['error']) : null,
  result: r.result ? (JSON.parse(r.result) as unknown) : null,
  steps: [],
});

const g = globalThis as { __kscJobStore?: { inits: WeakMap<Database, Promise<void>>; timers: boolean } };
const state = (g.__kscJobStore ??= { inits: new WeakMap(), timers: false });

/** The database, with this process registered as an owner and the dead owners' jobs reaped (once per instance). */
export async function jobsDb(): Promise<Database> {
  const db = await database();
  let init = state.inits.get(db);
  if (!init) {
    init = (async () => {
      await heartbeat(db);
      await reapInterrupted(db);
      await pruneJobs(Date.now(), db);
    })();
    state.inits.set(db, init);
    init.catch(() => state.inits.delete(db)); // the caller sees the error; the next call tries again
    startTimers();
  }
  await init;
  return db;
}

function startTimers(): void {
  if (state.timers) return;
  state.timers = true;
  const every = (ms: number, what: string, fn: (db: Database) => Promise<unknown>) =>
    setInterval(() => {
      // Only the database this process has open: a timer never opens one.
      void openedDatabase()
        ?.then(fn)
        .catch((e: unknown) => console.error(`[ksc] ${what} failed:`, e));
    }, ms).unref?.();
  every(HEARTBEAT_MS, 'the job owner heartbeat', async (db) => {
    await heartbeat(db);
    await reapInterrupted(db);
  });
  every(PRUNE_EVERY_MS, 'pruning the job history', (db) => pruneJobs(Date.now(), db));
}

async function heartbeat(db: Database, now = Date.now()): Promise<void> {
  await db
    .insertInto('job_owners')
    .values({ owner: OWNER, hostname: hostname(), pid: process.pid, started_at: nowIso(now), seen_at: nowIso(now) })
    .onConflict((oc) => oc.column('owner').doUpdateSet({ seen_at: nowIso(now) }))
    .execute();
}

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
};

export const INTERRUPTED_ERROR = {
  code: 'interrupted',
  message: 'The console server stopped while this job ran; its outcome on the host is unknown — check the volume',
};

/**
 * Mark `interrupted` the unfinished jobs whose owner is gone (see above); forget owners that are
 * gone and own nothing unfinished. Returns how many jobs it marked.
 */
export async function reapInterrupted(db: Database, now = Date.now()): Promise<number> {
  const owners = await db.selectFrom('job_owners').selectAll().execute();
  const me = hostname();
  const gone = owners
    .filter((o) => o.owner !== OWNER && ((o.hostname === me && !pidAlive(Number(o.pid))) || Date.parse(o.seen_at) + STALE_MS <= now))
    .map((o) => o.owner);
  const alive = owners.map((o) => o.owner).filter((o) => !gone.includes(o));
  let q = db
    .updateTable('jobs')
    .set({ state: 'interrupted', finished_at: nowIso(now), error: JSON.stringify(INTERRUPTED_ERROR) })
    .where('state', 'in', UNFINISHED);
  // `owner NOT IN (…)` is not true for a null owner: those rows are named apart. No live owner at all: every one.
  if (alive.length) q = q.where((eb) => eb.or([eb('owner', 'is', null), eb('owner', 'not in', alive)]));
  const res = await q.executeTakeFirst();
  if (gone.length) await db.deleteFrom('job_owners').where('owner', 'in', gone).execute();
  return Number(res.numUpdatedRows);
}

/** Insert or update a job's row (the live record, as it is now). */
export async function saveJob(dto: JobDto): Promise<void> {
  const db = await jobsDb();
  const row = {
    state: dto.state,
    progress: dto.progress,
    bytes_done: dto.bytesDone,
    bytes_total: dto.bytesTotal,
    started_at: dto.startedAt,
    finished_at: dto.finishedAt,
    error: dto.error ? JSON.stringify(dto.error) : null,
    result: dto.result === null || dto.result === undefined ? null : JSON.stringify(dto.result),
  };
  await db
    .insertInto('jobs')
    .values({
      ...row,
      id: dto.id,
      kind: dto.kind,
      title: dto.title,
      host_id: dto.hostId,
      target: JSON.stringify(dto.target),
      command: dto.command,
      created_at: dto.createdAt,
      owner: OWNER,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

export async function readJob(id: string): Promise<JobDto | null> {
  const db = await jobsDb();
  const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? fromRow(r) : null;
}

/** Rows newest first; `hosts` limits to those hosts (an empty list: none). */
export async function readJobs(opts: { limit: number; hostId?: string; hosts?: readonly string[] }): Promise<JobDto[]> {
  if (opts.hosts && !opts.hosts.length) return [];
  const db = await jobsDb();
  let q = db.selectFrom('jobs').selectAll();
  if (opts.hostId) q = q.where('host_id', '=', opts.hostId);
  if (opts.hosts) q = q.where('host_id', 'in', [...opts.hosts]);
  return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute()).map(fromRow);
}

/**
 * Drop finished jobs older than `KSC_JOB_HISTORY_DAYS` and all but the newest
 * `KSC_JOB_HISTORY_MAX` finished ones; queued and running jobs are never pruned.
 * Returns how many rows went.
 */
export async function pruneJobs(now = Date.now(), given?: Database): Promise<number> {
  const db = given ?? (await jobsDb());
  const cutoff = nowIso(now - jobHistoryDays() * 24 * 3600_000);
  const byAge = await db.deleteFrom('jobs').where('state', 'not in', UNFINISHED).where('created_at', '<', cutoff).executeTakeFirst();
  const keep = db.selectFrom('jobs').select('id').where('state', 'not in', UNFINISHED).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(jobHistoryMax());
  const byCount = await db.deleteFrom('jobs').where('state', 'not in', UNFINISHED).where('id', 'not in', keep).executeTakeFirst();
  return Number(byAge.numDeletedRows) + Number(byCount.numDeletedRows);
}
