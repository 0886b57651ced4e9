'use client';

import Link from 'next/link';
import { Fragment, useId, useState } from 'react';
import { pageHrefs } from '@/lib/api/paths';
import type { AuditRecordDto } from '@/lib/schemas/audit';
import { Badge, type Tone } from '@/components/ui/badge';
import { btn } from '@/components/ui/styles';
import { tableCls as t } from '@/components/ui/table';
import { AuditCommands } from './audit-commands';

/**
 * Audit records as a dense table, newest first; each row opens to show who, from where, the
 * outcome and the exact commands in the order they ran. Shared by the Audit page and the History
 * tabs of pools, volumes and VMs (which leave out the host column).
 */
export function AuditRecords({ records, label, showHost = true }: { records: readonly AuditRecordDto[]; label: string; showHost?: boolean }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const base = useId();
  const toggle = (seq: number) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(seq)) n.delete(seq);
      else n.add(seq);
      return n;
    });
  const columns = 6 + (showHost ? 1 : 0);
  return (
    <div className={t.wrap}>
      <table className={t.table} aria-label={label}>
        <thead className={t.thead}>
          <tr>
            <th scope="col" className={`${t.th} w-8`}>
              <span className="sr-only">Details</span>
            </th>
            <th scope="col" className={t.th}>Time (UTC)</th>
            <th scope="col" className={t.th}>User</th>
            {showHost && <th scope="col" className={t.th}>Host</th>}
            <th scope="col" className={t.th}>Object</th>
            <th scope="col" className={t.th}>Operation</th>
            <th scope="col" className={t.th}>Result</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => {
            const isOpen = open.has(r.seq);
            const panel = `${base}-${r.seq}`;
            return (
              <Fragment key={r.seq}>
                <tr className={`${t.tr} ${isOpen ? 'bg-zinc-50 dark:bg-zinc-900/60' : ''}`}>
                  <td className={`${t.td} w-8`}>
                    <button
                      type="button"
                      aria-expanded={isOpen}
                      aria-controls={panel}
                      aria-label={`${isOpen ? 'Hide' : 'Show'} the commands of record ${r.seq}`}
                      onClick={() => toggle(r.seq)}
                      className="grid size-6 place-items-center rounded text-zinc-500 hover:bg-zinc-200 focus-visible:ring-2 focus-visible:ring-sky-600 focus-visible:outline-none dark:hover:bg-zinc-800"
                    >
                      <svg viewBox="0 0 16 16" className={`size-3 transition-transform ${isOpen ? 'rotate-90' : ''}`} aria-hidden="true">
                        <path d="M6 3l5 5-5 5" fill="none" stroke="currentColor" strokeWidth="2" />
                      </svg>
                    </button>
                  </td>
                  <td className={`${t.td} tabular-nums`} title={r.at}>
                    {r.at.slice(0, 19).replace('T', ' ')}
                  </td>
                  <td className={t.td}>
                    <Actor r={r} />
                  </td>
                  {showHost && <td className={t.td}>{r.host ?? <span className={t.muted}>console</span>}</td>}
                  <td className={`${t.td} max-w-44 truncate xl:max-w-xs`}>
                    <ObjectCell r={r} />
                  </td>
                  <th scope="row" className={`${t.td} max-w-44 truncate text-left font-mono text-xs font-normal xl:max-w-80`} title={r.operation}>
                    {r.operation}
                  </th>
                  <td className={t.td}>
                    <span className="flex items-center gap-2">
                      <Badge tone={resultTone(r.result)} title={r.status !== null ? `HTTP ${r.status}` : undefined}>
                        {r.result}
                      </Badge>
                      <span className={`${t.muted} hidden text-xs xl:inline`}>
                        {r.commands.length} {r.commands.length === 1 ? 'command' : 'commands'}
                      </span>
                    </span>
                  </td>
                </tr>
                {isOpen && (
                  <tr id={panel} className="border-b border-zinc-200 dark:border-zinc-800">
                    <td colSpan={columns} className="bg-zinc-50/60 px-3 py-3 dark:bg-zinc-900/40">
                      <RecordDetail r={r} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function resultTone(result: string): Tone {
  return result === 'ok' ? 'good' : result === 'failed' ? 'bad' : result === 'refused' ? 'warn' : 'neutral';
}

function Actor({ r }: { r: AuditRecordDto }) {
  if (r.actorKind === 'anonymous') return <span className={t.muted}>{r.actor ? `anonymous (as ${r.actor})` : 'anonymous'}</span>;
  return (
    <span className="inline-flex items-center gap-1.5">
      <span className="font-medium">{r.actor ?? r.actorKind}</span>
      {r.actorKind === 'token' && <Badge title={r.tokenId ? `API token ${r.tokenId}` : 'API token'}>token</Badge>}
      {r.actorKind === 'system' && <Badge>system</Badge>}
    </span>
  );
}

/** The object, linked to its page when it is one the console has (a deleted one answers "not found" there). */
function ObjectCell({ r }: { r: AuditRecordDto }) {
  if (!r.object) return <span className={t.muted}>—</span>;
  const href = objectHref(r);
  return (
    <span title={`${r.objectKind ?? 'object'} ${r.object}`}>
      {r.objectKind && <span className={`${t.muted} mr-1 hidden text-xs xl:inline`}>{r.objectKind}</span>}
      {href ? (
        <Link href={href} className={t.link}>
          {r.object}
        </Link>
      ) : (
        r.object
      )}
    </span>
  );
}

function objectHref(r: AuditRecordDto): string | null {
  if (!r.host || !r.object) return null;
  const [first = '', second] = r.object.split('/');
  switch (r.objectKind) {
    case 'pool':
      return pageHrefs.pool(r.host, r.object);
    case 'volume':
    case 'volume-snapshot':
      return second ? pageHrefs.volume(r.host, first, second) : null;
    case 'vm':
    case 'vm-disk':
    case 'vm-snapshot':
      return pageHrefs.vm(r.host, first);
    default:
      return null;
  }
}

function RecordDetail({ r }: { r: AuditRecordDto }) {
  const error = errorOf(r.detail);
  const rest = Object.fromEntries(Object.entries(r.detail).filter(([k]) => k !== 'error' && k !== 'reads'));
  const reads = typeof r.detail.reads === 'number' ? r.detail.reads : 0;
  return (
    <div className="space-y-3 text-sm">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-0.5 text-xs sm:grid-cols-[max-content_1fr_max-content_1fr]">
        <Term label="Record">
          {r.seq} · {r.at}
        </Term>
        <Term label="From">{r.sourceAddress ?? '—'}</Term>
        <Term label="Signed in as">
          {r.actorKind === 'token' ? `API token ${r.tokenId ?? ''} of ${r.actor ?? '?'}` : r.actorKind === 'user' ? `session of ${r.actor ?? '?'}` : r.actorKind}
        </Term>
        <Term label="Answer">{r.status === null ? '—' : `HTTP ${r.status}`}</Term>
        <Term label="Reads">{reads ? `${reads} read-only ${reads === 1 ? 'command' : 'commands'} (host state, image info, path checks), not listed` : 'none'}</Term>
        <Term label="Hash" mono>
          <span title={`previous: ${r.prevHash}`}>{r.hash.slice(0, 16)}…</span>
        </Term>
      </dl>
      {error && (
        <p className={`rounded border px-2 py-1 text-xs ${r.result === 'failed' ? 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200' : 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200'}`}>
          {error.code && <span className="mr-1 font-mono font-semibold">{error.code}</span>}
          {error.message}
        </p>
      )}
      <AuditCommands seq={r.seq} commands={r.commands} />
      {Object.keys(rest).length > 0 && (
        <details>
          <summary className={`${btn.ghost} inline-block cursor-pointer text-xs select-none`}>More detail (JSON)</summary>
          <pre className="mt-1 max-h-48 overflow-auto rounded border border-zinc-200 bg-white p-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950">{JSON.stringify(rest, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}

function Term({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <>
      <dt className="font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className={`min-w-0 break-words ${mono ? 'font-mono' : ''}`}>{children}</dd>
    </>
  );
}

function errorOf(detail: Record<string, unknown>): { code?: string; message: string } | null {
  const e = detail.error as { code?: unknown; message?: unknown } | undefined;
  if (!e || typeof e !== 'object' || typeof e.message !== 'string') return null;
  return { code: typeof e.code === 'string' ? e.code : undefined, message: e.message };
}
