import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { MIGRATIONS } from './migrations';
import type { DB } from './schema';
import { closeSqlite, sqliteHandle } from './sqlite';

/**
 * The console's database, through one typed query layer (Kysely) for both dialects:
 * - SQLite, embedded (better-sqlite3), `$KSC_DATA_DIR/ksc.sqlite` — the default, nothing to install;
 * - PostgreSQL when `DATABASE_URL=postgres://…` is set, so several console replicas share users,
 *   sessions, grants, tokens, the audit chain and jobs.
 * `database()` answers once the migrations have run (once per process; Kysely's migrator locks,
 * so replicas starting together do not race). One handle per process, on globalThis, so dev
 * reloads and separately bundled route modules share it.
 *
 * Dialect rules every query keeps (both are tested: the unit suites on SQLite, the
 * `integration-pg` project on PostgreSQL): times are ISO-8601 UTC text, flags 0/1 integers (never
 * a JS boolean: better-sqlite3 cannot bind one), int8 is parsed to a number (below), `in` never
 * gets an empty list (PostgreSQL refuses `IN ()`), LIKE goes through ./sql.ts (an explicit
 * ESCAPE: SQLite has no default escape character).
 */
export type Database = Kysely<DB>;
export type Dialect = 'sqlite' | 'postgres';

interface Slot {
  key: string;
  /** The SQLite handle it wraps (server/db/sqlite.ts reopens it when KSC_DATA_DIR changes: a new handle is a new slot). */
  handle: unknown;
  db: Database;
  dialect: Dialect;
  ready: Promise<Database>;
}
const g = globalThis as { __kscKysely?: Slot; __kscDbScope?: AsyncLocalStorage<Database>; __kscDialects?: WeakMap<object, Dialect> };
/** Which dialect each open instance speaks (instances made by openDatabase() too). */
const dialects: WeakMap<object, Dialect> = (g.__kscDialects ??= new WeakMap());
/** withDatabase(): a scope where database() answers another instance (tests of several replicas). */
const scope: AsyncLocalStorage<Database> = (g.__kscDbScope ??= new AsyncLocalStorage<Database>());

// int8 (COUNT(*), bigint columns) as a JS number: our counts and sequence numbers stay far below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

export function databaseUrl(): string | null {
  const u = process.env.DATABASE_URL?.trim();
  return u ? u : null;
}

export function dialect(): Dialect {
  return databaseUrl() ? 'postgres' : 'sqlite';
}

const provider: MigrationProvider = { getMigrations: async (): Promise<Record<string, Migration>> => MIGRATIONS };

function postgres(url: string): Database {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: Number(process.env.KSC_DB_POOL ?? 10) }) }) });
}

/** Run the migrations not yet applied (Kysely's migrator takes a lock: replicas starting together wait for each other). */
async function migrated(db: Database): Promise<Database> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`The console's database could not be migrated${failed ? ` (${failed})` : ''}: ${(error as Error).message ?? error}`);
  }
  return db;
}

function open(): Slot {
  const url = databaseUrl();
  const sqlite = url ? null : sqliteHandle();
  const key = url ?? `sqlite:${sqlite!.name}`;
  if (g.__kscKysely?.key === key && g.__kscKysely.handle === sqlite) return g.__kscKysely;
  const db = url ? postgres(url) : new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite! }) });
  const d: Dialect = url ? 'postgres' : 'sqlite';
  dialects.set(db, d);
  const ready = migrated(db);
  ready.catch(() => {}); // reported to whoever awaits it
  g.__kscKysely = { key, handle: sqlite, db, dialect: d, ready };
  return g.__kscKysely;
}

/** The migrated database (inside withDatabase(), that scope's instance). */
export function database(): Promise<Database> {
  const scoped = scope.getStore();
  if (scoped) return Promise.resolve(scoped);
  return open().ready;
}

/** The process's database if it is open now, without opening one and whatever withDatabase() scope (background timers). */
export function openedDatabase(): Promise<Database> | null {
  return g.__kscKysely?.ready ?? null;
}

/** The dialect an instance speaks. */
export const dialectOf = (db: Database): Dialect => dialects.get(db) ?? 'sqlite';

/**
 * A second, independent instance on a PostgreSQL database (migrated): what another console
 * replica would hold. For tests of several replicas sharing one state; close it with destroy().
 */
export async function openDatabase(url: string): Promise<Database> {
  const db = postgres(url);
  dialects.set(db, 'postgres');
  return migrated(db);
}

/** Run `fn` with database() answering `db` (for the code `fn` calls, across its awaits). */
export function withDatabase<T>(db: Database, fn: () => T): T {
  return scope.run(db, fn);
}

/** For tests and the CLI: close the handle (the next database() opens it again). */
export async function closeDatabase(): Promise<void> {
  const s = g.__kscKysely;
  delete g.__kscKysely;
  if (s?.dialect === 'postgres') await s.db.destroy();
  else closeSqlite();
}

export const nowIso = (ms = Date.now()) => new Date(ms).toISOString();
