import 'server-only';
import { AuditResult, type AuditPageDto, type AuditRecordDto } from '@/lib/schemas/audit';
import { currentContext } from '../auth/context';
import { visibleHostIds } from '../auth/visible';
import type { Principal } from '../auth/principal';
import { AppError } from '../errors';
import { csvHeader, csvRow, toAuditDto } from './export';
import { queryAudit, verifyAudit, type AuditQuery, type VerifyResult } from './log';

/**
 * The reading side of the audit log (GET /api/audit, /api/audit/verify, the CLI): filters parsed
 * from a query string, what the caller may see, pages newest first, and streamed CSV/JSON exports.
 *
 * Who sees what: records of the hosts the caller's grants cover (server/auth/visible.ts);
 * console-wide records (host null: sign-ins, users, tokens, grants, retention) only with a grant
 * on every host — except the caller's own sign-ins and sign-outs, which everyone sees.
 */
export type AuditScope = Pick<AuditQuery, 'hosts' | 'includeConsole' | 'ownSignIns'>;

export function auditScope(allHostIds: readonly string[], p: Principal | null | undefined = currentContext()?.principal): AuditScope {
  const hosts = visibleHostIds(allHostIds, p);
  if (hosts === '*') return { hosts: '*', includeConsole: true };
  return { hosts, includeConsole: false, ...(p ? { ownSignIns: p.username } : {}) };
}

const invalid = (message: string, param: string) => new AppError('invalid-input', message, { status: 422, detail: [{ path: param, message }] });

/**
 * A time filter as ISO-8601 UTC. A bare date (or minute) as `until` means the end of that day (minute); a
 * date and time without a zone is read as UTC (like the times the log shows), not the server's local time.
 */
function timeParam(v: string, name: 'since' | 'until'): string {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(v)
    ? `${v}T${name === 'until' ? '23:59:59.999' : '00:00:00.000'}Z`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) && name === 'until'
      ? `${v}:59.999Z` // to the minute (the page's time fields): that whole minute
      : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)
        ? `${v}Z`
        : v;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw invalid(`${name} is not a date or time (use ISO 8601, e.g. 2026-11-30T18:00:00Z)`, name);
  return new Date(t).toISOString();
}

function intParam(v: string | null, name: string, min: number, max: number): number | undefined {
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw invalid(`${name} must be a whole number`, name);
  return Math.min(Math.max(Number(v), min), max);
}

export const PAGE_DEFAULT = 200;
export const PAGE_MAX = 1000;
export const EXPORT_DEFAULT = 10_000;
export const EXPORT_MAX = 100_000;

export interface AuditRequest {
  filters: Omit<AuditQuery, 'hosts' | 'includeConsole' | 'ownSignIns' | 'limit' | 'beforeSeq'>;
  format: 'page' | 'csv' | 'json';
  limit: number;
  before?: number;
}

/** `?host=&user=&object=&kind=&op=&result=&since=&until=&format=&limit=&before=` → a checked request (422 on a bad value). */
export function parseAuditParams(q: URLSearchParams): AuditRequest {
  const get = (k: string) => {
    const v = q.get(k);
    return v === null || v.trim() === '' ? undefined : v.trim();
  };
  const result = get('result');
  if (result !== undefined && !AuditResult.safeParse(result).success) throw invalid('result must be ok, failed or refused', 'result');
  const format = get('format') ?? 'page';
  if (format !== 'page' && format !== 'csv' && format !== 'json') throw invalid('format must be csv or json', 'format');
  const since = get('since');
  const until = get('until');
  const kind = get('kind');
  const filters: AuditRequest['filters'] = {
    ...(get('host') ? { host: get('host') } : {}),
    ...(get('user') ? { user: get('user') } : {}),
    ...(get('object') ? { object: get('object') } : {}),
    ...(kind ? { objectKind: kind.split(',').map((k) => k.trim()).filter(Boolean) } : {}),
    ...(get('op') ? { op: get('op') } : {}),
    ...(result ? { result } : {}),
    ...(since ? { since: timeParam(since, 'since') } : {}),
    ...(until ? { until: timeParam(until, 'until') } : {}),
  };
  const exporting = format !== 'page';
  const limit = intParam(q.get('limit'), 'limit', 1, exporting ? EXPORT_MAX : PAGE_MAX) ?? (exporting ? EXPORT_DEFAULT : PAGE_DEFAULT);
  const before = intParam(q.get('before'), 'before', 1, Number.MAX_SAFE_INTEGER);
  return { filters, format, limit, ...(before ? { before } : {}) };
}

/** One page, newest first; `nextBefore` is set when older matching records may exist. */
export async function auditPage(req: AuditRequest, scope: AuditScope): Promise<AuditPageDto> {
  const rows = await queryAudit({ ...req.filters, ...scope, limit: req.limit, beforeSeq: req.before });
  const records = rows.map(toAuditDto);
  return { records, nextBefore: records.length === req.limit ? records[records.length - 1]!.seq : null };
}

/**
 * Every matching record (at most `limit`), newest first, read a page at a time while the client
 * downloads: the export never holds the whole log in memory.
 */
export async function* auditRecords(req: AuditRequest, scope: AuditScope, pageSize = 1000): AsyncGenerator<AuditRecordDto> {
  let left = req.limit;
  let before = req.before;
  while (left > 0) {
    const rows = await queryAudit({ ...req.filters, ...scope, limit: Math.min(pageSize, left), beforeSeq: before });
    for (const r of rows) yield toAuditDto(r);
    if (rows.length < Math.min(pageSize, left)) return;
    left -= rows.length;
    before = rows[rows.length - 1]!.seq;
  }
}

/** The export as a download: CSV (RFC 4180, CRLF) or a JSON array, `content-disposition: attachment`. */
export function auditExportResponse(req: AuditRequest, scope: AuditScope, now = new Date()): Response {
  const csv = req.format === 'csv';
  const enc = new TextEncoder();
  const records = auditRecords(req, scope);
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(enc.encode(csv ? csvHeader() : '['));
    },
    async pull(controller) {
      const next = await records.next();
      if (next.done) {
        if (!csv) controller.enqueue(enc.encode(first ? ']\n' : '\n]\n'));
        controller.close();
        return;
      }
      controller.enqueue(enc.encode(csv ? csvRow(next.value) : `${first ? '\n' : ',\n'}${JSON.stringify(next.value)}`));
      first = false;
    },
    async cancel() {
      await records.return(undefined);
    },
  });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return new Response(stream, {
    headers: {
      'content-type': csv ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="ksc-audit-${stamp}.${csv ? 'csv' : 'json'}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

let verifying: Promise<VerifyResult> | null = null;

/** verifyAudit, shared by callers that ask while a walk is running (a page load per viewer must not start one walk each). */
export function verifyAuditShared(): Promise<VerifyResult> {
  verifying ??= verifyAudit().finally(() => {
    verifying = null;
  });
  return verifying;
}
