'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { pageHrefs } from '@/lib/api/paths';
import { formatBytes, formatCount, formatPercent } from '@/lib/format';
import type { VolumeDto } from '@/lib/schemas';
import { tableCls as t } from '@/components/ui/table';
import { replaceSearchParams } from '@/components/ui/url-state';
import { useGate } from '@/lib/api/me';
import { BulkActions } from './bulk-actions';
import { NewVolumeButton } from './new-volume-button';
import { RowMenu } from './row-menu';
import { UploadButton } from './transfer';
import { baseName, filterVolumes, haystack, parseSortKey, sortVolumes, type SortDir, type SortKey } from './volume-sort';

const ROW_H = 36;
const HEAD_H = 36;
// One template for the header and every row, so columns line up without a <table>.
const GRID = 'minmax(10rem,2.2fr) 6.25rem 5.25rem 8.5rem minmax(6rem,1.3fr) minmax(4.5rem,0.9fr) minmax(6rem,2fr) 2.25rem 2.25rem';
// Fits a 1024 px window beside the sidebar; narrower windows scroll the table sideways.
const MIN_W = '49rem';

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'format', label: 'Format' },
  { key: 'capacity', label: 'Capacity', numeric: true },
  { key: 'allocation', label: 'Allocation', numeric: true },
  { key: 'backing', label: 'Backing file' },
  { key: 'usedBy', label: 'Used by' },
  { key: 'path', label: 'Path' },
];

/**
 * A pool's volumes: sortable by any column, filtered by ?q=, virtualized so 10,000 rows cost
 * what 30 do. ARIA table semantics (aria-rowcount/aria-rowindex) tell assistive technology
 * how many rows exist beyond the ones drawn; arrow keys, PageUp/PageDown, Home/End move
 * between rows (focus sits on each row's name link).
 */
export function VolumeTable({ hostId, pool, volumes }: { hostId: string; pool: string; volumes: VolumeDto[] }) {
  const search = useSearchParams();
  const [query, setQuery] = useState(() => search.get('q') ?? '');
  const sortKey = parseSortKey(search.get('sort'));
  const sortDir: SortDir = search.get('dir') === 'desc' ? 'desc' : 'asc';
  const deferredQuery = useDeferredValue(query);
  const filterId = useId();
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  // Selecting is for the bulk actions (check, delete): a caller who may run none sees no checkboxes.
  const selectable = useGate(hostId, 'POST /api/hosts/[host]/pools/[pool]/volumes/[volume]/[op]', { op: 'check' }).show;
  const toggle = (name: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  const summaryId = useId();

  const sorted = useMemo(() => sortVolumes(volumes, sortKey, sortDir), [volumes, sortKey, sortDir]);
  const haystacks = useMemo(() => sorted.map(haystack), [sorted]);
  const rows = useMemo(() => filterVolumes(sorted, haystacks, deferredQuery), [sorted, haystacks, deferredQuery]);
  const totals = useMemo(
    () => rows.reduce((s, v) => ({ capacity: s.capacity + v.capacity, allocation: s.allocation + v.allocation }), { capacity: 0, allocation: 0 }),
    [rows],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  // The React Compiler is not enabled; the hook re-renders on scroll, which is what we want.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 10,
    scrollMargin: HEAD_H,
    scrollPaddingStart: HEAD_H,
    // Rendered on the server too, so the first paint already shows the top of the table.
    initialRect: { width: 1200, height: 720 },
    useFlushSync: false,
  });

  // A new order or filter starts at the top: staying at row 9,000 of a different list is noise.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [sortKey, sortDir, deferredQuery]);

  function onQuery(value: string) {
    setQuery(value);
    replaceSearchParams({ q: value });
  }

  function onSort(key: SortKey) {
    const dir: SortDir = key === sortKey && sortDir === 'asc' ? 'desc' : 'asc';
    replaceSearchParams({ sort: key === 'name' && dir === 'asc' ? null : key, dir: dir === 'asc' ? null : dir });
  }

  function focusRow(index: number, tries = 6) {
    virtualizer.scrollToIndex(index, { align: 'auto' });
    requestAnimationFrame(() => {
      const link = scrollRef.current?.querySelector<HTMLAnchorElement>(`[data-index="${index}"] a`);
      if (link) link.focus({ preventScroll: true });
      else if (tries > 0) focusRow(index, tries - 1);
    });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!row) return;
    const i = Number(row.dataset.index);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 360) / ROW_H) - 1);
    const next =
      e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'PageDown' ? i + page : e.key === 'PageUp' ? i - page : e.key === 'Home' ? 0 : e.key === 'End' ? rows.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    focusRow(Math.min(rows.length - 1, Math.max(0, next)));
  }

  const items = virtualizer.getVirtualItems();
  const filtered = rows.length !== volumes.length;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          <label htmlFor={filterId} className="text-sm font-medium">
            Filter volumes
          </label>
          <input
            id={filterId}
            type="search"
            value={query}
            onChange={(e) => onQuery(e.target.value)}
            placeholder="name, path, backing file, VM…"
            aria-describedby={summaryId}
            className="h-8 w-72 rounded border border-zinc-300 bg-white px-2 text-sm placeholder:text-zinc-400 dark:border-zinc-600 dark:bg-zinc-900"
          />
        </div>
        <span className="flex items-center gap-2">
          <NewVolumeButton hostId={hostId} pool={pool} />
          <UploadButton hostId={hostId} pool={pool} />
        </span>
        <p id={summaryId} aria-live="polite" className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
          {filtered ? `${formatCount(rows.length)} of ${formatCount(volumes.length)} volumes match` : `${formatCount(volumes.length)} volumes`}
          {' · '}
          {formatBytes(totals.capacity)} capacity · {formatBytes(totals.allocation)} allocated
        </p>
      </div>

      {selectable && selected.size > 0 && (
        <BulkActions hostId={hostId} pool={pool} names={volumes.filter((v) => selected.has(v.name)).map((v) => v.name)} onClear={() => setSelected(new Set())} />
      )}
      <div
        ref={scrollRef}
        role="table"
        aria-label={`Volumes in pool ${pool}`}
        aria-rowcount={rows.length + 1}
        className={`${t.wrap} max-h-[calc(100vh-15rem)] min-h-[7.5rem]`}
      >
        <div role="rowgroup" className={`${t.thead} sticky top-0`} style={{ minWidth: MIN_W }}>
          <div role="row" aria-rowindex={1} className="grid" style={{ gridTemplateColumns: GRID, height: HEAD_H }}>
            {COLUMNS.map((c) => {
              const active = c.key === sortKey;
              return (
                <div
                  key={c.key}
                  role="columnheader"
                  aria-sort={active ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  className={`${c.numeric ? t.thNum : t.th} flex items-center ${c.numeric ? 'justify-end' : ''}`}
                >
                  <button
                    type="button"
                    onClick={() => onSort(c.key)}
                    className={`-mx-1 flex items-center gap-1 rounded px-1 hover:text-zinc-900 dark:hover:text-zinc-100 ${active ? 'text-zinc-900 dark:text-zinc-100' : ''}`}
                  >
                    {c.label}
                    <span aria-hidden="true" className={`text-[0.625rem] ${active ? '' : 'opacity-0'}`}>
                      {active && sortDir === 'desc' ? '▼' : '▲'}
                    </span>
                  </button>
                </div>
              );
            })}
            <div role="columnheader" className={`${t.th} flex items-center justify-center`}>
              <span className="sr-only">Actions</span>
            </div>
            <div role="columnheader" className={`${t.th} flex items-center justify-center`}>
              {selectable && (
                <input
                  type="checkbox"
                  aria-label="Select all shown volumes"
                  checked={rows.length > 0 && rows.every((v) => selected.has(v.name))}
                  onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((v) => v.name)) : new Set())}
                />
              )}
            </div>
          </div>
        </div>

        <div role="rowgroup" onKeyDown={onKeyDown} className="relative" style={{ height: virtualizer.getTotalSize(), minWidth: MIN_W }}>
          {items.map((item) => {
            const v = rows[item.index]!;
            return (
              <div
                key={v.name}
                role="row"
                aria-rowindex={item.index + 2}
                data-index={item.index}
                className="absolute top-0 left-0 grid w-full items-center border-b border-zinc-100 text-sm hover:bg-zinc-50 dark:border-zinc-800/70 dark:hover:bg-zinc-900/60"
                style={{ gridTemplateColumns: GRID, height: ROW_H, transform: `translateY(${item.start - HEAD_H}px)` }}
              >
                <VolumeCells hostId={hostId} pool={pool} v={v} />
                <div role="cell" className="flex items-center justify-center">
                  <RowMenu hostId={hostId} pool={pool} v={v} />
                </div>
                <div role="cell" className="flex items-center justify-center">
                  {selectable && <input type="checkbox" aria-label={`Select ${v.name}`} checked={selected.has(v.name)} onChange={() => toggle(v.name)} />}
                </div>
              </div>
            );
          })}
        </div>
        {rows.length === 0 && (
          <p className="px-3 py-3 text-sm text-zinc-600 dark:text-zinc-400" style={{ minWidth: MIN_W }}>
            No volume matches “{deferredQuery}”.{' '}
            <button type="button" onClick={() => onQuery('')} className="font-medium text-sky-700 underline dark:text-sky-400">
              Clear the filter
            </button>
          </p>
        )}
      </div>
    </div>
  );
}

const cell = 'min-w-0 truncate px-2.5';

function VolumeCells({ hostId, pool, v }: { hostId: string; pool: string; v: VolumeDto }) {
  return (
    <>
      <div role="cell" className={cell}>
        <Link href={pageHrefs.volume(hostId, pool, v.name)} className={t.link} title={v.name}>
          {v.name}
        </Link>
      </div>
      <div role="cell" className="flex min-w-0 items-center gap-1 px-2.5" title={v.encryption ? `${v.format ?? ''}, ${v.encryption.toUpperCase()}-encrypted` : undefined}>
        <span className="truncate">{v.format ?? <span className={t.muted}>—</span>}</span>
        {v.encryption && (
          <span className="shrink-0 rounded bg-amber-100 px-1 text-[0.625rem] font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-200">{v.encryption.toUpperCase()}</span>
        )}
      </div>
      <div role="cell" className={`${cell} text-right tabular-nums`}>
        {formatBytes(v.capacity)}
      </div>
      <div role="cell" className={`${cell} text-right tabular-nums`}>
        {formatBytes(v.allocation)} <span className="text-xs text-zinc-500 dark:text-zinc-400">({formatPercent(v.allocation, v.capacity)})</span>
      </div>
      <div role="cell" className={cell} title={v.backingStore ? `${v.backingStore.path}${v.backingStore.format ? ` (${v.backingStore.format})` : ''}` : undefined}>
        {v.backingStore ? baseName(v.backingStore.path) : <span className={t.muted}>—</span>}
      </div>
      <div role="cell" className={cell}>
        {v.usedBy.length === 0 ? (
          <span className={t.muted}>—</span>
        ) : (
          v.usedBy.map((vm, i) => (
            <span key={vm}>
              {i > 0 && ', '}
              <Link href={pageHrefs.vm(hostId, vm)} className="hover:underline" tabIndex={-1}>
                {vm}
              </Link>
            </span>
          ))
        )}
      </div>
      <div role="cell" className={`${cell} font-mono text-xs text-zinc-600 dark:text-zinc-400`} title={v.path}>
        {v.path}
      </div>
    </>
  );
}
