'use client';

import { PathPolicyNote } from '@/components/hosts/path-policy-note';
import { useState } from 'react';
import { domainApi } from '@/lib/api/domains';
import type { DiskDetailDto } from '@/lib/schemas';
import { field } from '@/components/ui/dialog';
import { GuardedAction } from './guarded-action';

/** Insert an ISO into a CD-ROM drive, or eject it (`virsh change-media`). */
export function MediaDialog({ hostId, vm, disk, running, onClose }: { hostId: string; vm: string; disk: DiskDetailDto; running: boolean; onClose: () => void }) {
  const eject = Boolean(disk.source);
  const [path, setPath] = useState('');
  const [key, setKey] = useState(0);
  return (
    <GuardedAction
      key={key}
      hostId={hostId}
      title={eject ? `Eject ${disk.target} of ${vm}` : `Insert media into ${disk.target} of ${vm}`}
      open
      onClose={onClose}
      confirmName={null}
      actionLabel={eject ? 'Eject' : 'Insert'}
      run={({ dryRun }) => domainApi.media(hostId, vm, disk.target, { source: eject ? null : path || '/', live: running && disk.inLive, persistent: disk.inConfig, dryRun })}
    >
      {!eject && (
        <label className={field.label}>
          ISO path on the host
          <input className={field.input} value={path} onChange={(e) => setPath(e.target.value)} onBlur={() => setKey((k) => k + 1)} placeholder="/var/lib/libvirt/images/debian.iso" />
          <PathPolicyNote hostId={hostId} show="roots" />
        </label>
      )}
    </GuardedAction>
  );
}
