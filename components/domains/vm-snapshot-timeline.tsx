'use client';

import { useState } from 'react';
import { domainApi } from '@/lib/api/domains';
import { useGateFor, type Gate } from '@/lib/api/me';
import type { DomainDetailDto, SnapshotDto } from '@/lib/schemas';
import { Badge } from '@/components/ui/badge';
import { CodePanel } from '@/components/ui/code-panel';
import { btn } from '@/components/ui/dialog';
import { GuardedAction } from './guarded-action';
import { SnapshotCreateDialog } from './snapshot-create-dialog';

const when = (sec: number) => new Date(sec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** Depth of each snapshot in the parent/child tree. */
function depths(list: SnapshotDto[]): Map<string, number> {
  const byName = new Map(list.map((s) => [s.name, s]));
  const out = new Map<string, number>();
  const depth = (s: SnapshotDto, seen = 0): number => {
    if (out.has(s.name)) return out.get(s.name)!;
    const p = s.parent ? byName.get(s.parent) : undefined;
    const d = p && seen < 200 ? depth(p, seen + 1) + 1 : 0;
    out.set(s.name, d);
    return d;
  };
  list.forEach((s) => depth(s));
  return out;
}

/**
 * Snapshots in creation order, indented by their place in the tree, with the VM's current
 * position ("you are here") right below the snapshot it runs on from.
 */
export function VmSnapshotTimeline({ hostId, dom }: { hostId: string; dom: DomainDetailDto }) {
  const vm = dom.domain.name;
  const list = dom.snapshots.snapshots;
  const d = depths(list);
  const [createOpen, setCreateOpen] = useState(false);
  const [revert, setRevert] = useState<SnapshotDto | null>(null);
  const [del, setDel] = useState<SnapshotDto | null>(null);
  const gate = useGateFor(hostId);
  const take = gate('POST /api/hosts/[host]/domains/[vm]/snapshots');
  const gates = { revert: gate('POST /api/hosts/[host]/domains/[vm]/snapshots/[name]/revert'), del: gate('DELETE /api/hosts/[host]/domains/[vm]/snapshots/[name]') };
  const imageOnly = dom.disks.flatMap((disk) => disk.chain.flatMap((img) => img.imageSnapshots.filter((n) => !list.some((s) => s.name === n)).map((n) => ({ disk: disk.target, image: img.path, name: n }))));
  return (
    <section aria-label="Snapshots">
      <div className="mb-2 flex items-center justify-between">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {list.length} libvirt {list.length === 1 ? 'snapshot' : 'snapshots'}, oldest first{dom.snapshots.current ? ` · current: ${dom.snapshots.current}` : ''}
        </p>
        {take.show && (
          <button type="button" className={btn.primary} onClick={() => setCreateOpen(true)} disabled={take.disabled} title={take.why ?? undefined}>
            Take snapshot…
          </button>
        )}
      </div>
      {list.length === 0 ? (
        <p className="rounded-md border border-dashed border-zinc-300 p-4 text-sm text-zinc-600 dark:border-zinc-700">No libvirt snapshots yet. The VM’s state now is the only one.</p>
      ) : (
        <ol aria-label="Snapshot timeline" className="space-y-1">
          {list.map((s) => (
            <SnapshotNode key={s.name} s={s} depth={d.get(s.name) ?? 0} gates={gates} onRevert={() => setRevert(s)} onDelete={() => setDel(s)} showHere={s.current} />
          ))}
        </ol>
      )}
      {!dom.snapshots.current && list.length > 0 && (
        <p className="mt-2 text-sm text-zinc-600">No current snapshot: the VM runs detached from the tree.</p>
      )}
      {imageOnly.length > 0 && (
        <div className="mt-4">
          <h3 className="text-sm font-semibold">qcow2 internal snapshots libvirt does not know</h3>
          <p className="text-xs text-zinc-500">Made with <code>qemu-img snapshot -c</code> on the image (see the volume page); libvirt cannot revert the VM to them.</p>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {imageOnly.map((x) => (
              <li key={`${x.image}:${x.name}`}>
                <strong>{x.name}</strong> in {x.image} ({x.disk})
              </li>
            ))}
          </ul>
        </div>
      )}
      {dom.snapshots.tree && (
        <details className="mt-4">
          <summary className="cursor-pointer text-xs font-medium text-zinc-600">virsh snapshot-list --tree</summary>
          <CodePanel title="snapshot-list --tree" code={dom.snapshots.tree} maxHeight="12rem" />
        </details>
      )}
      {createOpen && <SnapshotCreateDialog hostId={hostId} dom={dom} onClose={() => setCreateOpen(false)} />}
      {revert && (
        <GuardedAction
          hostId={hostId}
          title={`Revert ${vm} to ${revert.name}`}
          open
          onClose={() => setRevert(null)}
          confirmName={vm}
          actionLabel="Revert"
          run={({ dryRun, confirm }) => domainApi.snapshotRevert(hostId, vm, revert.name, { dryRun, confirm })}
        >
          <p>
            The VM goes back to <strong>{revert.name}</strong> ({when(revert.creationTime)}, {revert.state}). Other snapshots stay.
          </p>
        </GuardedAction>
      )}
      {del && (
        <GuardedAction
          hostId={hostId}
          title={`Delete snapshot ${del.name}`}
          open
          onClose={() => setDel(null)}
          confirmName={del.name}
          actionLabel="Delete snapshot"
          run={({ dryRun, confirm }) => domainApi.snapshotDelete(hostId, vm, del.name, { dryRun, confirm })}
        >
          <p>The VM’s current state is not touched.</p>
        </GuardedAction>
      )}
    </section>
  );
}

function SnapshotNode({ s, depth, gates, onRevert, onDelete, showHere }: { s: SnapshotDto; depth: number; gates: { revert: Gate; del: Gate }; onRevert: () => void; onDelete: () => void; showHere: boolean }) {
  const pad = { paddingLeft: `${depth * 1.5}rem` };
  return (
    <>
      <li aria-label={`Snapshot ${s.name}`} aria-current={s.current ? 'true' : undefined} style={pad}>
        <div className={`flex flex-wrap items-start gap-x-3 gap-y-1 rounded-md border px-3 py-2 ${s.current ? 'border-sky-400 bg-sky-50/60 dark:border-sky-700 dark:bg-sky-950/40' : 'border-zinc-200 dark:border-zinc-800'}`}>
          <span aria-hidden="true" className="mt-1 text-zinc-400">{depth > 0 ? '└' : '●'}</span>
          <div className="min-w-0 flex-1">
            <p className="flex flex-wrap items-center gap-2">
              <strong className="font-mono text-sm">{s.name}</strong>
              <time className="text-xs text-zinc-500 tabular-nums" dateTime={new Date(s.creationTime * 1000).toISOString()}>
                {when(s.creationTime)}
              </time>
              <Badge tone={s.location === 'external' ? 'info' : 'neutral'}>{s.location}</Badge>
              {s.memory !== 'no' ? <Badge tone="good">with memory</Badge> : s.state === 'disk-snapshot' ? <Badge tone="warn" title="Taken while running, without memory: crash-consistent">disk-only</Badge> : <Badge>disk state</Badge>}
              <span className="text-xs text-zinc-600 dark:text-zinc-400">VM was {s.state === 'disk-snapshot' ? 'running (disk-only)' : s.state}</span>
              {s.parent && <span className="text-xs text-zinc-500">after {s.parent}</span>}
            </p>
            {s.description && <p className="mt-0.5 text-sm text-zinc-700 dark:text-zinc-300">{s.description}</p>}
            {s.location === 'external' && (
              <p className="mt-0.5 text-xs text-zinc-500">
                Overlays: {s.disks.filter((x) => x.file).map((x) => `${x.name} → ${x.file}`).join(', ')}
              </p>
            )}
            {(!s.canRevert || !s.canDelete) && (
              <ul className="mt-1 space-y-0.5 text-xs text-amber-800 dark:text-amber-300">
                {!s.canRevert && <li>Revert: {s.revertBlocker}</li>}
                {!s.canDelete && <li>Delete: {s.deleteBlocker}</li>}
              </ul>
            )}
          </div>
          <span className="flex gap-1">
            {gates.revert.show && (
              <button type="button" className={btn.small} disabled={gates.revert.disabled || !s.canRevert} onClick={onRevert} aria-label={`Revert to ${s.name}`} title={gates.revert.why ?? s.revertBlocker ?? undefined}>
                Revert…
              </button>
            )}
            {gates.del.show && (
              <button type="button" className={btn.smallDanger} disabled={gates.del.disabled || !s.canDelete} onClick={onDelete} aria-label={`Delete ${s.name}`} title={gates.del.why ?? s.deleteBlocker ?? undefined}>
                Delete…
              </button>
            )}
          </span>
        </div>
      </li>
      {showHere && (
        <li aria-label="You are here" style={{ paddingLeft: `${(depth + 1) * 1.5}rem` }}>
          <p className="flex items-center gap-2 px-3 py-1 text-sm font-semibold text-sky-700 dark:text-sky-400">
            <span aria-hidden="true">▶</span> You are here <span className="font-normal text-zinc-500">(the VM’s current state, changed since {s.name})</span>
          </p>
        </li>
      )}
    </>
  );
}
