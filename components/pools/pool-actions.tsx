'use client';

import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { previewPoolAction, previewPoolAutostart, usePoolAction, usePoolAutostart, type PoolAction } from '@/lib/api/pools';
import { useGate } from '@/lib/api/me';
import { useVolumes } from '@/lib/api/volumes';
import { mountsSource } from '@/lib/pool-types';
import type { PoolDto } from '@/lib/schemas';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { ActionDialog } from './action-dialog';
import { PoolDeleteDialog } from './pool-delete-dialog';
import { Button } from '@/components/ui/button';
import { Note } from '@/components/ui/note';

const POOL = '/api/hosts/[host]/pools/[pool]';

type Pending = { kind: 'action'; action: PoolAction } | { kind: 'autostart'; enabled: boolean } | { kind: 'delete' };

const LABEL: Record<PoolAction, string> = { start: 'Start', stop: 'Stop', refresh: 'Refresh', build: 'Build' };
const WHAT: Record<PoolAction, string> = {
  start: 'Activates the pool (mounts, logs in or activates the volume group) so its volumes can be used.',
  stop: 'Deactivates the pool (pool-destroy): nothing is deleted, but its volumes can no longer be managed until it is started again.',
  refresh: 'Re-reads the pool: picks up volumes created or removed outside libvirt and updates the sizes.',
  build: 'Prepares the storage (e.g. creates the directory or mount point). Never overwrites: --no-overwrite.',
};
const DONE: Record<PoolAction, string> = { start: 'started', stop: 'stopped', refresh: 'refreshed', build: 'built' };

/**
 * The pool lifecycle: start, stop, refresh, build, autostart on/off, delete. Each action opens a
 * dialog with the exact command (the server's dry run) before anything runs.
 */
export function PoolActions({ hostId, pool: p, compact, onDeleted }: { hostId: string; pool: PoolDto; compact?: boolean; onDeleted?: () => void }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const running = p.state === 'running';
  const menu = useRef<HTMLDetailsElement>(null);
  const open = (x: Pending) => {
    setStatus(null);
    setPending(x);
    if (menu.current) menu.current.open = false;
  };
  const lifecycle = useGate(hostId, `POST ${POOL}/[action]`, { action: running ? 'stop' : 'start' });
  const build = useGate(hostId, `POST ${POOL}/[action]`, { action: 'build' });
  const autostart = useGate(hostId, `PUT ${POOL}/autostart`);
  const del = useGate(hostId, `DELETE ${POOL}`);
  // A viewer sees no pool actions at all (lib/api/me.ts gateOf).
  if (![lifecycle, build, autostart, del].some((g) => g.show)) return null;
  const buttons = (
    <>
      {running ? (
        <Button onClick={() => open({ kind: 'action', action: 'stop' })}>Stop</Button>
      ) : (
        <Button onClick={() => open({ kind: 'action', action: 'start' })}>Start</Button>
      )}
      {running && <Button onClick={() => open({ kind: 'action', action: 'refresh' })}>Refresh</Button>}
      {!running && build.show && (
        <Button onClick={() => open({ kind: 'action', action: 'build' })} disabled={build.disabled} title={build.why ?? undefined}>
          Build
        </Button>
      )}
      {autostart.show && (
        <Button onClick={() => open({ kind: 'autostart', enabled: !p.autostart })} disabled={autostart.disabled} title={autostart.why ?? (p.autostart ? 'Starts when the host boots' : 'Does not start when the host boots')}>
          {p.autostart ? 'Autostart: on' : 'Autostart: off'}
        </Button>
      )}
      {del.show && (
        <Button kind="danger" onClick={() => open({ kind: 'delete' })} disabled={del.disabled || (!p.persistent && !running)} title={del.why ?? undefined}>
          Delete…
        </Button>
      )}
    </>
  );
  return (
    <div className="flex flex-col items-start gap-1">
      {compact ? (
        <details ref={menu} className="relative">
          <summary className="cursor-pointer list-none rounded border border-zinc-300 px-2 py-0.5 text-xs font-medium hover:bg-zinc-50 dark:border-zinc-600 dark:hover:bg-zinc-800" aria-label={`Actions for pool ${p.name}`}>
            Actions ▾
          </summary>
          <div role="group" aria-label={`Actions for pool ${p.name}`} className="absolute right-0 z-20 mt-1 flex w-40 flex-col gap-1 rounded-md border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900 [&>button]:text-left">
            {buttons}
          </div>
        </details>
      ) : (
        <div role="group" aria-label={`Actions for pool ${p.name}`} className="flex flex-wrap gap-1.5">
          {buttons}
        </div>
      )}
      {status && (
        <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
          {status}
        </p>
      )}
      {pending?.kind === 'action' && <ActionConfirm hostId={hostId} pool={p} action={pending.action} onClose={() => setPending(null)} onDone={(s) => setStatus(s)} />}
      {pending?.kind === 'autostart' && <AutostartConfirm hostId={hostId} pool={p} enabled={pending.enabled} onClose={() => setPending(null)} onDone={(s) => setStatus(s)} />}
      {pending?.kind === 'delete' && (
        <PoolDeleteDialog
          hostId={hostId}
          pool={p}
          onClose={() => setPending(null)}
          onDeleted={() => {
            setPending(null);
            onDeleted?.();
          }}
        />
      )}
    </div>
  );
}

function CommandPreview({ queryKey, fn }: { queryKey: readonly unknown[]; fn: () => Promise<{ command: string }> }) {
  const q = useQuery({ queryKey: ['preview', ...queryKey], queryFn: fn, staleTime: 0, gcTime: 0, retry: false });
  if (q.error) return <ErrorPanel title="Could not prepare the command" error={q.error} />;
  return <CodePanel title="Command" code={q.data?.command ?? '…'} />;
}

function ActionConfirm({ hostId, pool: p, action, onClose, onDone }: { hostId: string; pool: PoolDto; action: PoolAction; onClose: () => void; onDone: (s: string) => void }) {
  const m = usePoolAction(hostId);
  const vols = useVolumes(hostId, p.name, { enabled: action === 'stop' && p.state === 'running' });
  const users = [...new Set((vols.data ?? []).flatMap((v) => v.usedBy))];
  const usedVols = (vols.data ?? []).filter((v) => v.usedBy.length);
  return (
    <ActionDialog title={`${LABEL[action]} pool ${p.name}`} open onClose={onClose}>
      <p>{WHAT[action]}</p>
      {action === 'stop' && users.length > 0 && (
        <Note tone="warn">
          <p className="font-medium">
            {users.length === 1 ? `VM ${users[0]} uses` : `VMs ${users.join(', ')} use`} volumes of this pool ({usedVols.map((v) => v.name).join(', ')}).
          </p>
          <p>Stopping the pool does not stop the VMs, but libvirt can no longer manage those volumes{mountsSource(p.type) ? ', and unmounting a filesystem in use fails' : ''}.</p>
        </Note>
      )}
      <CommandPreview queryKey={[hostId, p.name, action]} fn={() => previewPoolAction(hostId, p.name, action)} />
      {m.error && <ErrorPanel title={`${LABEL[action]} failed`} error={m.error} />}
      <ConfirmButtons
        pending={m.isPending}
        label={`${LABEL[action]} ${p.name}`}
        onCancel={onClose}
        onConfirm={() => m.mutate({ pool: p.name, action }, { onSuccess: () => (onDone(`Pool ${p.name} ${DONE[action]}.`), onClose()) })}
      />
    </ActionDialog>
  );
}

function AutostartConfirm({ hostId, pool: p, enabled, onClose, onDone }: { hostId: string; pool: PoolDto; enabled: boolean; onClose: () => void; onDone: (s: string) => void }) {
  const m = usePoolAutostart(hostId);
  const title = `${enabled ? 'Turn on' : 'Turn off'} autostart for ${p.name}`;
  return (
    <ActionDialog title={title} open onClose={onClose}>
      <p>{enabled ? 'libvirtd will start this pool when the host boots.' : 'The pool will stay stopped after the host boots until someone starts it.'}</p>
      <CommandPreview queryKey={[hostId, p.name, 'autostart', enabled]} fn={() => previewPoolAutostart(hostId, p.name, enabled)} />
      {m.error && <ErrorPanel title="Changing autostart failed" error={m.error} />}
      <ConfirmButtons
        pending={m.isPending}
        label={enabled ? 'Turn on autostart' : 'Turn off autostart'}
        onCancel={onClose}
        onConfirm={() => m.mutate({ pool: p.name, enabled }, { onSuccess: () => (onDone(`Autostart ${enabled ? 'on' : 'off'} for ${p.name}.`), onClose()) })}
      />
    </ActionDialog>
  );
}

/** Cancel beside the action's own button, which says what it does and shows that it runs. */
function ConfirmButtons({ pending, label, onCancel, onConfirm }: { pending: boolean; label: string; onCancel: () => void; onConfirm: () => void }) {
  return (
    <div className="flex justify-end gap-2">
      <Button onClick={onCancel}>Cancel</Button>
      <Button kind="primary" disabled={pending} onClick={onConfirm}>
        {pending ? 'Running…' : label}
      </Button>
    </div>
  );
}
