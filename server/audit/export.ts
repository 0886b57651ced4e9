import 'server-only';
import type { AuditCommandDto, AuditRecordDto } from '@/lib/schemas/audit';
import type { AuditRecord } from './log';

/**
 * The audit log as the API, the CLI and the exports show it: camelCase records (`toAuditDto`),
 * and CSV (RFC 4180) for spreadsheets. The JSON export is the exact record; CSV is for people
 * reading a sheet, so it also defuses formulas (see `csvCell`).
 */
export function toAuditDto(r: AuditRecord): AuditRecordDto {
  return {
    seq: r.seq,
    at: r.at,
    actorKind: r.actor_kind,
    actor: r.actor,
    tokenId: r.token_id,
    sourceAddress: r.source_address,
    host: r.host,
    objectKind: r.object_kind,
    object: r.object,
    operation: r.operation,
    result: r.result,
    status: r.status == null ? null : Number(r.status),
    commands: Array.isArray(r.commands) ? (r.commands as AuditCommandDto[]) : [],
    detail: r.detail && typeof r.detail === 'object' && !Array.isArray(r.detail) ? r.detail : {},
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export const CSV_COLUMNS = [
  'seq',
  'at',
  'actor_kind',
  'actor',
  'token_id',
  'source_address',
  'host',
  'object_kind',
  'object',
  'operation',
  'result',
  'status',
  'commands',
  'detail',
  'prev_hash',
  'hash',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF (quotes doubled).
 * A text field that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first: a
 * volume may be named `=HYPERLINK(…)`) gets a leading `'` (OWASP "CSV injection"); numbers are
 * written as they are. The JSON export keeps every value untouched.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v == null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The commands of a record as lines a person reads: `1. [exit 0 · 12 ms] title: command` (stdin left to the JSON export). */
export function commandLines(cmds: readonly AuditCommandDto[]): string {
  return cmds
    .map((c, i) => `${i + 1}. [${c.exitCode === null ? 'no exit status' : `exit ${c.exitCode}`} · ${c.durationMs} ms] ${c.title ? `${c.title}: ` : ''}${c.command}`)
    .join('\n');
}

export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

/** One record as a CSV line (CRLF-terminated). */
export function csvRow(r: AuditRecordDto): string {
  const cells: Array<string | number | null> = [
    r.seq,
    r.at,
    r.actorKind,
    r.actor,
    r.tokenId,
    r.sourceAddress,
    r.host,
    r.objectKind,
    r.object,
    r.operation,
    r.result,
    r.status,
    commandLines(r.commands),
    Object.keys(r.detail).length ? JSON.stringify(r.detail) : '',
    r.prevHash,
    r.hash,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const toCsv = (records: readonly AuditRecordDto[]): string => csvHeader() + records.map(csvRow).join('');
