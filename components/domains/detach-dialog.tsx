'use client';

import { useState } from 'react';
import { domainApi } from '@/lib/api/domains';
import { useGate } from '@/lib/api/me';
import type { DiskDetailDto, DomainDetailDto } from '@/lib/schemas';
import { field } from '@/components/ui/dialog';
import { GuardedAction } from './guarded-action';

/** Detach a disk live and/or persistently, optionally deleting its volume (guarded by its name). */
export function DetachDialog({ hostId, dom, disk, onClose }: { hostId: string; dom: DomainDetailDto; disk: DiskDetailDto; onClose: () => void }) {
  const vm = dom.domain.name;
  const [live, setLive] = useState(disk.inLive);
  const [persistent, setPersistent] = useState(disk.inConfig);
  const [deleteVolume, setDeleteVolume] = useState(false);
  const [key, setKey] = useState(0);
  // Deleting the volume is guarded (its name typed): an admin's; an operator detaches only.
  const del = useGate(hostId, 'DELETE /api/hosts/[host]/pools/[pool]/volumes/[volume]');
  const opts = { live, persistent, deleteVolume };
  const Options = (
    <fieldset className="space-y-1 rounded-md border border-zinc-200 p-2 dark:border-zinc-700">
      <legend className={`${field.label} px-1`}>Detach {disk.target} ({disk.source ?? 'no media'})</legend>
      <label className="flex items-start gap-2">
        <input type="checkbox" className="mt-1" checked={live} disabled={!disk.inLive} onChange={(e) => (setLive(e.target.checked), setKey((k) => k + 1))} />
        <span>
          <strong>Live</strong> — unplug it from the running VM. The guest must release it; the console waits and tells you if it does not.
          {!disk.inLive && <span className="block text-xs text-zinc-500">Not in the running VM.</span>}
        </span>
      </label>
      <label className="flex items-start gap-2">
        <input type="checkbox" className="mt-1" checked={persistent} disabled={!disk.inConfig} onChange={(e) => (setPersistent(e.target.checked), setKey((k) => k + 1))} />
        <span>
          <strong>Persistent</strong> — remove it from the configuration, so it is gone at the next start.
          {!disk.inConfig && <span className="block text-xs text-zinc-500">Not in the persistent configuration.</span>}
        </span>
      </label>
      {disk.volumeName && del.show && (
        <label className={`flex items-start gap-2 ${del.disabled ? 'text-zinc-400' : 'text-red-800 dark:text-red-300'}`} title={del.why ?? undefined}>
          <input type="checkbox" className="mt-1" checked={deleteVolume} disabled={del.disabled} onChange={(e) => (setDeleteVolume(e.target.checked), setKey((k) => k + 1))} />
          <span>
            Also <strong>delete the volume</strong> {disk.volumePool}/{disk.volumeName} (refused if another VM uses it or other images are built on it)
            {del.why && <span className="block text-xs">{del.why}</span>}
          </span>
        </label>
      )}
    </fieldset>
  );
  return (
    <GuardedAction
      key={key}
      hostId={hostId}
      title={`Detach ${disk.target} from ${vm}`}
      open
      onClose={onClose}
      confirmName={deleteVolume ? disk.volumeName : null}
      actionLabel="Detach"
      run={({ dryRun, confirm }) => domainApi.detach(hostId, vm, disk.target, { ...opts, dryRun, confirm })}
    >
      {Options}
    </GuardedAction>
  );
}
