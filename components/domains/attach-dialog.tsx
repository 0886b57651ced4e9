'use client';

import { PathPolicyNote } from '@/components/hosts/path-policy-note';
import { useState } from 'react';
import { domainApi, useDomainMutation } from '@/lib/api/domains';
import { usePools } from '@/lib/api/pools';
import type { AttachDiskInput, DomainDetailDto } from '@/lib/schemas';
import { ErrorPanel } from '@/components/ui/error-panel';
import { ActionDone, ActionPreview, useDryRun } from './action-preview';
import { Dialog, field, SubmitCancel } from '@/components/ui/dialog';
import { VolumePicker } from './volume-picker';

type SourceKind = 'existing' | 'new' | 'path';
const CACHES = ['default', 'none', 'writeback', 'writethrough', 'directsync', 'unsafe'] as const;
const CACHE_HINT: Record<string, string> = {
  default: 'QEMU’s default (writeback)',
  none: 'host page cache bypassed (O_DIRECT); the usual choice for production',
  writeback: 'host cache used; fast, a host crash may lose recent writes the guest thinks are safe only if it does not flush',
  writethrough: 'every write reaches the disk before it completes; safe, slow',
  directsync: 'like none + writethrough: bypasses the cache and waits for the disk',
  unsafe: 'flushes ignored: fastest, loses data on a host crash (installs, scratch disks)',
};

/** Attach a disk: existing volume, new volume or path; bus, target, cache, io, discard, flags; live/persistent; a preview of the exact XML and command. */
export function AttachDialog({ hostId, dom, open, onClose, initial }: { hostId: string; dom: DomainDetailDto; open: boolean; onClose: () => void; initial?: { pool: string; volume: string; bus?: string } | null }) {
  const vm = dom.domain.name;
  const running = dom.domain.state === 'running' || dom.domain.state === 'paused';
  const pools = usePools(hostId);
  const [kind, setKind] = useState<SourceKind>('existing');
  const [picked, setPicked] = useState<{ pool: string; volume: string } | null>(initial ? { pool: initial.pool, volume: initial.volume } : null);
  const [newVol, setNewVol] = useState({ pool: '', name: `${vm}-data.qcow2`, size: '1', unit: 'GiB', format: 'qcow2' as 'qcow2' | 'raw' });
  const [path, setPath] = useState('');
  const [device, setDevice] = useState<'disk' | 'cdrom'>('disk');
  const [bus, setBus] = useState(initial?.bus && dom.buses.some((b) => b.bus === initial.bus) ? initial.bus : 'virtio');
  const [target, setTarget] = useState('');
  const [cache, setCache] = useState<(typeof CACHES)[number]>('none');
  const [io, setIo] = useState<'default' | 'native' | 'threads' | 'io_uring'>('default');
  const [discard, setDiscard] = useState<'default' | 'unmap' | 'ignore'>('default');
  const [readonly, setReadonly] = useState(false);
  const [shareable, setShareable] = useState(false);
  const [serial, setSerial] = useState('');
  const busOpt = dom.buses.find((b) => b.bus === bus);
  const canLive = busOpt?.live ?? false;
  const [live, setLive] = useState(running);
  const [persistent, setPersistent] = useState(dom.domain.persistent);
  const liveOn = live && canLive;
  const filePools = (pools.data ?? []).filter((p) => p.state === 'running');
  const newPool = newVol.pool || filePools[0]?.name || '';

  const source: AttachDiskInput['source'] | null =
    kind === 'existing'
      ? picked
      : kind === 'new'
        ? newPool && newVol.name
          ? { create: { pool: newPool, name: newVol.name, capacity: Math.round(Number(newVol.size) * (newVol.unit === 'GiB' ? 2 ** 30 : 2 ** 20)), format: newVol.format } }
          : null
        : path.startsWith('/')
          ? { path }
          : null;
  const body: AttachDiskInput | null = source
    ? {
        source,
        device,
        bus: bus as AttachDiskInput['bus'],
        ...(target ? { target } : {}),
        cache,
        io,
        discard,
        readonly,
        shareable,
        ...(serial ? { serial } : {}),
        live: liveOn,
        persistent,
      }
    : null;
  const current = useDryRun(body, (b) => domainApi.attach(hostId, vm, { ...b, dryRun: true }), open && !!body && (body.live || body.persistent));
  const attach = useDomainMutation(hostId, (b: AttachDiskInput) => domainApi.attach(hostId, vm, b));

  return (
    <Dialog title={`Attach a disk to ${vm}`} open={open} onClose={onClose} wide>
      {attach.isSuccess ? (
        <ActionDone result={attach.data} onClose={onClose} />
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              if (body) attach.mutate(body);
            }}
          >
            <fieldset>
              <legend className={field.label}>Source</legend>
              <div className="mt-1 flex gap-3 text-sm">
                {(
                  [
                    ['existing', 'Existing volume'],
                    ['new', 'New volume'],
                    ['path', 'Custom path'],
                  ] as const
                ).map(([k, label]) => (
                  <label key={k} className="flex items-center gap-1">
                    <input type="radio" name="source" checked={kind === k} onChange={() => setKind(k)} /> {label}
                  </label>
                ))}
              </div>
            </fieldset>
            {kind === 'existing' && (
              <>
                <VolumePicker hostId={hostId} value={picked} onChange={(v) => setPicked({ pool: v.pool, volume: v.name })} />
                <p className="text-sm" aria-live="polite">
                  Selected: {picked ? <strong>{`${picked.pool}/${picked.volume}`}</strong> : <span className="text-zinc-500">none yet</span>}
                </p>
              </>
            )}
            {kind === 'new' && (
              <div className="grid grid-cols-2 gap-2">
                <label className={field.label}>
                  Pool
                  <select className={field.input} value={newPool} onChange={(e) => setNewVol({ ...newVol, pool: e.target.value })}>
                    {filePools.map((p) => (
                      <option key={p.name}>{p.name}</option>
                    ))}
                  </select>
                </label>
                <label className={field.label}>
                  Volume name
                  <input className={field.input} value={newVol.name} onChange={(e) => setNewVol({ ...newVol, name: e.target.value })} />
                </label>
                <label className={field.label}>
                  Size
                  <span className="flex gap-1">
                    <input className={field.input} inputMode="decimal" value={newVol.size} onChange={(e) => setNewVol({ ...newVol, size: e.target.value })} />
                    <select aria-label="Size unit" className={field.input} value={newVol.unit} onChange={(e) => setNewVol({ ...newVol, unit: e.target.value })}>
                      <option>MiB</option>
                      <option>GiB</option>
                    </select>
                  </span>
                </label>
                <label className={field.label}>
                  Format
                  <select className={field.input} value={newVol.format} onChange={(e) => setNewVol({ ...newVol, format: e.target.value as 'qcow2' | 'raw' })}>
                    <option value="qcow2">qcow2 (thin, snapshots)</option>
                    <option value="raw">raw (fastest)</option>
                  </select>
                </label>
              </div>
            )}
            {kind === 'path' && (
              <label className={field.label}>
                Path on the host
                <input className={field.input} placeholder="/var/lib/libvirt/images/disk.qcow2 or /dev/sdc" value={path} onChange={(e) => setPath(e.target.value)} />
                <span className={field.hint}>The format is read with qemu-img info, never guessed by libvirt.</span>
                <PathPolicyNote hostId={hostId} show="both" />
              </label>
            )}
            <div className="grid grid-cols-3 gap-2">
              <label className={field.label}>
                Device
                <select className={field.input} value={device} onChange={(e) => setDevice(e.target.value as 'disk' | 'cdrom')}>
                  <option value="disk">disk</option>
                  <option value="cdrom">CD-ROM</option>
                </select>
              </label>
              <label className={field.label}>
                Bus
                <select className={field.input} value={bus} onChange={(e) => setBus(e.target.value)}>
                  {dom.buses.map((b) => (
                    <option key={b.bus} value={b.bus}>
                      {b.bus}
                      {running && !b.live ? ' (not live)' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label className={field.label}>
                Target
                <input className={field.input} placeholder={busOpt?.nextTarget} value={target} onChange={(e) => setTarget(e.target.value)} />
              </label>
            </div>
            <p className={field.hint}>Target left empty: the next free one, {busOpt?.nextTarget}.</p>
            <div className="grid grid-cols-3 gap-2">
              <label className={field.label}>
                Cache
                <select className={field.input} value={cache} onChange={(e) => setCache(e.target.value as (typeof CACHES)[number])}>
                  {CACHES.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <label className={field.label}>
                I/O
                <select className={field.input} value={io} onChange={(e) => setIo(e.target.value as typeof io)}>
                  {['default', 'native', 'threads', 'io_uring'].map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <label className={field.label}>
                Discard
                <select className={field.input} value={discard} onChange={(e) => setDiscard(e.target.value as typeof discard)}>
                  {['default', 'unmap', 'ignore'].map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
            </div>
            <p className={field.hint}>cache={cache}: {CACHE_HINT[cache]}</p>
            <div className="flex flex-wrap items-end gap-4 text-sm">
              <label className="flex items-center gap-1">
                <input type="checkbox" checked={readonly} onChange={(e) => setReadonly(e.target.checked)} /> Read-only
              </label>
              <label className="flex items-center gap-1">
                <input type="checkbox" checked={shareable} onChange={(e) => setShareable(e.target.checked)} /> Shareable
              </label>
              <label className={field.label}>
                Serial
                <input className={field.input} value={serial} onChange={(e) => setSerial(e.target.value)} />
              </label>
            </div>
            <fieldset className="rounded-md border border-zinc-200 p-2 dark:border-zinc-700">
              <legend className={`${field.label} px-1`}>When</legend>
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" className="mt-1" checked={liveOn} disabled={!canLive} onChange={(e) => setLive(e.target.checked)} />
                <span>
                  <strong>Live</strong> — plug it into the running VM now; gone after the VM stops unless also persistent.
                  {!canLive && <span className="block text-xs text-amber-700 dark:text-amber-400">Not possible: {busOpt?.liveReason}</span>}
                </span>
              </label>
              <label className="mt-1 flex items-start gap-2 text-sm">
                <input type="checkbox" className="mt-1" checked={persistent} disabled={!dom.domain.persistent} onChange={(e) => setPersistent(e.target.checked)} />
                <span>
                  <strong>Persistent</strong> — write it into the VM’s configuration; it is there at every start{running ? ' (from the next one, if not also live)' : ''}.
                </span>
              </label>
            </fieldset>
            {attach.error && <ErrorPanel title="The disk was not attached" error={attach.error} />}
            <SubmitCancel label="Attach" pendingLabel="Attaching…" pending={attach.isPending} disabled={!body || (!liveOn && !persistent) || Boolean(current?.error)} onCancel={onClose} />
          </form>
          <div aria-label="Preview" className="min-w-0 space-y-2">
            {!body ? (
              <p className="text-sm text-zinc-500">Choose a source to see the disk XML and the exact command.</p>
            ) : !liveOn && !persistent ? (
              <p className="text-sm text-amber-700">Choose live, persistent or both.</p>
            ) : current?.error ? (
              <ErrorPanel title="This would be refused" error={current.error} />
            ) : current?.result ? (
              <ActionPreview result={current.result} />
            ) : (
              <p className="text-sm text-zinc-500">Preparing the preview…</p>
            )}
          </div>
        </div>
      )}
    </Dialog>
  );
}
