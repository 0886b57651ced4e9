'use client';

import { useSearchParams } from 'next/navigation';
import { useId, useState } from 'react';
import { AUDIT_FILTERS, type AuditFilter, type AuditFilters } from '@/lib/schemas/audit';
import { fieldCls } from '@/components/ui/styles';
import { replaceSearchParams } from '@/components/ui/url-state';

/** The Audit page's filters, kept in the URL (shareable, survive a reload); the form edits a draft that writes through. */
export function useAuditFilterState(): [AuditFilters, (patch: AuditFilters) => void, () => void] {
  const search = useSearchParams();
  const [draft, setDraft] = useState<AuditFilters>(() => {
    const f: AuditFilters = {};
    for (const k of AUDIT_FILTERS) {
      const v = search.get(k);
      if (v) f[k] = v;
    }
    return f;
  });
  const update = (patch: AuditFilters) => {
    setDraft((d) => ({ ...d, ...patch }));
    replaceSearchParams(patch);
  };
  const clear = () => {
    setDraft({});
    replaceSearchParams(Object.fromEntries(AUDIT_FILTERS.map((k) => [k, null])));
  };
  return [draft, update, clear];
}

const RESULTS = [
  { value: '', label: 'Any result' },
  { value: 'ok', label: 'ok' },
  { value: 'failed', label: 'failed' },
  { value: 'refused', label: 'refused' },
];

/** Host, user, object, operation, result and a time window (UTC), as one compact row. */
export function AuditFilterBar({ filters, onChange, onClear, hosts }: { filters: AuditFilters; onChange: (p: AuditFilters) => void; onClear: () => void; hosts: readonly string[] }) {
  const any = AUDIT_FILTERS.some((k) => filters[k]);
  return (
    <form role="search" aria-label="Filter the audit log" className="grid grid-cols-2 items-end gap-2 md:grid-cols-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_minmax(0,1.6fr)_minmax(0,1fr)_8rem_repeat(2,11.5rem)_auto]" onSubmit={(e) => e.preventDefault()}>
      <Labelled label="Host">
        {(id) => (
          <select id={id} value={filters.host ?? ''} onChange={(e) => onChange({ host: e.target.value })} className={fieldCls.input}>
            <option value="">All hosts</option>
            {hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
            {filters.host && !hosts.includes(filters.host) && <option value={filters.host}>{filters.host}</option>}
          </select>
        )}
      </Labelled>
      <Text name="user" label="User" placeholder="alice" filters={filters} onChange={onChange} />
      <Text name="object" label="Object" placeholder="pool, pool/volume, vm" filters={filters} onChange={onChange} mono />
      <Text name="op" label="Operation" placeholder="resize, DELETE, auth.login" filters={filters} onChange={onChange} mono />
      <Labelled label="Result">
        {(id) => (
          <select id={id} value={filters.result ?? ''} onChange={(e) => onChange({ result: e.target.value })} className={fieldCls.input}>
            {RESULTS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Labelled>
      <Time name="since" label="From (UTC)" filters={filters} onChange={onChange} />
      <Time name="until" label="To (UTC)" filters={filters} onChange={onChange} />
      <button type="button" onClick={onClear} disabled={!any} className="h-[1.875rem] rounded px-2 text-sm font-medium text-sky-700 hover:underline disabled:cursor-default disabled:text-zinc-400 disabled:no-underline dark:text-sky-400">
        Clear
      </button>
      {filters.kind && (
        <p className="col-span-full text-xs text-zinc-600 dark:text-zinc-400">
          Object kinds: <span className="font-mono">{filters.kind.split(',').join(', ')}</span>{' '}
          <button type="button" className="font-medium text-sky-700 hover:underline dark:text-sky-400" onClick={() => onChange({ kind: '' })}>
            any kind
          </button>
        </p>
      )}
    </form>
  );
}

function Labelled({ label, children }: { label: string; children: (id: string) => React.ReactNode }) {
  const id = useId();
  return (
    <div className="min-w-0">
      <label htmlFor={id} className={fieldCls.label}>
        {label}
      </label>
      <div className="mt-0.5">{children(id)}</div>
    </div>
  );
}

function Text({ name, label, placeholder, filters, onChange, mono }: { name: AuditFilter; label: string; placeholder: string; filters: AuditFilters; onChange: (p: AuditFilters) => void; mono?: boolean }) {
  return (
    <Labelled label={label}>
      {(id) => (
        <input
          id={id}
          type="search"
          value={filters[name] ?? ''}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => onChange({ [name]: e.target.value })}
          className={`${fieldCls.input} ${mono ? 'font-mono' : ''}`}
        />
      )}
    </Labelled>
  );
}

/** A UTC time to the minute; the URL holds the same `YYYY-MM-DDTHH:MM` the API reads as UTC. */
function Time({ name, label, filters, onChange }: { name: 'since' | 'until'; label: string; filters: AuditFilters; onChange: (p: AuditFilters) => void }) {
  return (
    <Labelled label={label}>
      {(id) => <input id={id} type="datetime-local" value={(filters[name] ?? '').slice(0, 16)} onChange={(e) => onChange({ [name]: e.target.value })} className={`${fieldCls.input} tabular-nums`} />}
    </Labelled>
  );
}
