import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, database } from '../db';
import { freshDatabase } from '@/test/helpers/db';
import { appendAudit, pruneAudit, queryAudit, verifyAudit, type AuditInput } from './log';

// The hash-chained audit log on either dialect: appends in one order, verify finds an edit, a
// deletion, a cut at the end; filters (LIKE characters taken literally, no `IN ()`); retention.
beforeEach(() => freshDatabase());
afterAll(() => closeDatabase());

const rec = (i: number, over: Partial<AuditInput> = {}): AuditInput => ({
  actorKind: 'user',
  actor: 'ann',
  host: 'lab',
  objectKind: 'volume',
  object: `pool/vol${i}`,
  operation: 'POST /pools/[pool]/volumes',
  result: 'ok',
  status: 201,
  commands: [{ command: `virsh vol-create-as pool vol${i}`, exitCode: 0, ok: true, durationMs: 3 }],
  detail: { i },
  ...over,
});

describe('audit chain', () => {
  it('appends in sequence, each record linked to the one before; verify says intact', async () => {
    for (let i = 1; i <= 5; i++) expect(await appendAudit(rec(i))).toBe(i);
    expect(await verifyAudit()).toEqual({ intact: true, records: 5, firstSeq: 1, lastSeq: 5 });
    const rows = await queryAudit({ hosts: '*' });
    expect(rows.map((r) => r.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(rows[0]!.commands).toEqual([{ command: 'virsh vol-create-as pool vol5', exitCode: 0, ok: true, durationMs: 3 }]);
    expect(rows[0]!.prev_hash).toBe(rows[1]!.hash);
  });

  it('an edited record, a deleted one, and the newest removed are each detected', async () => {
    for (let i = 1; i <= 4; i++) await appendAudit(rec(i));
    const db = await database();
    await db.updateTable('audit').set({ actor: 'mallory' }).where('seq', '=', 2).execute();
    expect(await verifyAudit()).toMatchObject({ intact: false, brokenAt: { seq: 2, reason: expect.stringMatching(/changed/) } });
    await db.deleteFrom('audit').where('seq', '=', 2).execute();
    expect(await verifyAudit()).toMatchObject({ intact: false, brokenAt: { seq: 2, reason: expect.stringMatching(/missing/) } });
  });

  it('a cut at the end (the newest records deleted) is detected by the head', async () => {
    for (let i = 1; i <= 3; i++) await appendAudit(rec(i));
    await (await database()).deleteFrom('audit').where('seq', '=', 3).execute();
    expect(await verifyAudit()).toMatchObject({ intact: false, brokenAt: { seq: 3 } });
  });

  it('filters: LIKE characters in a value are literal, the object filter covers its children, an empty host list finds nothing', async () => {
    await appendAudit(rec(1, { object: 'a_b/disk', operation: 'POST /pools/[pool]/volumes/[volume]/resize' }));
    await appendAudit(rec(2, { object: 'axb/disk', operation: 'POST /pools/[pool]/x%y' }));
    await appendAudit(rec(3, { object: 'a_b', host: 'lab2' }));
    await appendAudit(rec(4, { object: 'A_B/disk', host: null, actorKind: 'system', actor: null }));
    const objs = async (q: Parameters<typeof queryAudit>[0]) => (await queryAudit(q)).map((r) => r.object);
    expect(await objs({ object: 'a_b' })).toEqual(['a_b', 'a_b/disk']);
    expect(await objs({ op: 'x%y' })).toEqual(['axb/disk']);
    expect(await objs({ op: 'RESIZE' })).toEqual(['a_b/disk']); // any case, in both dialects
    expect(await objs({ op: '%' })).toEqual(['axb/disk']);
    expect(await objs({ hosts: [] })).toEqual([]);
    expect(await objs({ hosts: [], includeConsole: true })).toEqual(['A_B/disk']);
    expect(await objs({ hosts: ['lab2'] })).toEqual(['a_b']);
    expect(await objs({ hosts: '*' })).toEqual(['a_b', 'axb/disk', 'a_b/disk']);
    expect(await objs({ user: 'ann', result: 'ok', host: 'lab' })).toEqual(['axb/disk', 'a_b/disk']);
  });

  it('retention cuts the oldest records, moves the anchor, records the cut — and the chain stays intact', async () => {
    const day = 86_400_000;
    const now = Date.now();
    for (let i = 1; i <= 3; i++) await appendAudit(rec(i), new Date(now - (10 - i) * day).toISOString());
    await appendAudit(rec(4));
    expect(await pruneAudit(5, now)).toBe(3);
    const v = await verifyAudit();
    expect(v).toMatchObject({ intact: true, firstSeq: 4, lastSeq: 5, records: 2 });
    expect((await queryAudit({ includeConsole: true, hosts: '*' }))[0]).toMatchObject({ operation: 'audit.retention', detail: { removed: 3 } });
  });
});
