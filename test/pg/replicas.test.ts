import { MIGRATIONS } from '@/server/db/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, queryAudit, verifyAudit } from '@/server/audit/log';
import { principalFromHeaders } from '@/server/auth/principal';
import { createSession, resolveSession, revokeSession } from '@/server/auth/sessions';
import { addUser, setUserGrant } from '@/server/auth/users';
import { openDatabase, withDatabase, type Database } from '@/server/db';
import { startJob, waitForJob } from '@/server/jobs/jobs';
import { readJob, readJobs } from '@/server/jobs/store';
import { createTestDatabase } from '../helpers/db';

// Two console replicas on one PostgreSQL database: two Kysely instances (each its own pool of
// connections), started together (the migrations run once), sharing sessions, jobs and one
// unbroken audit chain under concurrent appends.
let a: Database;
let b: Database;
beforeAll(async () => {
  const url = await createTestDatabase(process.env.KSC_TEST_PG_URL!);
  [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
});
afterAll(async () => {
  await Promise.all([a?.destroy(), b?.destroy()]);
});

const on = <T>(db: Database, fn: () => Promise<T>) => withDatabase(db, fn);

describe('two replicas on one PostgreSQL', () => {
  it('migrated once, though both started together', async () => {
    const names = (await a.selectFrom('kysely_migration' as never).select('name' as never).execute()) as Array<{ name: string }>;
    expect(names.map((n) => n.name)).toEqual(Object.keys(MIGRATIONS)); // each once, in order
  });

  it('a session made on one replica is valid on the other; revoked on the other, it ends on both', async () => {
    const user = await on(a, () => addUser({ username: 'rita', password: 'a long enough password' }));
    await on(a, () => setUserGrant(user.id, 'viewer', ['lab']));
    const { cookieValue, session } = await on(a, () => createSession(user.id));
    const cookie = new Headers({ cookie: `ksc_session=${cookieValue}` });
    expect(await on(b, () => principalFromHeaders(cookie))).toMatchObject({ username: 'rita', sessionId: session.id, grants: [{ role: 'viewer', hosts: ['lab'] }] });
    await on(b, () => revokeSession(user.id, session.id));
    expect(await on(a, () => resolveSession(cookieValue))).toBeNull();
    expect(await on(b, () => resolveSession(cookieValue))).toBeNull();
  });

  it('both append to one audit chain at once: every record once, in one order, the chain intact', async () => {
    const N = 40;
    const seqs = await Promise.all(
      Array.from({ length: 2 * N }, (_, i) =>
        on(i % 2 ? a : b, () => appendAudit({ actorKind: 'user', actor: i % 2 ? 'on-a' : 'on-b', host: 'lab', operation: `op ${i}`, result: 'ok', detail: { i } })),
      ),
    );
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 2 * N }, (_, i) => i + 1));
    const fromA = await on(a, () => verifyAudit());
    expect(fromA).toEqual({ intact: true, records: 2 * N, firstSeq: 1, lastSeq: 2 * N });
    expect(await on(b, () => verifyAudit())).toEqual(fromA);
    const rows = await on(b, () => queryAudit({ hosts: '*', limit: 1000 }));
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set(['on-a', 'on-b']));
  });

  it('a job run by one replica is listed by the other, with its outcome', async () => {
    const job = await on(a, async () => {
      const j = startJob({ kind: 'check', title: 'replica job', hostId: 'lab', target: { pool: 'p' }, command: 'qemu-img check' }, async () => ({ ok: true }));
      await waitForJob(j.id);
      return j;
    });
    expect(await on(b, () => readJob(job.id))).toMatchObject({ id: job.id, state: 'succeeded', result: { ok: true }, hostId: 'lab' });
    expect((await on(b, () => readJobs({ limit: 10, hosts: ['lab'] }))).map((j) => j.id)).toContain(job.id);
  });
});
