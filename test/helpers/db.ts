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

/** Close the current database and point the server code at an empty one (same dialect). */
export async function freshDatabase(): Promise<void> {
  await closeDatabase();
  const admin = process.env.KSC_TEST_PG_URL;
  if (admin) process.env.DATABASE_URL = await createTestDatabase(admin);
  else process.env.KSC_DATA_DIR = mkdtempSync(path.join(tmpdir(), 'ksc-db-'));
}
