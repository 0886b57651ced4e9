'use client';

import { useId } from 'react';
import { useHosts } from '@/lib/api/hosts';
import type { HostScope } from '@/lib/auth/roles';
import { fieldCls } from '@/components/ui/styles';

/** A grant's hosts: every host (`*`, also the ones added to the inventory later), or some inventory hosts. */
export function HostScopePicker({ value, onChange }: { value: HostScope; onChange: (v: HostScope) => void }) {
  const hosts = useHosts();
  const id = useId();
  const all = value === '*';
  const picked = all ? [] : value;
  const toggle = (h: string) => onChange(picked.includes(h) ? picked.filter((x) => x !== h) : [...picked, h]);
  return (
    <fieldset aria-labelledby={id} className="min-w-0">
      <legend id={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        Hosts
      </legend>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <label className="flex items-center gap-1.5">
          <input type="checkbox" className="size-4 accent-sky-700" checked={all} onChange={(e) => onChange(e.target.checked ? '*' : [])} />
          Every host
        </label>
        {!all &&
          (hosts.data ?? []).map((h) => (
            <label key={h.id} className="flex items-center gap-1.5">
              <input type="checkbox" className="size-4 accent-sky-700" checked={picked.includes(h.id)} onChange={() => toggle(h.id)} />
              <span className="font-mono text-xs">{h.id}</span>
            </label>
          ))}
      </div>
      <p className={`mt-1 ${fieldCls.hint}`}>{all ? 'Also hosts added to the inventory later.' : picked.length ? `${picked.length} picked` : 'Pick at least one.'}</p>
    </fieldset>
  );
}

export const scopeText = (h: HostScope) => (h === '*' ? 'every host' : h.join(', '));
