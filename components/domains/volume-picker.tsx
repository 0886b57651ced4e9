'use client';

import { useQueries } from '@tanstack/react-query';
import { useDeferredValue, useId, useMemo, useState } from 'react';
import { usePools } from '@/lib/api/pools';
import { volumesQuery } from '@/lib/api/volumes';
import { formatBytes } from '@/lib/format';
import { naturalCompare } from '@/lib/natural-sort';
import type { VolumeDto } from '@/lib/schemas';
import { field } from '@/components/ui/dialog';

const SHOWN = 60;

/**
 * Every volume of every running pool, searched by name, pool, path and format. Search-driven
 * rather than a long list: with thousands of volumes only the first matches are drawn, and the
 * count says how many more a sharper search would reveal. Arrow keys move through the matches.
 */
export function VolumePicker({ hostId, value, onChange }: { hostId: string; value: { pool: string; volume: string } | null; onChange: (v: VolumeDto) => void }) {
  const pools = usePools(hostId);
  const running = (pools.data ?? []).filter((p) => p.state === 'running');
  const lists = useQueries({ queries: running.map((p) => volumesQuery(hostId, p.name)) });
  const all = useMemo(() => lists.flatMap((q) => q.data ?? []), [lists]);
  const loading = pools.isPending || lists.some((q) => q.isPending);
  const [query, setQuery] = useState('');
  const q = useDeferredValue(query.trim().toLowerCase());
  const matches = useMemo(() => {
    const words = q.split(/\s+/).filter(Boolean);
    return all
      .filter((v) => {
        const hay = `${v.pool}/${v.name} ${v.path} ${v.format ?? ''}`.toLowerCase();
        return words.every((w) => hay.includes(w));
      })
      .sort((a, b) => naturalCompare(`${a.pool}/${a.name}`, `${b.pool}/${b.name}`));
  }, [all, q]);
  const [active, setActive] = useState(0);
  const listId = useId();
  const shown = matches.slice(0, SHOWN);
  const pick = (v: VolumeDto | undefined) => v && onChange(v);
  return (
    <div>
      <label className={field.label}>
        Search volumes ({loading ? 'loading…' : `${all.length} in ${running.length} running pools`})
        <input
          type="search"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={shown[active] ? `${listId}-${active}` : undefined}
          className={field.input}
          placeholder="name, pool, path or format — e.g. vm qcow2"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, shown.length - 1));
            else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
            else if (e.key === 'Enter') pick(shown[active]);
            else return;
            e.preventDefault();
          }}
        />
      </label>
      <ul id={listId} role="listbox" aria-label="Matching volumes" className="mt-1 max-h-56 overflow-auto rounded-md border border-zinc-200 text-sm dark:border-zinc-700">
        {shown.map((v, i) => {
          const selected = value?.pool === v.pool && value.volume === v.name;
          return (
            <li
              key={`${v.pool}/${v.name}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={selected}
              onClick={() => pick(v)}
              onMouseEnter={() => setActive(i)}
              className={`flex cursor-pointer items-center gap-2 px-2 py-1 ${i === active ? 'bg-sky-50 dark:bg-sky-950' : ''} ${selected ? 'font-semibold' : ''}`}
            >
              <span className="min-w-0 flex-1 truncate">
                <span className="text-zinc-500">{v.pool}/</span>
                {v.name}
              </span>
              <span className="text-xs text-zinc-500">{v.format ?? v.type}</span>
              <span className="w-20 text-right text-xs tabular-nums">{formatBytes(v.capacity)}</span>
              {v.usedBy.length > 0 && <span className="text-xs text-amber-700 dark:text-amber-400">used by {v.usedBy.join(', ')}</span>}
            </li>
          );
        })}
        {!loading && matches.length === 0 && <li className="px-2 py-1 text-zinc-500">No volume matches “{query}”.</li>}
      </ul>
      {matches.length > SHOWN && (
        <p className={field.hint}>
          Showing {SHOWN} of {matches.length} matches: type more to narrow them down.
        </p>
      )}
    </div>
  );
}
