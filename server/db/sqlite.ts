import 'server-only';
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

/**
 * The embedded SQLite file under Kysely (server/db/index.ts): `$KSC_DATA_DIR/ksc.sqlite` (default
 * ./data, git-ignored), opened with better-sqlite3 (which must stay on major version 12). Nothing
 * else queries this handle: every table is reached through Kysely, so the same queries serve
 * PostgreSQL. One handle per process, on globalThis so dev reloads and separately bundled route
 * modules share it.
 *
 * Private: the directory is made (and kept) 0700, the database and its -wal/-shm files 0600 —
 * password hashes, commands, paths and host names are in there.
 */
export type SqliteHandle = InstanceType<typeof Database>;
interface Slot {
  db: SqliteHandle;
  file: string;
}

/** chmod the database and its companions that exist; SQLite creates -wal/-shm with the db file's mode. */
function tighten(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`])
    if (existsSync(/* turbopackIgnore: true */ f)) chmodSync(/* turbopackIgnore: true */ f, 0o600);
}
const g = globalThis as { __kscDb?: Slot };

export function dataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.KSC_DATA_DIR ?? path.join(process.cwd(), 'data'));
}

/** The open handle of `$KSC_DATA_DIR/ksc.sqlite` (opened, or reopened when KSC_DATA_DIR changed). */
export function sqliteHandle(): SqliteHandle {
  const file = path.join(dataDir(), 'ksc.sqlite');
  if (g.__kscDb && g.__kscDb.file === file) return g.__kscDb.db;
  closeSqlite();
  const dir = path.dirname(file);
  mkdirSync(/* turbopackIgnore: true */ dir, { recursive: true, mode: 0o700 });
  chmodSync(/* turbopackIgnore: true */ dir, 0o700);
  // Create the file 0600 before SQLite opens it (SQLite would use the umask, usually 0644).
  closeSync(openSync(/* turbopackIgnore: true */ file, 'a', 0o600));
  tighten(file);
  const d = new Database(file);
  d.pragma('journal_mode = WAL');
  d.pragma('busy_timeout = 5000');
  tighten(file);
  g.__kscDb = { db: d, file };
  return d;
}

/** Close the handle (the next sqliteHandle() opens the file again). */
export function closeSqlite(): void {
  if (g.__kscDb) g.__kscDb.db.close();
  delete g.__kscDb;
}
