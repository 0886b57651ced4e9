'use client';

import { useState } from 'react';
import { formCls as f } from './form-cls';
import { CreateVolumeDialog } from './create-volume-dialog';

export function NewVolumeButton({ hostId, pool }: { hostId: string; pool: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={f.primary} onClick={() => setOpen(true)}>
        New volume
      </button>
      {open && <CreateVolumeDialog hostId={hostId} pool={pool} onClose={() => setOpen(false)} />}
    </>
  );
}
