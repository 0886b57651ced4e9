'use client';

import { isFilePool } from '@/lib/pool-types';
import { usePools } from '@/lib/api/pools';
import { formatBytes } from '@/lib/format';
import type { SpaceCheckDto, VmdkConvertResult, VmdkInspectDto } from '@/lib/schemas';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Note } from '@/components/ui/note';
import { CheckField, Field, SelectField, TextField } from '@/components/ui/form-fields';

export interface TargetForm {
  pool: string;
  name: string;
  compress: boolean;
  clusterSize: string;
  compat: '1.1' | '0.10';
  lazyRefcounts: boolean;
}

export const CLUSTER_SIZES = ['64K', '128K', '256K', '512K', '1M', '2M'];

/** The convert request of the target form (the cluster size and compat only when not qemu's defaults). */
export function convertBody(f: TargetForm) {
  return {
    name: f.name,
    pool: f.pool,
    compress: f.compress,
    options: {
      ...(f.clusterSize !== '64K' ? { clusterSize: f.clusterSize } : {}),
      ...(f.compat !== '1.1' ? { compat: f.compat } : {}),
      ...(f.lazyRefcounts ? { lazyRefcounts: true } : {}),
    },
  };
}

/** Step 2: where the qcow2 goes, its name and options, whether it fits, and the exact commands (the server's dry run). */
export function TargetStep({
  hostId,
  form,
  set,
  source,
  preview,
}: {
  hostId: string;
  form: TargetForm;
  set: (p: Partial<TargetForm>) => void;
  source: VmdkInspectDto;
  preview: { data?: VmdkConvertResult; error: unknown; stale: boolean };
}) {
  const pools = usePools(hostId);
  const all = pools.data ?? [];
  const usable = (p: (typeof all)[number]) => p.state === 'running' && isFilePool(p.type);
  const chosen = all.find((p) => p.name === form.pool);
  return (
    <div className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Target pool"
          help={
            chosen && !usable(chosen)
              ? undefined
              : 'Only dir, fs and netfs pools hold image files. LVM, disk and iSCSI pools hold raw block devices: convert to a file pool first, then copy with dd if you must.'
          }
          error={chosen && !usable(chosen) ? `${chosen.name} is a ${chosen.type} pool${chosen.state !== 'running' ? ` and ${chosen.state}` : ''}: pick a running dir, fs or netfs pool` : undefined}
        >
          {(p) => (
            <select
              {...p}
              value={form.pool}
              onChange={(e) => set({ pool: e.target.value })}
              className="w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-600 dark:bg-zinc-900"
            >
              {all.map((x) => (
                <option key={x.name} value={x.name} disabled={!usable(x)}>
                  {x.name} ({x.type}
                  {x.state === 'running' ? `, ${formatBytes(x.available)} free` : `, ${x.state}`}){!usable(x) ? ' — not a running file pool' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField label="New volume name" value={form.name} onChange={(name) => set({ name })} mono help="The source’s name with .qcow2; the file is created in the pool’s directory." />
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField
          label="Cluster size"
          value={form.clusterSize}
          onChange={(clusterSize) => set({ clusterSize })}
          options={CLUSTER_SIZES.map((c) => ({ value: c, label: c === '64K' ? '64K (default)' : c }))}
          help="Bigger clusters: less metadata, more space per small write."
        />
        <SelectField
          label="Compat"
          value={form.compat}
          onChange={(compat) => set({ compat: compat as TargetForm['compat'] })}
          options={[
            { value: '1.1', label: '1.1 (QEMU ≥ 1.1, default)' },
            { value: '0.10', label: '0.10 (very old hosts)' },
          ]}
        />
        <div className="space-y-2 pt-6">
          <CheckField label="Compress (-c)" checked={form.compress} onChange={(compress) => set({ compress })} help="Smaller file, slower convert; rewritten blocks are stored uncompressed." />
          <CheckField label="Lazy refcounts" checked={form.lazyRefcounts} disabled={form.compat === '0.10'} onChange={(lazyRefcounts) => set({ lazyRefcounts })} help="Faster writes; needs a check after a host crash." />
        </div>
      </div>
      <SpacePanel space={preview.data?.space} source={source} compress={form.compress} />
      {preview.error ? (
        <ErrorPanel title="The server refuses this migration" error={preview.error} />
      ) : preview.data ? (
        <div className={`space-y-2 ${preview.stale ? 'opacity-60' : ''}`}>
          {preview.data.warnings.map((w) => (
            <Note key={w} tone="warn">
              {w}
            </Note>
          ))}
          <CodePanel title="Commands this will run" code={preview.data.steps.map((s) => `# ${s.title}\n${s.command}`).join('\n')} />
        </div>
      ) : (
        <p className="text-sm text-zinc-500">Preparing the preview…</p>
      )}
    </div>
  );
}

/** The pool's free space against what qemu-img measure says the qcow2 needs now and at worst. */
function SpacePanel({ space, source, compress }: { space?: SpaceCheckDto; source: VmdkInspectDto; compress: boolean }) {
  if (!space) return null;
  const max = Math.max(space.available, space.fullyAllocated, 1);
  const pct = (n: number) => `${Math.min(100, (n / max) * 100).toFixed(2)}%`;
  const tone = space.verdict === 'fits' ? 'info' : space.verdict === 'thin' ? 'warn' : 'danger';
  const msg =
    space.verdict === 'fits'
      ? `Fits: ${space.pool} has ${formatBytes(space.available)} free, enough even if the guest fills all ${formatBytes(source.info?.virtualSize ?? space.fullyAllocated)}.`
      : space.verdict === 'thin'
        ? `Fits now, but ${space.pool} (${formatBytes(space.available)} free) could not hold the disk if the guest fills it (${formatBytes(space.fullyAllocated)}).`
        : compress
          ? `Does not fit uncompressed: ${formatBytes(space.required)} needed, ${formatBytes(space.available)} free. With compression it may fit — or fail when the pool is full.`
          : `Does not fit: the qcow2 needs ${formatBytes(space.required)}, ${space.pool} has ${formatBytes(space.available)} free. Free space, pick another pool, or turn on compression.`;
  return (
    <section aria-label="Space check" className="space-y-2">
      <h3 className="text-sm font-semibold">Space check</h3>
      <div className="relative h-3 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700" aria-hidden="true">
        <div className="absolute inset-y-0 left-0 bg-zinc-400/60" style={{ width: pct(space.fullyAllocated) }} />
        <div className={`absolute inset-y-0 left-0 ${space.verdict === 'short' ? 'bg-red-600' : 'bg-sky-600'}`} style={{ width: pct(space.required) }} />
        <div className="absolute inset-y-0 w-0.5 bg-zinc-900 dark:bg-zinc-100" style={{ left: pct(space.available) }} />
      </div>
      <dl className="grid grid-cols-3 gap-2 text-xs tabular-nums">
        <div>
          <dt className="text-zinc-500">Needed now (qemu-img measure)</dt>
          <dd className="font-medium">{formatBytes(space.required)}</dd>
        </div>
        <div>
          <dt className="text-zinc-500">Worst case (guest fills the disk)</dt>
          <dd className="font-medium">{formatBytes(space.fullyAllocated)}</dd>
        </div>
        <div>
          <dt className="text-zinc-500">Free in {space.pool}</dt>
          <dd className="font-medium">{formatBytes(space.available)}</dd>
        </div>
      </dl>
      <Note tone={tone}>
        <span role={space.verdict === 'short' ? 'alert' : 'status'}>{msg}</span>
      </Note>
    </section>
  );
}
