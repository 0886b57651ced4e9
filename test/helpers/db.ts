/**
 * The console's database for tests, on either dialect. The unit project runs on SQLite (a temp
 * KSC_DATA_DIR); the integration-pg project sets KSC_TEST_PG_URL (the throwaway cluster of
 * scripts/pg-test.sh) and gives each test file a PostgreSQL database of its own (test/pg/setup.ts).
 * `freshDatabase()` starts a test on an empty database of whichever dialect is in use.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { closeDatabase } from '@/server/db';

export const onPostgres = () => !!process.env.DATABASE_URL;

/** Test databases are named with this prefix (global teardown drops them). */
export const TEST_DB_PREFIX = 'ksc_t_';

/** A new empty database in the cluster at `adminUrl`; its URL. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `${TEST_DB_PREFIX}${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Close the current database and start from an empty one (same dialect): on SQLite a new file;
 * on PostgreSQL the test file's own database emptied (every table but the migrations' truncated,
 * the audit chain's head back at genesis) — much quicker than a new database each time.
 */
export async function freshDatabase(): Promise<void> {
  await closeDatabase();
  const url = process.env.DATABASE_URL;
  if (!process.env.KSC_TEST_PG_URL || !url) {
    process.env.KSC_DATA_DIR = mkdtempSync(path.join(tmpdir(), 'ksc-db-'));
    return;
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ t: string }>(
      `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely\\_%' AND tablename <> 'audit_head'`,
    );
    if (rows.length) await c.query(`TRUNCATE ${rows.map((r) => `"${r.t}"`).join(', ')}`);
    if (rows.length) await c.query(`UPDATE audit_head SET seq = 0, hash = $1, anchor_seq = 1, anchor_hash = $1`, ['0'.repeat(64)]);
  } finally {
    await c.end();
  }
  // A new URL for the emptied database (same database): what was cached for the old one (the
  // users and tokens of authHeaders) is not taken for still there.
  const u = new URL(url);
  u.searchParams.set('application_name', `ksc-test-${++generation}`);
  process.env.DATABASE_URL = u.toString();
}
let generation = 0;
