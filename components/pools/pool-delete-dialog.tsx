'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { previewPoolDelete, usePoolDelete } from '@/lib/api/pools';
import { poolTypeSpec } from '@/lib/pool-types';
import type { PoolDto } from '@/lib/schemas';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { ActionDialog } from './action-dialog';
import { Button } from '@/components/ui/button';
import { Note } from '@/components/ui/note';
import { CheckField } from '@/components/ui/form-fields';
import { TypedConfirm } from '@/components/ui/typed-confirm';
import { guardOf } from '@/lib/api/errors';

/**
 * Delete a pool: stop → (pool-delete: the storage itself) → undefine. What is at stake comes
 * from the server's dry run (volumes, VMs using them); the pool's name must be typed. A refusal
 * (409 pool-in-use, pool-delete-storage) is shown with what it lists.
 */
export function PoolDeleteDialog({ hostId, pool: p, onClose, onDeleted }: { hostId: string; pool: PoolDto; onClose: () => void; onDeleted: () => void }) {
  const [deleteStorage, setDeleteStorage] = useState(false);
  const [typed, setTyped] = useState('');
  const m = usePoolDelete(hostId);
  const preview = useQuery({
    queryKey: ['preview', hostId, p.name, 'delete', deleteStorage],
    queryFn: () => previewPoolDelete(hostId, p.name, deleteStorage),
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const inUse = preview.data?.inUse ?? [];
  // What pool-delete does to this type's storage (null: libvirt cannot): the pool-type table.
  const deletes = poolTypeSpec(p.type)?.deleteStorage ?? null;
  const vols = preview.data?.volumes ?? [];
  return (
    <ActionDialog title={`Delete pool ${p.name}`} open onClose={onClose} danger>
      <p>
        The pool is stopped{p.state === 'running' ? '' : ' (it is not running)'} and its definition removed from libvirt
        {deleteStorage ? ', and its storage deleted' : '; the data stays where it is'}.
      </p>
      {inUse.length > 0 && (
        <Note tone="danger">
          <p className="font-medium">Refused while VMs use its volumes:</p>
          <ul className="mt-1 list-disc pl-5">
            {inUse.map((u) => (
              <li key={u.volume}>
                <span className="font-mono">{u.volume}</span> — used by {u.usedBy.join(', ')}
              </li>
            ))}
          </ul>
          <p className="mt-1">Detach those disks or remove the VMs first.</p>
        </Note>
      )}
      <CheckField
        label="Also delete the storage (pool-delete)"
        checked={deleteStorage && Boolean(deletes)}
        disabled={!deletes}
        onChange={setDeleteStorage}
        help={
          deletes
            ? `For a ${p.type} pool${p.target.path ? ` (${p.target.path})` : ''} libvirt ${deletes}.`
            : `libvirt cannot delete the storage of a ${p.type} pool: only its definition is removed.`
        }
      />
      {deleteStorage && vols.length > 0 && (
        <Note tone="danger">
          {vols.length} volume{vols.length === 1 ? '' : 's'} in this pool: {vols.slice(0, 20).join(', ')}
          {vols.length > 20 ? ', …' : ''}
        </Note>
      )}
      {preview.error ? <ErrorPanel title="Could not prepare the delete" error={preview.error} /> : <CodePanel title="Commands, in order" code={preview.data?.commands.join('\n') ?? '…'} />}
      <TypedConfirm confirmWith={p.name} value={typed} onChange={setTyped} label={`Type the pool name “${p.name}” to confirm`} guard={guardOf(m.error)} />
      {m.error && !guardOf(m.error) && <ErrorPanel title="Delete failed" error={m.error} />}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button
          kind="danger"
          disabled={typed !== p.name || m.isPending || inUse.length > 0}
          onClick={() => m.mutate({ pool: p.name, deleteStorage, confirm: typed }, { onSuccess: onDeleted })}
        >
          {m.isPending ? 'Deleting…' : `Delete pool ${p.name}`}
        </Button>
      </div>
    </ActionDialog>
  );
}
