import 'server-only';
import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The schema's history, oldest first. Written with Kysely's schema builder so the one list serves
 * SQLite and PostgreSQL; never edit a migration that has shipped — add the next one.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-30-001-auth-audit': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text')
        .addColumn('password_hash', 'text')
        .addColumn('source', 'text', (c) => c.notNull().defaultTo('local'))
        .addColumn('oidc_subject', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('hosts', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('grants_subject').on('grants').columns(['subject_kind', 'subject']).execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('groups', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('source_address', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('tokens_user').on('tokens').column('user_id').execute();
      await db.schema
        .createTable('login_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('last_failure_at', 'text', (c) => c.notNull())
        .addColumn('blocked_until', 'text')
        .execute();
      await db.schema
        .createTable('audit')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text')
        .addColumn('token_id', 'text')
        .addColumn('source_address', 'text')
        .addColumn('host', 'text')
        .addColumn('object_kind', 'text')
        .addColumn('object', 'text')
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('commands', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      for (const col of ['at', 'host', 'actor', 'object'] as const)
        await db.schema.createIndex(`audit_${col}`).on('audit').column(col).execute();
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('anchor_seq', 'bigint', (c) => c.notNull())
        .addColumn('anchor_hash', 'text', (c) => c.notNull())
        .execute();
      const genesis = '0'.repeat(64);
      await sql`INSERT INTO audit_head (id, seq, hash, anchor_seq, anchor_hash) VALUES (1, 0, ${genesis}, 1, ${genesis})`.execute(db);
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('jobs')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('host_id', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('progress', 'real')
        .addColumn('bytes_done', 'bigint')
        .addColumn('bytes_total', 'bigint')
        .addColumn('command', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('error', 'text')
        .addColumn('result', 'text')
        .execute();
      await db.schema.createIndex('jobs_created').ifNotExists().on('jobs').column('created_at').execute();
    },
  },
  '2026-11-30-002-job-owners': {
    // Several replicas share the jobs table: a job row names the process that runs it, and each
    // process says it is alive in job_owners, so a replica marks `interrupted` only the unfinished
    // jobs of processes that are gone — never another live replica's.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('jobs').addColumn('owner', 'text').execute();
      await db.schema.createIndex('jobs_state').on('jobs').column('state').execute();
      await db.schema
        .createTable('job_owners')
        .addColumn('owner', 'text', (c) => c.primaryKey())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '2026-11-30-003-user-groups': {
    // The groups an identity provider gave at the last sign-in, kept on the account so that an
    // API token of a single-sign-on user carries its groups' grants too (a token has no session).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('groups', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
  },
};
