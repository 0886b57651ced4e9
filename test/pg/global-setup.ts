/**
 * Global set-up of the integration-pg project: the throwaway PostgreSQL cluster
 * (scripts/pg-test.sh, Debian's package — started here if `npm test` did not already), handed to
 * the test files as `kscPgUrl`; at the end, the databases the files made are dropped.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_DB_PREFIX } from '../helpers/db';

declare module 'vitest' {
  export interface ProvidedContext {
    kscPgUrl: string;
  }
}

export default function setup(project: TestProject) {
  const script = path.resolve(import.meta.dirname, '../../scripts/pg-test.sh');
  const url = process.env.KSC_TEST_PG_URL || execFileSync('bash', [script, 'up'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  project.provide('kscPgUrl', url);
  return async () => {
    const maintenance = new URL(url);
    maintenance.pathname = '/postgres'; // a database no test file holds open
    const c = new pg.Client({ connectionString: maintenance.toString() });
    await c.connect();
    try {
      // Not LIKE: its `_` matches any character (it once matched ksc_test itself).
      const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE left(datname, length($1)) = $1', [TEST_DB_PREFIX]);
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
}
