import 'server-only';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { db as sqliteHandle } from '../jobs/db';
import { MIGRATIONS } from './migrations';
import type { DB } from './schema';

/**
 * The console's database, through one typed query layer (Kysely) for both dialects:
 * - SQLite, embedded (better-sqlite3), `$KSC_DATA_DIR/ksc.sqlite` — the default, nothing to install;
 * - PostgreSQL when `DATABASE_URL=postgres://…` is set, so several console replicas share users,
 *   sessions, grants, tokens, the audit chain and jobs.
 * `database()` answers once the migrations have run (once per process; Kysely's migrator locks,
 * so replicas starting together do not race). One handle per process, on globalThis, so dev
 * reloads and separately bundled route modules share it.
 */
export type Database = Kysely<DB>;
export type Dialect = 'sqlite' | 'postgres';

interface Slot {
  key: string;
  /** The SQLite handle it wraps (server/jobs/db.ts may reopen it: a new handle is a new slot). */
  handle: unknown;
  db: Database;
  dialect: Dialect;
  ready: Promise<Database>;
}
const g = globalThis as { __kscKysely?: Slot };

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

function open(): Slot {
  const url = databaseUrl();
  const sqlite = url ? null : sqliteHandle();
  const key = url ?? `sqlite:${sqlite!.name}`;
  if (g.__kscKysely?.key === key && g.__kscKysely.handle === sqlite) return g.__kscKysely;
  const db = url
    ? new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: Number(process.env.KSC_DB_POOL ?? 10) }) }) })
    : new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite! }) });
  const ready = (async () => {
    const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new Error(`The console's database could not be migrated${failed ? ` (${failed})` : ''}: ${(error as Error).message ?? error}`);
    }
    return db;
  })();
  ready.catch(() => {}); // reported to whoever awaits it
  g.__kscKysely = { key, handle: sqlite, db, dialect: url ? 'postgres' : 'sqlite', ready };
  return g.__kscKysely;
}

/** The migrated database. */
export function database(): Promise<Database> {
  return open().ready;
}

/** For tests and the CLI: close the handle (the next database() opens it again). */
export async function closeDatabase(): Promise<void> {
  const s = g.__kscKysely;
  delete g.__kscKysely;
  if (s && s.dialect === 'postgres') await s.db.destroy();
}

export const nowIso = (ms = Date.now()) => new Date(ms).toISOString();
