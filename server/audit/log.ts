import 'server-only';
import { createHash } from 'node:crypto';
import type { ExpressionBuilder } from 'kysely';
import { database, nowIso } from '../db';
import type { AuditTable, DB } from '../db/schema';
import { containsText, never, startsWith } from '../db/sql';

/**
 * The audit log: append-only, each record carrying the sha256 of the one before, so a record
 * edited or deleted in the database breaks the chain (`verifyAudit`). Appends lock the one
 * `audit_head` row first (a row lock in PostgreSQL, the write lock in SQLite), so replicas and
 * the CLI append in one order. Retention (`KSC_AUDIT_DAYS`, default 365) cuts the oldest
 * records and moves the chain's anchor past them; the cut itself is recorded.
 */
export interface AuditInput {
  actorKind: 'user' | 'token' | 'anonymous' | 'system';
  actor: string | null;
  tokenId?: string | null;
  sourceAddress?: string | null;
  host?: string | null;
  objectKind?: string | null;
  object?: string | null;
  operation: string;
  result: 'ok' | 'failed' | 'refused';
  status?: number | null;
  commands?: unknown[];
  detail?: Record<string, unknown>;
}

export type AuditRecord = Omit<AuditTable, 'commands' | 'detail'> & { commands: unknown[]; detail: Record<string, unknown> };

export const GENESIS = '0'.repeat(64);

type Hashable = Omit<AuditTable, 'hash'>;
export function recordHash(r: Hashable): string {
  const body = JSON.stringify([
    r.seq,
    r.at,
    r.actor_kind,
    r.actor,
    r.token_id,
    r.source_address,
    r.host,
    r.object_kind,
    r.object,
    r.operation,
    r.result,
    r.status,
    r.commands,
    r.detail,
  ]);
  return createHash('sha256').update(r.prev_hash).update('\n').update(body).digest('hex');
}

export async function appendAudit(a: AuditInput, at = nowIso()): Promise<number> {
  const db = await database();
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', 1).execute();
    const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    const row: Hashable = {
      seq: Number(head.seq),
      at,
      actor_kind: a.actorKind,
      actor: a.actor,
      token_id: a.tokenId ?? null,
      source_address: a.sourceAddress ?? null,
      host: a.host ?? null,
      object_kind: a.objectKind ?? null,
      object: a.object ?? null,
      operation: a.operation,
      result: a.result,
      status: a.status ?? null,
      commands: JSON.stringify(a.commands ?? []),
      detail: JSON.stringify(a.detail ?? {}),
      prev_hash: head.hash,
    };
    const hash = recordHash(row);
    await trx.insertInto('audit').values({ ...row, hash }).execute();
    await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
    return row.seq;
  });
}

/** Append, and never let a failing audit write turn a finished operation into an error: log it loudly instead. */
export function appendAuditSafely(a: AuditInput): Promise<void> {
  return appendAudit(a).then(
    () => undefined,
    (e: unknown) => console.error('[ksc] AUDIT WRITE FAILED — record lost:', JSON.stringify(a), e),
  );
}

export interface VerifyResult {
  intact: boolean;
  records: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The first record where the chain breaks, and how. */
  brokenAt?: { seq: number; reason: string };
}

/** Walk the chain from its anchor to the head, recomputing every hash. */
export async function verifyAudit(): Promise<VerifyResult> {
  const db = await database();
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  let prev = head.anchor_hash;
  let expect = Number(head.anchor_seq);
  let n = 0;
  let first: number | null = null;
  let last: number | null = null;
  const PAGE = 2000;
  for (let after = expect - 1; ; ) {
    const rows = await db.selectFrom('audit').selectAll().where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      first ??= seq;
      last = seq;
      n++;
      if (seq !== expect) return { intact: false, records: n, firstSeq: first, lastSeq: last, brokenAt: { seq: expect, reason: `record ${expect} is missing` } };
      if (r.prev_hash !== prev) return { intact: false, records: n, firstSeq: first, lastSeq: last, brokenAt: { seq, reason: 'its link to the record before does not match' } };
      const { hash, ...rest } = r;
      if (recordHash({ ...rest, seq }) !== hash) return { intact: false, records: n, firstSeq: first, lastSeq: last, brokenAt: { seq, reason: 'its content was changed after it was written' } };
      prev = hash;
      expect++;
    }
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  if (Number(head.seq) !== expect - 1 || head.hash !== prev)
    return { intact: false, records: n, firstSeq: first, lastSeq: last, brokenAt: { seq: expect, reason: `the newest record${Number(head.seq) >= expect ? 's were deleted' : ' does not match the chain head'}` } };
  return { intact: true, records: n, firstSeq: first, lastSeq: last };
}

export interface AuditQuery {
  host?: string;
  /** The actor's name (a user, or `cli:…`). */
  user?: string;
  /** An object and everything under it: `default` matches `default` and `default/disk1.qcow2`. */
  object?: string;
  /** One object kind, or any of a list (`pool`, `volume`, `vm-snapshot` …). */
  objectKind?: string | readonly string[];
  /** A part of the operation, e.g. `resize`, `auth.login`, `DELETE`. */
  op?: string;
  result?: string;
  /** ISO-8601 times, inclusive. */
  since?: string;
  until?: string;
  /** Only these hosts (and, if `includeConsole`, records without a host). */
  hosts?: '*' | string[];
  includeConsole?: boolean;
  /** Console-wide records of this user's own sign-ins (`auth.*`) even without `includeConsole`. */
  ownSignIns?: string;
  limit?: number;
  beforeSeq?: number;
}

export async function queryAudit(q: AuditQuery): Promise<AuditRecord[]> {
  const db = await database();
  let s = db.selectFrom('audit').selectAll();
  if (q.host) s = s.where('host', '=', q.host);
  if (q.user) s = s.where('actor', '=', q.user);
  // The object and what is under it, each character literal and case respected, in both dialects.
  if (q.object) s = s.where((eb) => eb.or([eb('object', '=', q.object!), startsWith('object', `${q.object!}/`)]));
  if (typeof q.objectKind === 'string') s = s.where('object_kind', '=', q.objectKind);
  else if (q.objectKind) s = q.objectKind.length ? s.where('object_kind', 'in', [...q.objectKind]) : s.where(never());
  if (q.op) s = s.where(containsText('operation', q.op));
  if (q.result) s = s.where('result', '=', q.result);
  if (q.since) s = s.where('at', '>=', q.since);
  if (q.until) s = s.where('at', '<=', q.until);
  if (q.beforeSeq) s = s.where('seq', '<', q.beforeSeq);
  const own = q.ownSignIns;
  const ownSignIns = (eb: ExpressionBuilder<DB, 'audit'>) =>
    eb.and([eb('host', 'is', null), eb('actor', '=', own!), startsWith('operation', 'auth.')]);
  if (q.hosts && q.hosts !== '*') {
    const hosts = q.hosts;
    s = s.where((eb) => {
      const parts = hosts.length ? [eb('host', 'in', hosts)] : [];
      if (q.includeConsole) parts.push(eb('host', 'is', null));
      else if (own) parts.push(ownSignIns(eb));
      return parts.length ? eb.or(parts) : never();
    });
  } else if (q.hosts === '*' && !q.includeConsole) s = s.where((eb) => (own ? eb.or([eb('host', 'is not', null), ownSignIns(eb)]) : eb('host', 'is not', null)));
  const rows = await s.orderBy('seq', 'desc').limit(Math.min(Math.max(q.limit ?? 200, 1), 5000)).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), commands: safeJson(r.commands, []), detail: safeJson(r.detail, {}) }));
}

function safeJson<T>(s: string, fallback: T): T {
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

/** Drop records older than `days`; the anchor moves to the first kept record, and the cut is recorded. */
export async function pruneAudit(days = Number(process.env.KSC_AUDIT_DAYS ?? 365), now = Date.now()): Promise<number> {
  const db = await database();
  const cutoff = nowIso(now - days * 86_400_000);
  const n = await db.transaction().execute(async (trx) => {
    await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 0) })).where('id', '=', 1).execute(); // take the lock
    const last = await trx.selectFrom('audit').select(['seq']).where('at', '<', cutoff).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (!last) return 0;
    const next = await trx.selectFrom('audit').select(['seq', 'prev_hash']).where('seq', '>', last.seq).orderBy('seq').limit(1).executeTakeFirst();
    const head = await trx.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    const cut = Number(last.seq) - Number(head.anchor_seq) + 1;
    await trx.deleteFrom('audit').where('seq', '<=', last.seq).execute();
    // With nothing kept, the next record (seq head+1) links to the head's hash.
    await trx.updateTable('audit_head').set({ anchor_seq: next ? Number(next.seq) : Number(head.seq) + 1, anchor_hash: next ? next.prev_hash : head.hash }).where('id', '=', 1).execute();
    return cut;
  });
  if (n) await appendAudit({ actorKind: 'system', actor: null, operation: 'audit.retention', result: 'ok', detail: { removed: n, olderThan: cutoff } });
  return n;
}
