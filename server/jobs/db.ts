import 'server-only';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The embedded database (SQLite through better-sqlite3): job history. The host stays the truth
 * for storage; this keeps only what the host cannot — which long operations ran, how they ended.
 * `$KSC_DATA_DIR/ksc.sqlite` (default ./data, git-ignored). One handle per process, on
 * globalThis so dev reloads and separately bundled route modules share it.
 */
type Db = InstanceType<typeof Database>;
interface Slot {
  db: Db;
  file: string;
}
const g = globalThis as { __kscDb?: Slot };

export function dataDir(): string {
  return path.resolve(process.env.KSC_DATA_DIR ?? path.join(process.cwd(), 'data'));
}

export function db(): Db {
  const file = path.join(dataDir(), 'ksc.sqlite');
  if (g.__kscDb && g.__kscDb.file === file) return g.__kscDb.db;
  g.__kscDb?.db.close();
  mkdirSync(path.dirname(file), { recursive: true });
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
  g.__kscDb = { db: d, file };
  return d;
}

/** For tests: close the handle (the next db() reopens, marking unfinished jobs interrupted). */
export function closeDb(): void {
  g.__kscDb?.db.close();
  delete g.__kscDb;
}
