import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role, HostScope } from '@/lib/auth/roles';
import { AuditPageDto, AuditRecordDto, AuditVerifyDto } from '@/lib/schemas/audit';
import { appendAudit, pruneAudit, queryAudit, verifyAudit, type AuditInput } from '@/server/audit/log';
import { createToken } from '@/server/auth/tokens';
import { addUser, setUserGrant } from '@/server/auth/users';
import { closeDatabase, database } from '@/server/db';
import { GET as auditGET } from './route';
import { GET as verifyGET } from './verify/route';

// The reading side of the audit log in a database of its own (SQLite in a temp KSC_DATA_DIR):
// the filters, who sees which records, paging, the CSV and JSON downloads, and verify.
// The records are the test's own: the inventory's "first seen" record (written in the background
// when a request reads the inventory) is left out.
vi.mock('@/server/audit/inventory', () => ({ noticeInventory: async () => {} }));
const root = mkdtempSync(path.join(tmpdir(), 'ksc-audit-routes-'));
const env = { ...process.env };

async function useFreshDb(name: string) {
  await closeDatabase();
  process.env.KSC_DATA_DIR = path.join(root, name);
}

async function caller(username: string, role: Role, hosts: HostScope): Promise<Record<string, string>> {
  const u = await addUser({ username, password: 'correct horse battery staple' });
  await setUserGrant(u.id, role, hosts);
  const { token } = await createToken({ userId: u.id, ownerRole: role, name: 'test', role });
  return { authorization: `Bearer ${token}` };
}

const rec = (over: Partial<AuditInput>): AuditInput => ({ actorKind: 'user', actor: 'alice', host: 'h1', operation: 'POST /pools/[pool]/refresh', result: 'ok', status: 200, ...over });

async function get(url: string, headers: Record<string, string>) {
  return auditGET(new Request(`http://x${url}`, { headers }));
}
async function page(url: string, headers: Record<string, string>) {
  const res = await get(url, headers);
  expect(res.status).toBe(200);
  return AuditPageDto.parse(await res.json());
}
const ops = (p: { records: Array<{ operation: string }> }) => p.records.map((r) => r.operation);

let admin: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  const inv = path.join(root, 'hosts.json');
  writeFileSync(inv, JSON.stringify({ hosts: [{ id: 'h1', transport: 'local' }, { id: 'h2', transport: 'local', address: 'x' }] }));
  process.env.KSC_INVENTORY = inv;
  await useFreshDb('filters');
  admin = await caller('root-admin', 'admin', '*');
  viewer = await caller('vera', 'viewer', ['h1']);
  const at = (min: number) => new Date(Date.UTC(2026, 10, 30, 12, min)).toISOString();
  await appendAudit(rec({ operation: 'op.one', object: 'default', objectKind: 'pool' }), at(0)); // 1
  await appendAudit(rec({ operation: 'op.two', object: 'default/disk_1.qcow2', objectKind: 'volume', actor: 'bob' }), at(1)); // 2
  await appendAudit(rec({ operation: 'op.three', object: 'defaultX/disk.qcow2', objectKind: 'volume', result: 'failed', status: 502 }), at(2)); // 3
  await appendAudit(rec({ operation: 'op.four', object: 'default_/x', objectKind: 'volume' }), at(3)); // 4: `_` is no wildcard
  await appendAudit(rec({ operation: 'op.five', host: 'h2', object: 'default', objectKind: 'pool', result: 'refused', status: 403 }), at(4)); // 5
  await appendAudit(rec({ operation: 'user.add', host: null, object: 'carl', objectKind: 'user', actor: 'root-admin' }), at(5)); // 6
  await appendAudit(rec({ operation: 'auth.login', host: null, object: 'vera', objectKind: 'user', actor: 'vera' }), at(6)); // 7
  await appendAudit(rec({ operation: 'auth.login', host: null, object: 'bob', objectKind: 'user', actor: 'bob' }), at(7)); // 8
  await appendAudit(rec({ operation: 'op.nine', object: 'vm001/snap%1', objectKind: 'vm-snapshot' }), at(8)); // 9
  await appendAudit(rec({ operation: 'op.ten', object: 'DEFAULT', objectKind: 'pool' }), at(9)); // 10: another pool, by case
});
afterAll(async () => {
  await closeDatabase();
  process.env = { ...env };
  rmSync(root, { recursive: true, force: true });
});

describe('GET /api/audit filters', () => {
  it('newest first; host, user, result and op (a part of it) narrow the list', async () => {
    expect(ops(await page('/api/audit', admin))).toEqual(['op.ten', 'op.nine', 'auth.login', 'auth.login', 'user.add', 'op.five', 'op.four', 'op.three', 'op.two', 'op.one']);
    expect(ops(await page('/api/audit?host=h2', admin))).toEqual(['op.five']);
    expect(ops(await page('/api/audit?user=bob', admin))).toEqual(['auth.login', 'op.two']);
    expect(ops(await page('/api/audit?result=failed', admin))).toEqual(['op.three']);
    expect(ops(await page('/api/audit?op=auth.', admin))).toEqual(['auth.login', 'auth.login']);
    expect(ops(await page('/api/audit?op=%25', admin))).toEqual([]); // `%` is a character, not a wildcard
  });

  it('object: that object and what is under it, exactly (no wildcards, no case folding, no mere prefix)', async () => {
    expect(ops(await page('/api/audit?host=h1&object=default', admin))).toEqual(['op.two', 'op.one']);
    expect(ops(await page('/api/audit?object=default_', admin))).toEqual(['op.four']);
    expect(ops(await page('/api/audit?object=vm001', admin))).toEqual(['op.nine']);
    expect(ops(await page(`/api/audit?object=${encodeURIComponent('vm001/snap%1')}`, admin))).toEqual(['op.nine']);
    expect(ops(await page('/api/audit?object=DEFAULT', admin))).toEqual(['op.ten']);
  });

  it('kind: one object kind or a list of them (what a History tab asks for)', async () => {
    expect(ops(await page('/api/audit?host=h1&object=default&kind=pool', admin))).toEqual(['op.one']);
    expect(ops(await page('/api/audit?host=h1&object=default&kind=pool,volume,volume-snapshot', admin))).toEqual(['op.two', 'op.one']);
  });

  it('since and until are inclusive; a bare date as until means the whole day', async () => {
    expect(ops(await page('/api/audit?since=2026-11-30T12:08:00Z', admin))).toEqual(['op.ten', 'op.nine']);
    expect(ops(await page('/api/audit?since=2026-11-30T12:01:00Z&until=2026-11-30T12:02:00.000Z', admin))).toEqual(['op.three', 'op.two']);
    // Without a zone: UTC, as the log shows its times (not the server's local time).
    expect(ops(await page('/api/audit?since=2026-11-30T12:01&until=2026-11-30T12:01', admin))).toEqual(['op.two']);
    expect(ops(await page('/api/audit?since=2026-11-30T12:01&until=2026-11-30T12:02', admin))).toEqual(['op.three', 'op.two']);
    expect((await page('/api/audit?until=2026-11-30', admin)).records).toHaveLength(10);
    expect((await page('/api/audit?until=2026-11-29', admin)).records).toHaveLength(0);
  });

  it('pages by `before`: limit records, then nextBefore for the older ones, null at the end', async () => {
    const p1 = await page('/api/audit?limit=4', admin);
    expect(p1.records.map((r) => r.seq)).toEqual([10, 9, 8, 7]);
    expect(p1.nextBefore).toBe(7);
    const p2 = await page(`/api/audit?limit=4&before=${p1.nextBefore}`, admin);
    expect(p2.records.map((r) => r.seq)).toEqual([6, 5, 4, 3]);
    const p3 = await page(`/api/audit?limit=4&before=${p2.nextBefore}`, admin);
    expect(p3.records.map((r) => r.seq)).toEqual([2, 1]);
    expect(p3.nextBefore).toBeNull();
  });

  it('a bad value is a 422 naming it; no caller is a 401', async () => {
    for (const [q, name] of [['result=great', 'result'], ['since=yesterday-ish', 'since'], ['format=xml', 'format'], ['limit=ten', 'limit']]) {
      const res = await get(`/api/audit?${q}`, admin);
      expect(res.status).toBe(422);
      expect(JSON.stringify(await res.json())).toContain(name);
    }
    expect((await get('/api/audit', {})).status).toBe(401);
    expect((await verifyGET(new Request('http://x/api/audit/verify'))).status).toBe(401);
  });
});

describe('who sees which records', () => {
  it('a viewer of h1 sees h1 and their own sign-ins; not h2, not other people’s sign-ins, not user changes', async () => {
    const p = await page('/api/audit', viewer);
    expect(p.records.map((r) => r.seq)).toEqual([10, 9, 7, 4, 3, 2, 1]);
    expect(p.records.find((r) => r.seq === 7)).toMatchObject({ operation: 'auth.login', actor: 'vera', host: null });
    expect((await page('/api/audit?host=h2', viewer)).records).toEqual([]);
    expect((await page('/api/audit?op=user.add', viewer)).records).toEqual([]);
  });

  it('a grant on every host sees the console-wide records too', async () => {
    expect((await page('/api/audit?op=user.add', admin)).records).toHaveLength(1);
    expect((await page('/api/audit?op=auth.login', admin)).records).toHaveLength(2);
  });

  it('the downloads obey the same scope', async () => {
    const csv = await (await get('/api/audit?format=csv', viewer)).text();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + 7);
    const json = AuditRecordDto.array().parse(await (await get('/api/audit?format=json&host=h2', viewer)).json());
    expect(json).toEqual([]);
  });
});

describe('exports', () => {
  it('CSV: text/csv, an attachment, a header and one row per record, filters applied', async () => {
    const res = await get('/api/audit?format=csv&host=h1&object=default', admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="ksc-audit-\d{8}T\d{6}Z\.csv"$/);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('seq,at,actor_kind,actor,token_id,source_address,host,object_kind,object,operation,result,status,commands,detail,prev_hash,hash');
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(['2', '1']);
    expect(lines.at(-1)).toBe('');
  });

  it('JSON: an attachment holding an array of the exact records; limit caps it', async () => {
    const res = await get('/api/audit?format=json&limit=3', admin);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="ksc-audit-.*\.json"$/);
    const records = AuditRecordDto.array().parse(await res.json());
    expect(records.map((r) => r.seq)).toEqual([10, 9, 8]);
    const direct = await queryAudit({ limit: 1 });
    expect(records[0]!.hash).toBe(direct[0]!.hash);
  });

  it('an export larger than one database page is read page by page, in order', async () => {
    await useFreshDb('big');
    const h = await caller('big-admin', 'admin', '*');
    const db = await database();
    // 2,500 records in one transaction: the export's pages are 1,000.
    await db.transaction().execute(async (trx) => {
      for (let i = 1; i <= 2500; i++)
        await trx.insertInto('audit').values({ seq: i, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), actor_kind: 'user', actor: 'x', token_id: null, source_address: null, host: 'h1', object_kind: null, object: null, operation: `op${i}`, result: 'ok', status: 200, commands: '[]', detail: '{}', prev_hash: '', hash: '' }).execute();
    });
    const csv = await (await get('/api/audit?format=csv', h)).text();
    const seqs = csv.trimEnd().split('\r\n').slice(1).map((l) => Number(l.split(',')[0]));
    expect(seqs).toHaveLength(2500);
    expect(seqs[0]).toBe(2500);
    expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1]! - 1)).toBe(true);
  });
});

describe('GET /api/audit/verify and the chain', () => {
  const verify = async (h: Record<string, string>) => AuditVerifyDto.parse(await (await verifyGET(new Request('http://x/api/audit/verify', { headers: h }))).json());

  it('intact with the record count; an edited record is reported by seq', async () => {
    await useFreshDb('tamper');
    const h = await caller('t-admin', 'admin', '*');
    for (let i = 0; i < 5; i++) await appendAudit(rec({ operation: `op${i}` }));
    expect(await verify(h)).toMatchObject({ intact: true, records: 5, firstSeq: 1, lastSeq: 5 });
    const db = await database();
    await db.updateTable('audit').set({ actor: 'mallory' }).where('seq', '=', 3).execute();
    expect(await verify(h)).toMatchObject({ intact: false, brokenAt: { seq: 3, reason: 'its content was changed after it was written' } });
  });

  it('a deleted middle record is reported as missing', async () => {
    await useFreshDb('delete');
    for (let i = 0; i < 5; i++) await appendAudit(rec({ operation: `op${i}` }));
    const db = await database();
    await db.deleteFrom('audit').where('seq', '=', 2).execute();
    expect(await verifyAudit()).toMatchObject({ intact: false, brokenAt: { seq: 2, reason: 'record 2 is missing' } });
  });

  it('retention cuts the oldest records and the chain still verifies; the cut is itself recorded', async () => {
    await useFreshDb('prune');
    const day = 86_400_000;
    const now = Date.now();
    for (let i = 0; i < 6; i++) await appendAudit(rec({ operation: `old${i}` }), new Date(now - (40 - i) * day).toISOString());
    for (let i = 0; i < 3; i++) await appendAudit(rec({ operation: `new${i}` }), new Date(now - i * 1000).toISOString());
    expect(await pruneAudit(30, now)).toBe(6);
    const v = await verifyAudit();
    expect(v).toMatchObject({ intact: true, records: 4, firstSeq: 7, lastSeq: 10 });
    const [last] = await queryAudit({ limit: 1 });
    expect(last).toMatchObject({ operation: 'audit.retention', actor_kind: 'system', detail: { removed: 6 } });
    // And after the cut, an edit is still found.
    const db = await database();
    await db.updateTable('audit').set({ operation: 'new-edited' }).where('seq', '=', 8).execute();
    expect(await verifyAudit()).toMatchObject({ intact: false, brokenAt: { seq: 8 } });
  });
});
