import 'server-only';
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { jobHistoryDays, jobHistoryMax } from './limits';

/**
 * The embedded database (SQLite through better-sqlite3): job history. The host stays the truth
 * for storage; this keeps only what the host cannot — which long operations ran, how they ended.
 * `$KSC_DATA_DIR/ksc.sqlite` (default ./data, git-ignored). One handle per process, on
 * globalThis so dev reloads and separately bundled route modules share it.
 *
 * Private: the directory is made (and kept) 0700, the database and its -wal/-shm files 0600 —
 * commands, paths and host names are in there. History is pruned by age and count
 * (`KSC_JOB_HISTORY_DAYS`, `KSC_JOB_HISTORY_MAX`) on open and every hour.
 */
type Db = InstanceType<typeof Database>;
interface Slot {
  db: Db;
  file: string;
  timer: ReturnType<typeof setInterval>;
}

const PRUNE_EVERY_MS = 3600_000;

/** chmod the database and its companions that exist; SQLite creates -wal/-shm with the db file's mode. */
function tighten(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`])
    if (existsSync(/* turbopackIgnore: true */ f)) chmodSync(/* turbopackIgnore: true */ f, 0o600);
}
const g = globalThis as { __kscDb?: Slot };

export function dataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.KSC_DATA_DIR ?? path.join(process.cwd(), 'data'));
}

export function db(): Db {
  const file = path.join(dataDir(), 'ksc.sqlite');
  if (g.__kscDb && g.__kscDb.file === file) return g.__kscDb.db;
  closeDb();
  const dir = path.dirname(file);
  mkdirSync(/* turbopackIgnore: true */ dir, { recursive: true, mode: 0o700 });
  chmodSync(/* turbopackIgnore: true */ dir, 0o700);
  // Create the file 0600 before SQLite opens it (SQLite would use the umask, usually 0644).
  closeSync(openSync(/* turbopackIgnore: true */ file, 'a', 0o600));
  tighten(file);
  const d = new Database(file);
  d.pragma('journal_mode = WAL');
  d.pragma('busy_timeout = 5000');
  d.exec(`CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    host_id TEXT NOT NULL,
    target TEXT NOT NULL,
    state TEXT NOT NULL,
    progress REAL,
    bytes_done INTEGER,
    bytes_total INTEGER,
    command TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    error TEXT,
    result TEXT
  );
  CREATE INDEX IF NOT EXISTS jobs_created ON jobs(created_at);`);
  // A job still "running" in the file was running in a server that died: it is not running now.
  d.prepare(
    `UPDATE jobs SET state = 'interrupted', finished_at = ?, error = ? WHERE state IN ('queued', 'running')`,
  ).run(
    new Date().toISOString(),
    JSON.stringify({ code: 'interrupted', message: 'The console server stopped while this job ran; its outcome on the host is unknown — check the volume' }),
  );
  tighten(file);
  pruneJobs(d);
  const timer = setInterval(() => {
    try {
      pruneJobs(d);
    } catch (e) {
      console.error('[ksc] pruning the job history failed:', e);
    }
  }, PRUNE_EVERY_MS);
  timer.unref?.();
  g.__kscDb = { db: d, file, timer };
  return d;
}

/**
 * Drop finished jobs older than `KSC_JOB_HISTORY_DAYS` and all but the newest
 * `KSC_JOB_HISTORY_MAX` finished ones; queued and running jobs are never pruned.
 * Returns how many rows went.
 */
export function pruneJobs(d: Db = db(), now = Date.now()): number {
  const cutoff = new Date(now - jobHistoryDays() * 24 * 3600_000).toISOString();
  const finished = `state NOT IN ('queued', 'running')`;
  const byAge = d.prepare(`DELETE FROM jobs WHERE ${finished} AND created_at < ?`).run(cutoff).changes;
  const byCount = d
    .prepare(`DELETE FROM jobs WHERE ${finished} AND id NOT IN (SELECT id FROM jobs WHERE ${finished} ORDER BY created_at DESC LIMIT ?)`)
    .run(jobHistoryMax()).changes;
  return byAge + byCount;
}

/** For tests: close the handle (the next db() reopens, marking unfinished jobs interrupted). */
export function closeDb(): void {
  if (g.__kscDb) {
    clearInterval(g.__kscDb.timer);
    g.__kscDb.db.close();
  }
  delete g.__kscDb;
}
