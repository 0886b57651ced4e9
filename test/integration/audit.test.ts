import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as auditGET } from '@/app/api/audit/route';
import { GET as verifyGET } from '@/app/api/audit/verify/route';
import { GET as meGET } from '@/app/api/me/route';
import { DELETE as volDELETE } from '@/app/api/hosts/[host]/pools/[pool]/volumes/[volume]/route';
import { POST as volPOST } from '@/app/api/hosts/[host]/pools/[pool]/volumes/route';
import { AuditPageDto, AuditVerifyDto, type AuditRecordDto } from '@/lib/schemas/audit';
import { pruneAudit, verifyAudit } from '@/server/audit/log';
import { closeDatabase, database } from '@/server/db';
import { authHeaders } from '../helpers/auth';
import { LAB_INVENTORY, REPO } from '../helpers/lab';
import { until } from '../helpers/until';
import { virsh } from '../helpers/virsh';

// The audit log of real writes: volumes created and deleted in the lab's `default` pool through
// the route handlers, as an admin's API token. Each record names the actor and the operation and
// lists the exact commands that ran, in order, with their exit status — and never a secret. Then
// the chain: an edited or a deleted record is found (by verifyAudit, the verify route and
// `npm run audit -- verify`, which exits 1), and retention keeps it verifiable.
const POOL = 'default';
const DIR = '/var/lib/libvirt/images';
const tag = randomBytes(3).toString('hex');
const PLAIN = `ksc-audit-${tag}.qcow2`;
const ENC = `ksc-audit-${tag}-luks.qcow2`;
const STRAY = `ksc-audit-${tag}-stray.qcow2`;
const PASS = `ksc-audit-secret-${randomBytes(8).toString('hex')}`;
const data = mkdtempSync(path.join(tmpdir(), 'ksc-audit-data-'));
const env = { ...process.env };
let headers: Record<string, string> = {};
let me = '';

const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });
const send = (method: string, body?: unknown) =>
  new Request('http://x/api', { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function records(q: string): Promise<AuditRecordDto[]> {
  const res = await auditGET(new Request(`http://x/api/audit?${q}`, { headers }));
  expect(res.status).toBe(200);
  return AuditPageDto.parse(await res.json()).records;
}
/** The record of a request appears once the request (and any job it started) has ended. */
const recordOf = (object: string, operation: string, n = 1) =>
  until(async () => {
    const rs = (await records(`host=lab&object=${encodeURIComponent(`${POOL}/${object}`)}`)).filter((r) => r.operation === operation);
    return rs.length >= n ? rs : null;
  }, { what: `the audit record of ${operation} ${object}`, timeoutMs: 30_000 });

const cli = (...args: string[]) =>
  promisify(execFile)('npx', ['tsx', 'scripts/audit.ts', ...args], { cwd: REPO, env: { ...process.env, NODE_OPTIONS: '--conditions=react-server' } }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, out: e.stdout ?? '', err: e.stderr ?? '' }),
  );

function removeVolumes() {
  rmSync(`${DIR}/${STRAY}`, { force: true });
  // libvirt may have listed the stray file meanwhile (another refresh): forget it, or the next
  // suite's host read finds a volume whose file is gone.
  try {
    virsh('pool-refresh', POOL);
  } catch {
    /* the pool is not running */
  }
  // A run that stopped before its delete leaves the LUKS volume's libvirt secret behind.
  for (const line of virsh('secret-list').split('\n'))
    if (line.includes(`${DIR}/${ENC}`)) virsh('secret-undefine', line.trim().split(/\s+/)[0]!);
  for (const v of [PLAIN, ENC]) {
    try {
      virsh('vol-delete', '--pool', POOL, v);
    } catch {
      /* not there */
    }
  }
}

beforeAll(async () => {
  process.env.KSC_INVENTORY = LAB_INVENTORY;
  process.env.KSC_DATA_DIR = data;
  await closeDatabase();
  headers = await authHeaders('admin');
  const res = await meGET(new Request('http://x/api/me', { headers }));
  me = ((await res.json()) as { user: { username: string } }).user.username;
  removeVolumes();
});
afterAll(async () => {
  removeVolumes();
  await closeDatabase();
  process.env = { ...env };
  rmSync(data, { recursive: true, force: true });
});

// The lab's host reads take seconds each on a busy machine, and each write reads the host fresh.
const brief = (cs: AuditRecordDto['commands']) => cs.map(({ title, command, exitCode, stdin }) => ({ ...(title ? { title } : {}), command, exitCode, ...(stdin ? { stdin } : {}) }));

// The lab's host reads take seconds each on a busy machine, and each write reads the host fresh.
describe('the audit record of a real write', { timeout: 180_000 }, () => {
  it('create: the actor, the operation, the object, and each command in order with its exit status', async () => {
    const res = await volPOST(send('POST', { name: PLAIN, capacity: '16M', format: 'qcow2' }), params({ host: 'lab', pool: POOL }));
    expect(res.status).toBe(200);
    const [r] = await recordOf(PLAIN, 'POST /pools/[pool]/volumes');
    expect(r).toMatchObject({ actorKind: 'token', actor: me, host: 'lab', objectKind: 'volume', object: `${POOL}/${PLAIN}`, result: 'ok', status: 200 });
    // The plan's steps, in order, each with its exit status; the reads before them (host, formats, path checks) are only counted.
    expect(brief(r!.commands)).toEqual([
      { title: `Check that ${DIR}/${PLAIN} does not exist yet`, command: `test '!' -e ${DIR}/${PLAIN}`, exitCode: 0 },
      { title: `Create ${PLAIN} (qcow2)`, command: `qemu-img create -f qcow2 -- ${DIR}/${PLAIN} 16M`, exitCode: 0 },
      { title: `Refresh pool ${POOL} so libvirt sees the change`, command: `virsh -q -c qemu:///system pool-refresh -- ${POOL}`, exitCode: 0 },
    ]);
    for (const c of r!.commands) expect(c).toMatchObject({ ok: true, durationMs: expect.any(Number) });
    expect(r!.detail.reads).toBeGreaterThan(0);
  });

  it('a create that fails on the host is recorded as failed: the failing command with its exit status is the last', async () => {
    // A file libvirt does not list yet (no pool refresh): the console's read misses it, its plan's first check does not.
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', `${DIR}/${STRAY}`, '1M']);
    const res = await volPOST(send('POST', { name: STRAY, capacity: '16M', format: 'qcow2' }), params({ host: 'lab', pool: POOL }));
    expect(res.status).toBe(502);
    const [r] = await recordOf(STRAY, 'POST /pools/[pool]/volumes');
    expect(r).toMatchObject({ actor: me, result: 'failed', status: 502, detail: { error: { code: 'command-failed' } } });
    // The first step failed: it is the only command, with its exit status; nothing after it ran.
    expect(brief(r!.commands)).toEqual([{ title: `Check that ${DIR}/${STRAY} does not exist yet`, command: `test '!' -e ${DIR}/${STRAY}`, exitCode: 1 }]);
    expect(r!.commands[0]!.ok).toBe(false);
  });

  it('a create refused by the console (the name is taken) is recorded as refused, and nothing was written', async () => {
    const res = await volPOST(send('POST', { name: PLAIN, capacity: '16M', format: 'qcow2' }), params({ host: 'lab', pool: POOL }));
    expect(res.status).toBe(409);
    const rs = await recordOf(PLAIN, 'POST /pools/[pool]/volumes', 2);
    expect(rs[0]).toMatchObject({ result: 'refused', status: 409, detail: { error: { code: 'volume-exists' } } });
    expect(rs[0]!.commands).toEqual([]);
  });

  it('a refused delete (no typed name) is recorded as refused with the guard, and no write command ran', async () => {
    const res = await volDELETE(send('DELETE', {}), params({ host: 'lab', pool: POOL, volume: PLAIN }));
    expect(res.status).toBe(409);
    const [r] = await recordOf(PLAIN, 'DELETE /pools/[pool]/volumes/[volume]');
    expect(r).toMatchObject({ actor: me, result: 'refused', status: 409, detail: { error: { code: 'delete-volume' } } });
    expect(r!.commands).toEqual([]);
    expect(r!.detail.reads).toBeGreaterThan(0);
  });

  it('delete with the typed name: vol-delete, exit 0', async () => {
    const res = await volDELETE(send('DELETE', { confirm: PLAIN }), params({ host: 'lab', pool: POOL, volume: PLAIN }));
    expect(res.status).toBe(200);
    const [r] = await recordOf(PLAIN, 'DELETE /pools/[pool]/volumes/[volume]', 2);
    expect(r).toMatchObject({ actor: me, result: 'ok', status: 200 });
    expect(brief(r!.commands)).toEqual([{ title: `Delete ${PLAIN}`, command: `virsh -q -c qemu:///system vol-delete --pool ${POOL} -- ${PLAIN}`, exitCode: 0 }]);
  });

  it('a LUKS passphrase reaches no record: the secret step shows no stdin, the secret XML (public) does', async () => {
    const res = await volPOST(send('POST', { name: ENC, capacity: '16M', format: 'qcow2', encryption: { passphrase: PASS } }), params({ host: 'lab', pool: POOL }));
    expect(res.status).toBe(200);
    const [r] = await recordOf(ENC, 'POST /pools/[pool]/volumes');
    const steps = r!.commands.filter((c) => c.title);
    const setValue = steps.find((c) => c.command.includes('secret-set-value'));
    expect(setValue).toBeDefined();
    expect(setValue!.stdin).toBeUndefined();
    expect(steps.find((c) => c.command.includes('secret-define'))?.stdin).toContain(`<volume>${DIR}/${ENC}</volume>`);
    // qemu-img's LUKS benchmark fails now and then and the step is tried again: every attempt is recorded, the last succeeded.
    const creates = steps.filter((c) => c.command.startsWith('qemu-img create'));
    for (const c of creates) {
      expect(c.command).toBe(`qemu-img create --object secret,id=ksc-sec0,file=/dev/stdin,format=raw -f qcow2 -o encrypt.format=luks,encrypt.key-secret=ksc-sec0 -- ${DIR}/${ENC} 16M`);
      expect(c.stdin).toBeUndefined();
    }
    expect(creates.at(-1)).toMatchObject({ exitCode: 0, ok: true });
    const del = await volDELETE(send('DELETE', { confirm: ENC }), params({ host: 'lab', pool: POOL, volume: ENC }));
    expect(del.status).toBe(200);
    await recordOf(ENC, 'DELETE /pools/[pool]/volumes/[volume]');
    const exported = await (await auditGET(new Request('http://x/api/audit?format=json', { headers }))).text();
    expect(exported).toContain(ENC);
    expect(exported).not.toContain(PASS);
    const db = await database();
    expect(JSON.stringify(await db.selectFrom('audit').selectAll().execute())).not.toContain(PASS);
  });
});

describe('the chain', { timeout: 60_000 }, () => {
  const verifyRoute = async () => AuditVerifyDto.parse(await (await verifyGET(new Request('http://x/api/audit/verify', { headers }))).json());

  it('intact after the writes: the route, verifyAudit and the CLI agree', async () => {
    const v = await verifyAudit();
    expect(v.intact).toBe(true);
    expect(v.records).toBeGreaterThanOrEqual(5);
    expect(await verifyRoute()).toMatchObject({ intact: true, records: v.records });
    const c = await cli('verify');
    expect(c.code).toBe(0);
    expect(c.out).toContain(`Chain intact · ${v.records} records`);
  });

  it('a record edited in the database is found; the CLI exits 1', async () => {
    const db = await database();
    const [target] = await records(`object=${encodeURIComponent(`${POOL}/${PLAIN}`)}&result=ok&op=DELETE`);
    await db.updateTable('audit').set({ actor: 'someone-else' }).where('seq', '=', target!.seq).execute();
    expect(await verifyAudit()).toMatchObject({ intact: false, brokenAt: { seq: target!.seq, reason: 'its content was changed after it was written' } });
    expect(await verifyRoute()).toMatchObject({ intact: false, brokenAt: { seq: target!.seq } });
    const c = await cli('verify');
    expect(c.code).toBe(1);
    expect(c.err).toContain(`Chain broken at record ${target!.seq}: its content was changed after it was written`);
    await db.updateTable('audit').set({ actor: target!.actor }).where('seq', '=', target!.seq).execute();
    expect((await verifyAudit()).intact).toBe(true);
  });

  it('a deleted middle record is found; the CLI exits 1', async () => {
    const db = await database();
    const v = await verifyAudit();
    const mid = Math.floor((v.firstSeq! + v.lastSeq!) / 2);
    const row = await db.selectFrom('audit').selectAll().where('seq', '=', mid).executeTakeFirstOrThrow();
    await db.deleteFrom('audit').where('seq', '=', mid).execute();
    expect(await verifyAudit()).toMatchObject({ intact: false, brokenAt: { seq: mid, reason: `record ${mid} is missing` } });
    const c = await cli('verify');
    expect(c.code).toBe(1);
    expect(c.err).toContain(`Chain broken at record ${mid}`);
    await db.insertInto('audit').values(row).execute();
    expect((await verifyAudit()).intact).toBe(true);
  });

  it('retention cuts old records and the chain stays verifiable', async () => {
    const before = await verifyAudit();
    // Everything so far is "older than a day" two days from now.
    const n = await pruneAudit(1, Date.now() + 2 * 86_400_000);
    expect(n).toBe(before.records);
    const after = await verifyAudit();
    expect(after).toMatchObject({ intact: true, records: 1, firstSeq: before.lastSeq! + 1 });
    expect((await cli('verify')).code).toBe(0);
  });
});

