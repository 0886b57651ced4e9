'use client';

import { useState } from 'react';
import { useGateFor } from '@/lib/api/me';
import { applySnapshot, createSnapshot, deleteSnapshot, useSnapshots } from '@/lib/api/volume-ops';
import { formatBytes } from '@/lib/format';
import type { VolumeDto } from '@/lib/schemas';

const V = '/api/hosts/[host]/pools/[pool]/volumes/[volume]';
import { ErrorPanel } from '@/components/ui/error-panel';
import { formCls as f } from './form-cls';
import { OperationRunner } from './operation-runner';

/**
 * qcow2 internal snapshots as a timeline, oldest at the top; create, revert to (apply) and
 * delete — each previewed, revert and delete with the name typed. The server refuses all
 * changes while a running VM holds the image.
 */
export function Qcow2SnapshotTimeline({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const q = useSnapshots(hostId, v.pool, v.name, v.format === 'qcow2');
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<{ snap: string; action: 'apply' | 'delete' } | null>(null);
  const gate = useGateFor(hostId);
  const create = gate(`POST ${V}/snapshots`);
  const apply = gate(`POST ${V}/snapshots/[snapshot]/apply`);
  const remove = gate(`DELETE ${V}/snapshots/[snapshot]`);
  if (v.format !== 'qcow2') return <p className="text-sm text-zinc-600 dark:text-zinc-400">Only qcow2 images hold internal snapshots.</p>;
  if (q.error) return <ErrorPanel title="Could not list the snapshots" error={q.error} />;
  const snaps = q.data?.snapshots ?? [];
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div>
        {snaps.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{q.data ? 'No internal snapshots yet.' : 'Reading snapshots…'}</p>
        ) : (
          <ol aria-label="Snapshot timeline" className="relative border-l-2 border-zinc-200 pl-4 dark:border-zinc-700">
            {snaps.map((s) => (
              <li key={s.id} className="relative mb-3">
                <span aria-hidden="true" className="absolute top-1.5 -left-[1.4rem] size-2.5 rounded-full bg-sky-600 ring-2 ring-white dark:ring-zinc-950" />
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="text-sm font-medium">{s.name}</p>
                  <time className="text-xs text-zinc-500 tabular-nums" dateTime={s.date}>
                    {s.date.slice(0, 19).replace('T', ' ')} UTC
                  </time>
                </div>
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  id {s.id} · VM state {formatBytes(s.vmStateSize)} · guest clock {s.vmClock}
                </p>
                <div className="mt-1 flex gap-2">
                  {apply.show && (
                    <button type="button" className="text-xs font-medium text-sky-700 hover:underline disabled:cursor-not-allowed disabled:text-zinc-400 disabled:no-underline dark:text-sky-400" onClick={() => setSelected({ snap: s.name, action: 'apply' })} disabled={apply.disabled} title={apply.why ?? undefined} aria-label={`Revert to ${s.name}`}>
                      Revert to this
                    </button>
                  )}
                  {remove.show && (
                    <button type="button" className="text-xs font-medium text-red-700 hover:underline disabled:cursor-not-allowed disabled:text-zinc-400 disabled:no-underline dark:text-red-400" onClick={() => setSelected({ snap: s.name, action: 'delete' })} disabled={remove.disabled} title={remove.why ?? undefined} aria-label={`Delete snapshot ${s.name}`}>
                      Delete
                    </button>
                  )}
                </div>
              </li>
            ))}
            <li className="relative text-xs text-zinc-500">
              <span aria-hidden="true" className="absolute top-1 -left-[1.4rem] size-2.5 rounded-full bg-emerald-600 ring-2 ring-white dark:ring-zinc-950" />
              now (current state)
            </li>
          </ol>
        )}
      </div>
      <div className="space-y-4">
        {selected ? (
          <section aria-label={`${selected.action === 'apply' ? 'Revert to' : 'Delete'} ${selected.snap}`} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
            <h3 className="mb-2 text-sm font-semibold">
              {selected.action === 'apply' ? `Revert ${v.name} to “${selected.snap}”` : `Delete snapshot “${selected.snap}”`}
            </h3>
            <OperationRunner
              key={`${selected.snap}-${selected.action}`}
              hostId={hostId}
              label={selected.action === 'apply' ? 'Revert' : 'Delete snapshot'}
              danger
              body={() => ({})}
              call={(b) => (selected.action === 'apply' ? applySnapshot : deleteSnapshot)(hostId, v.pool, v.name, selected.snap, b)}
              onDone={() => void q.refetch()}
            />
            <button type="button" className={`${f.button} mt-2`} onClick={() => setSelected(null)}>
              Close
            </button>
          </section>
        ) : !create.show ? null : (
          <section aria-label="New snapshot" className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
            <h3 className="mb-2 text-sm font-semibold">New internal snapshot</h3>
            <OperationRunner hostId={hostId} label="Create snapshot" body={() => (name ? { name } : 'Name the snapshot')} call={(b) => createSnapshot(hostId, v.pool, v.name, b)} onDone={() => void q.refetch()}>
              <label className={f.label}>
                Snapshot name
                <input className={f.input} value={name} onChange={(e) => setName(e.target.value)} aria-label="Snapshot name" />
              </label>
            </OperationRunner>
          </section>
        )}
      </div>
    </div>
  );
}
