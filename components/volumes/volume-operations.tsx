'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useGateFor, type Gate } from '@/lib/api/me';
import { migrateVmdkHref } from '@/lib/api/vmdk-migration';
import { deleteVolume, volumeOperation } from '@/lib/api/volume-ops';
import { usePools } from '@/lib/api/pools';
import { useVolumes } from '@/lib/api/volumes';
import { formatBytes } from '@/lib/format';
import { CREATE_FORMATS, WIPE_ALGORITHMS, type VolumeDto } from '@/lib/schemas';
import { parseSize } from '@/lib/units';
import { formCls as f } from './form-cls';
import { OperationRunner } from './operation-runner';
import { SelectField } from '@/components/ui/form-fields';
import { CheckPanel, ComparePanel } from './volume-inspect';

export const VOLUME_OPS = ['resize', 'convert', 'clone', 'check', 'compare', 'rebase', 'commit', 'amend', 'wipe', 'delete'] as const;
export type VolumeOp = (typeof VOLUME_OPS)[number];
const OPS = VOLUME_OPS;
type Op = VolumeOp;
/** What works on a LUKS image without qemu-img holding its key: libvirt does these with the volume's secret. */
export const KEYLESS_OPS: readonly Op[] = ['resize', 'wipe', 'delete'];
export const isVolumeOp = (s: string | null): s is VolumeOp => (VOLUME_OPS as readonly string[]).includes(s ?? '');
export const OP_LABEL: Record<Op, string> = {
  resize: 'Resize',
  convert: 'Convert',
  clone: 'Clone',
  check: 'Check',
  compare: 'Compare',
  rebase: 'Rebase',
  commit: 'Commit',
  amend: 'Amend',
  wipe: 'Wipe',
  delete: 'Delete',
};

const V = '/api/hosts/[host]/pools/[pool]/volumes/[volume]';

/** The role an operation's button needs: the permission table's, for the call it makes (lib/api/me.ts gateOf decides what shows). */
export function opGate(gate: ReturnType<typeof useGateFor>, op: VolumeOp): Gate {
  return op === 'delete' ? gate(`DELETE ${V}`) : gate(`POST ${V}/[op]`, { op });
}

/** The volume page's operations: pick one, fill its form, preview the exact commands, confirm, run. */
export function VolumeOperations({ hostId, volume, initial }: { hostId: string; volume: VolumeDto; initial?: VolumeOp }) {
  const gate = useGateFor(hostId);
  const gates = Object.fromEntries(VOLUME_OPS.map((o) => [o, opGate(gate, o)])) as Record<Op, Gate>;
  const ops = (volume.encryption ? KEYLESS_OPS : OPS).filter((o) => gates[o].show);
  const usable = ops.filter((o) => !gates[o].disabled);
  const [op, setOp] = useState<Op>(initial && usable.includes(initial) ? initial : (usable[0] ?? 'resize'));
  const reasons = [...new Set(ops.flatMap((o) => (gates[o].why ? [gates[o].why] : [])))];
  if (!usable.length) return null;
  return (
    <div className="grid gap-4 md:grid-cols-[10rem_1fr]">
      {volume.encryption && (
        <p className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 md:col-span-2 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          {volume.name} is {volume.encryption.toUpperCase()}-encrypted. Its passphrase lives only in a private libvirt secret, so qemu-img cannot open its data: convert,
          clone, check, compare, rebase, commit, amend and internal snapshots are not offered. Resize (through libvirt), wipe and delete are.
        </p>
      )}
      <div>
        <div role="radiogroup" aria-label="Operation" className="flex flex-row flex-wrap gap-1 md:flex-col">
          {ops.map((o) => (
            <button
              key={o}
              type="button"
              role="radio"
              aria-checked={op === o}
              onClick={() => setOp(o)}
              disabled={gates[o].disabled}
              title={gates[o].why ?? undefined}
              className={`rounded px-2 py-1 text-left text-sm disabled:cursor-not-allowed disabled:opacity-50 ${op === o ? 'bg-sky-100 font-medium text-sky-900 dark:bg-sky-950 dark:text-sky-200' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'} ${o === 'wipe' || o === 'delete' ? 'text-red-800 dark:text-red-300' : ''}`}
            >
              {OP_LABEL[o]}
            </button>
          ))}
        </div>
        {/* The reason for the greyed-out ones, visible without hovering. */}
        {reasons.length > 0 && <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Greyed out: {reasons.join('; ')}.</p>}
      </div>
      <div key={op} className="min-w-0">
        <OpForm op={op} hostId={hostId} v={volume} />
      </div>
    </div>
  );
}

function OpForm({ op, hostId, v }: { op: Op; hostId: string; v: VolumeDto }) {
  const call = (name: string) => (body: Record<string, unknown>) => volumeOperation(hostId, v.pool, v.name, name, body);
  switch (op) {
    case 'resize':
      return <ResizeForm hostId={hostId} v={v} />;
    case 'convert':
      return <ConvertForm hostId={hostId} v={v} />;
    case 'clone':
      return <CloneForm hostId={hostId} v={v} />;
    case 'check':
      return <CheckPanel hostId={hostId} v={v} />;
    case 'compare':
      return <ComparePanel hostId={hostId} v={v} />;
    case 'rebase':
      return <RebaseForm hostId={hostId} v={v} />;
    case 'commit':
      return (
        <OperationRunner hostId={hostId} label="Commit" body={() => ({})} call={call('commit')}>
          <p className="text-sm">
            Writes the changes held in {v.name} into its backing file {v.backingStore ? <span className="font-mono text-xs">{v.backingStore.path}</span> : '(none — nothing to commit)'} and empties {v.name}.
            Refused if other overlays use that base, unless you type the base’s name.
          </p>
        </OperationRunner>
      );
    case 'amend':
      return <AmendForm hostId={hostId} v={v} />;
    case 'wipe':
      return <WipeForm hostId={hostId} v={v} />;
    case 'delete':
      return (
        <OperationRunner hostId={hostId} label="Delete" danger body={() => ({})} call={(b) => deleteVolume(hostId, v.pool, v.name, b)}>
          <p className="text-sm">
            Deletes {v.name} with <span className="font-mono text-xs">virsh vol-delete</span>. Its backing file, if any, is not touched. You will be asked to type its name.
          </p>
        </OperationRunner>
      );
  }
}

function ResizeForm({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const [size, setSize] = useState('');
  const n = parseSize(size);
  // Growing is an operator's; a shrink passes a typed-name guard, an admin's.
  const shrink = useGateFor(hostId)(`POST ${V}/[op]`, { op: 'resize' }, { guarded: true });
  const shrinking = n !== null && n < v.capacity;
  return (
    <OperationRunner
      hostId={hostId}
      label="Resize"
      body={() => (n === null ? 'Enter a size such as 20G' : shrinking && shrink.disabled ? `Shrinking: ${shrink.why}` : { capacity: n })}
      call={(b) => volumeOperation(hostId, v.pool, v.name, 'resize', b)}
    >
      <label className={f.label}>
        New capacity (now {formatBytes(v.capacity)})
        <input className={f.input} value={size} onChange={(e) => setSize(e.target.value)} placeholder="e.g. 20G" aria-label="New capacity" />
      </label>
      {shrinking && shrink.disabled && <p className="text-sm font-medium text-amber-800 dark:text-amber-300">Shrinking: {shrink.why}. Growing is yours to do.</p>}
      {shrinking && !shrink.disabled && (
        <p role="alert" className="text-sm font-medium text-red-800 dark:text-red-300">
          Shrinking cuts off the end of the disk. Shrink the filesystem and partition inside the guest first — otherwise data is lost. You will be asked to type the volume’s name.
        </p>
      )}
      {n !== null && n > v.capacity && <p className={f.hint}>After growing, extend the partition and filesystem inside the guest.</p>}
    </OperationRunner>
  );
}

function PoolSelect({ hostId, value, onChange, label }: { hostId: string; value: string; onChange: (p: string) => void; label: string }) {
  const pools = usePools(hostId);
  return (
    <label className={f.label}>
      {label}
      <select className={f.input} value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        {(pools.data ?? []).filter((p) => p.state === 'running').map((p) => (
          <option key={p.name} value={p.name}>
            {p.name} ({p.type})
          </option>
        ))}
      </select>
    </label>
  );
}

function ConvertForm({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const [pool, setPool] = useState(v.pool);
  const [format, setFormat] = useState<string>(v.format === 'qcow2' ? 'raw' : 'qcow2');
  const stem = v.name.replace(/\.[^.]+$/, '');
  const [name, setName] = useState(`${stem}.${format === 'qcow2' ? 'qcow2' : format}`);
  const [compress, setCompress] = useState(false);
  return (
    <OperationRunner hostId={hostId} label="Convert" body={() => ({ name, pool, format, compress })} call={(b) => volumeOperation(hostId, v.pool, v.name, 'convert', b)}>
      <p className={f.hint}>
        qemu-img convert writes a new image (a job with progress); the source is only read. For a VMware disk use the{' '}
        <Link href={migrateVmdkHref(hostId, { pool: v.pool, name: v.name })} className="text-sky-700 underline dark:text-sky-400">
          guided migration
        </Link>
        : it checks the extent files and the space, converts, verifies with qemu-img compare and attaches the result to a VM.
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className={f.label}>
          Output format
          <select
            className={f.input}
            value={format}
            aria-label="Output format"
            onChange={(e) => {
              setFormat(e.target.value);
              setName(`${stem}.${e.target.value}`);
            }}
          >
            {CREATE_FORMATS.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </label>
        <PoolSelect hostId={hostId} value={pool} onChange={setPool} label="Target pool" />
        <label className={f.label}>
          New volume name
          <input className={f.input} value={name} onChange={(e) => setName(e.target.value)} aria-label="New volume name" />
        </label>
        <label className={`${f.check} mt-4`}>
          <input type="checkbox" checked={compress} onChange={(e) => setCompress(e.target.checked)} disabled={format !== 'qcow2'} /> Compress (-c, qcow2 only)
        </label>
      </div>
    </OperationRunner>
  );
}

function CloneForm({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const dot = v.name.lastIndexOf('.');
  const [name, setName] = useState(dot > 0 ? `${v.name.slice(0, dot)}-clone${v.name.slice(dot)}` : `${v.name}-clone`);
  const [pool, setPool] = useState(v.pool);
  return (
    <OperationRunner hostId={hostId} label="Clone" body={() => ({ name, pool })} call={(b) => volumeOperation(hostId, v.pool, v.name, 'clone', b)}>
      <p className={f.hint}>
        {pool === v.pool
          ? 'virsh vol-clone copies the volume within its pool (a job).'
          : `virsh vol-create-from copies the data into pool ${pool} (a job): a full, standalone copy — a backing chain is flattened; a device pool gets raw data.`}
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        <PoolSelect hostId={hostId} value={pool} onChange={setPool} label="Into pool" />
        <label className={f.label}>
          New volume name
          <input className={f.input} value={name} onChange={(e) => setName(e.target.value)} aria-label="New volume name" />
        </label>
      </div>
    </OperationRunner>
  );
}

function RebaseForm({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const [pool, setPool] = useState(v.pool);
  const vols = useVolumes(hostId, pool);
  const [target, setTarget] = useState('');
  const [unsafe, setUnsafe] = useState(false);
  return (
    <OperationRunner
      hostId={hostId}
      label="Rebase"
      danger={unsafe}
      body={() => ({ backing: target === '' ? null : { pool, name: target }, unsafe })}
      call={(b) => volumeOperation(hostId, v.pool, v.name, 'rebase', b)}
    >
      <p className={f.hint}>
        Now backed by: <span className="font-mono">{v.backingStore?.path ?? 'nothing'}</span>. Safe mode copies whatever differs, so the guest sees the same disk; “no backing file” flattens the image.
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        <PoolSelect hostId={hostId} value={pool} onChange={setPool} label="Pool of the new backing file" />
        <label className={f.label}>
          New backing file
          <select className={f.input} value={target} onChange={(e) => setTarget(e.target.value)} aria-label="New backing file">
            <option value="">— no backing file (flatten) —</option>
            {(vols.data ?? []).filter((x) => x.name !== v.name).map((x) => (
              <option key={x.name} value={x.name}>
                {x.name} ({x.format ?? '?'})
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className={f.check}>
        <input type="checkbox" checked={unsafe} onChange={(e) => setUnsafe(e.target.checked)} /> Unsafe (-u): rewrite the header only — use only when the new file holds the same data
      </label>
    </OperationRunner>
  );
}

function AmendForm({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const [compat, setCompat] = useState('');
  const [lazy, setLazy] = useState('');
  return (
    <OperationRunner
      hostId={hostId}
      label="Amend"
      body={() => ({ ...(compat ? { compat } : {}), ...(lazy ? { lazyRefcounts: lazy === 'on' } : {}) })}
      call={(b) => volumeOperation(hostId, v.pool, v.name, 'amend', b)}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Compat" value={compat} onChange={setCompat} empty="unchanged" options={['1.1', '0.10']} />
        <SelectField label="Lazy refcounts" value={lazy} onChange={setLazy} empty="unchanged" options={['on', 'off']} />
      </div>
    </OperationRunner>
  );
}

function WipeForm({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const [algorithm, setAlgorithm] = useState<string>('zero');
  return (
    <OperationRunner hostId={hostId} label="Wipe" danger body={() => ({ algorithm })} call={(b) => volumeOperation(hostId, v.pool, v.name, 'wipe', b)}>
      <p className="text-sm">Overwrites every byte of {v.name} (virsh vol-wipe, a job). The data cannot be recovered.</p>
      <SelectField label="Algorithm" value={algorithm} onChange={setAlgorithm} options={WIPE_ALGORITHMS} />
    </OperationRunner>
  );
}
