'use client';

import { useState } from 'react';
import { useGate } from '@/lib/api/me';
import { formCls as f } from './form-cls';
import { CreateVolumeDialog } from './create-volume-dialog';

export function NewVolumeButton({ hostId, pool }: { hostId: string; pool: string }) {
  const [open, setOpen] = useState(false);
  const gate = useGate(hostId, 'POST /api/hosts/[host]/pools/[pool]/volumes');
  if (!gate.show) return null;
  return (
    <>
      <button type="button" className={f.primary} onClick={() => setOpen(true)} disabled={gate.disabled} title={gate.why ?? undefined}>
        New volume
      </button>
      {open && <CreateVolumeDialog hostId={hostId} pool={pool} onClose={() => setOpen(false)} />}
    </>
  );
}
