'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { hostKeys } from '@/lib/api/keys';
import { useGateFor } from '@/lib/api/me';
import { deleteVolume, volumeOperation } from '@/lib/api/volume-ops';
import type { CheckResult } from '@/lib/schemas';
import { formCls as f } from './form-cls';

type Outcome = { name: string; ok: boolean; text: string };

/**
 * Actions on the selected volumes, one request per volume, each through the same guards as
 * alone: delete asks for "delete N volumes" typed, and every volume is still confirmed by name
 * on the server (so a volume in use or with overlays is refused and reported, not forced).
 */
export function BulkActions({ hostId, pool, names, onClear }: { hostId: string; pool: string; names: string[]; onClear: () => void }) {
  const qc = useQueryClient();
  const [mode, setMode] = useState<'delete' | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const gate = useGateFor(hostId);
  const check = gate('POST /api/hosts/[host]/pools/[pool]/volumes/[volume]/[op]', { op: 'check' });
  const del = gate('DELETE /api/hosts/[host]/pools/[pool]/volumes/[volume]');
  const phrase = `delete ${names.length} volume${names.length === 1 ? '' : 's'}`;

  async function each(fn: (n: string) => Promise<string>) {
    setBusy(true);
    const out: Outcome[] = [];
    for (const n of names) {
      try {
        out.push({ name: n, ok: true, text: await fn(n) });
      } catch (e) {
        out.push({ name: n, ok: false, text: (e as Error).message });
      }
      setOutcomes([...out]);
    }
    setBusy(false);
    void qc.invalidateQueries({ queryKey: hostKeys.detail(hostId) });
  }

  return (
    <div role="region" aria-label="Selected volumes" className="space-y-2 rounded-md border border-sky-200 bg-sky-50/60 p-2 text-sm dark:border-sky-900 dark:bg-sky-950/30">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{names.length} selected</span>
        {check.show && (
          <button type="button" className={f.button} disabled={busy || check.disabled} title={check.why ?? undefined} onClick={() => each(async (n) => ((await volumeOperation(hostId, pool, n, 'check', {})).result as CheckResult).verdict)}>
            Check selected
          </button>
        )}
        {del.show && (
          <button type="button" className={f.danger} disabled={busy || del.disabled} title={del.why ?? undefined} onClick={() => setMode('delete')}>
            Delete selected…
          </button>
        )}
        <button type="button" className={f.button} onClick={onClear}>
          Clear selection
        </button>
      </div>
      {mode === 'delete' && (
        <div className="flex flex-wrap items-end gap-2">
          <label className={f.label}>
            Type “{phrase}” to delete {names.join(', ')}
            <input className={f.input} value={typed} onChange={(e) => setTyped(e.target.value)} aria-label={`Type ${phrase} to confirm`} />
          </label>
          <button
            type="button"
            className={f.danger}
            disabled={busy || typed !== phrase}
            onClick={() => each(async (n) => (await deleteVolume(hostId, pool, n, { confirm: n }), 'deleted')).then(() => (setMode(null), setTyped('')))}
          >
            Delete {names.length}
          </button>
        </div>
      )}
      {outcomes.length > 0 && (
        <ul aria-label="Results" className="text-xs">
          {outcomes.map((o) => (
            <li key={o.name} className={o.ok ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-800 dark:text-red-300'}>
              {o.name}: {o.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
