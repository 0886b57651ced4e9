'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useDomains } from '@/lib/api/domains';
import { hostKeys, jobKeys } from '@/lib/api/keys';
import { pageHrefs } from '@/lib/api/paths';
import { busForAdapter, vmdkCompare, vmdkDelete } from '@/lib/api/vmdk-migration';
import { useGate } from '@/lib/api/me';
import { guardOf, routeGuardError } from '@/lib/api/errors';
import { volumeQuery } from '@/lib/api/volumes';
import { formatBytes } from '@/lib/format';
import type { JobDto, VmdkInspectDto } from '@/lib/schemas';
import { Badge } from '@/components/ui/badge';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { TypedConfirm, typedOk } from '@/components/ui/typed-confirm';
import { Skeleton } from '@/components/ui/skeleton';
import { tableCls as t } from '@/components/ui/table';
import { JobProgress } from '@/components/jobs/job-progress';
import { Button } from '@/components/ui/button';
import { Note } from '@/components/ui/note';
import type { Source } from './source-step';
import { buttonCls } from '@/components/ui/styles';

export type Target = { pool: string; name: string; path: string };

/** Step 3: the convert job, live (SSE) with cancel; a failed or cancelled job leaves no file behind. */
export function RunStep({ jobId, onDone }: { jobId: string; onDone: (job: JobDto) => void }) {
  return (
    <div className="space-y-3">
      <JobProgress jobId={jobId} onDone={onDone} />
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Progress is qemu-img’s own (-p). Cancelling kills qemu-img on the host and removes the half-written file. The job stays listed on the <Link href={pageHrefs.jobs()} className={t.link}>Jobs</Link> page.
      </p>
    </div>
  );
}

/** Step 4: `qemu-img compare` of the vmdk and the qcow2, and the two images side by side. */
export function VerifyStep({ hostId, source, inspect, target }: { hostId: string; source: Source; inspect: VmdkInspectDto; target: Target }) {
  const cmp = useQuery({
    queryKey: ['vmdk-compare', hostId, source.pool, source.name, target.pool, target.name],
    queryFn: () => vmdkCompare(hostId, source.pool, source.name, { pool: target.pool, name: target.name }),
    staleTime: Infinity,
    retry: false,
  });
  const result = useQuery({ ...volumeQuery(hostId, target.pool, target.name) });
  const img = result.data?.chain[0];
  const src = inspect.info;
  // qemu-img's actual-size of a vmdk already sums the descriptor and all its extent files.
  const srcDisk = src?.actualSize ?? inspect.volume.allocation;
  return (
    <div className="space-y-4">
      <section aria-label="Comparison" className="space-y-2">
        <h3 className="text-sm font-semibold">Content check (qemu-img compare)</h3>
        {cmp.isPending ? (
          <p className="text-sm text-zinc-600" role="status">
            Comparing every block of both images…
          </p>
        ) : cmp.error ? (
          <ErrorPanel title="The comparison failed" error={cmp.error} />
        ) : (
          <div role="status" className="space-y-2">
            <p className="flex items-center gap-2 text-sm">
              <Badge tone={cmp.data.identical ? 'good' : 'bad'}>{cmp.data.identical ? 'identical' : 'different'}</Badge>
              {cmp.data.identical ? 'The guest sees exactly the same disk in the qcow2 as in the vmdk.' : 'The images differ: do not delete the source.'}
            </p>
            <CodePanel title="qemu-img compare" code={`$ ${cmp.data.command}\n${cmp.data.message}`} maxHeight="8rem" />
          </div>
        )}
      </section>
      <section aria-label="Before and after" className="space-y-2">
        <h3 className="text-sm font-semibold">Before and after</h3>
        {!img ? (
          result.error ? <ErrorPanel title="Could not read the new image" error={result.error} /> : <Skeleton className="h-32 w-full" />
        ) : (
          <>
            <div className={t.wrap}>
              <table className={t.table} aria-label="Source and result">
                <thead className={t.thead}>
                  <tr>
                    <th scope="col" className={t.th} />
                    <th scope="col" className={t.th}>
                      Source {source.name}
                    </th>
                    <th scope="col" className={t.th}>
                      Result {target.name}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {(
                    [
                      ['Format', `vmdk${inspect.subformat ? ` (${inspect.subformat})` : ''}`, `${img.format}${img.compat ? ` (compat ${img.compat})` : ''}`],
                      ['Virtual size', src ? formatBytes(src.virtualSize) : '—', formatBytes(img.virtualSize)],
                      ['Size on disk', formatBytes(srcDisk), img.actualSize != null ? formatBytes(img.actualSize) : '—'],
                      ['Cluster size', src?.clusterSize != null ? formatBytes(src.clusterSize) : '—', img.clusterSize != null ? formatBytes(img.clusterSize) : '—'],
                      ['Path', inspect.volume.path, img.filename],
                    ] as const
                  ).map(([k, a, b]) => (
                    <tr key={k} className={t.tr}>
                      <th scope="row" className={`${t.td} text-left font-medium text-zinc-500`}>
                        {k}
                      </th>
                      <td className={`${t.td} tabular-nums ${k === 'Path' ? 'font-mono text-xs' : ''}`}>{a}</td>
                      <td className={`${t.td} tabular-nums ${k === 'Path' ? 'font-mono text-xs' : ''}`}>{b}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {img.actualSize != null && <SizeNote inspect={inspect} before={srcDisk} after={img.actualSize} />}
          </>
        )}
      </section>
    </div>
  );
}

function SizeNote({ inspect, before, after }: { inspect: VmdkInspectDto; before: number; after: number }) {
  const compressed = inspect.extents.some((e) => e.compressed);
  if (after > before * 1.1)
    return (
      <Note>
        The qcow2 is {formatBytes(after)}, the vmdk {formatBytes(before)}
        {compressed ? ': a streamOptimized vmdk stores its data compressed (an export format), a qcow2 uncompressed so the guest can write in place' : ''} — like the 924 MB
        streamOptimized vmdk that becomes a 2.5 GB qcow2. Convert again with compression (-c) for a smaller archive copy.
      </Note>
    );
  return (
    <Note>
      The qcow2 takes {formatBytes(after)} on disk, the vmdk {formatBytes(before)}: both store only the blocks that hold data.
    </Note>
  );
}

/** Step 5: where to go next — the new volume, a VM to attach it to, virt-install for a new VM — and the guarded removal of the source. */
export function FinishStep({ hostId, source, inspect, target, identical }: { hostId: string; source: Source; inspect: VmdkInspectDto; target: Target; identical: boolean | null }) {
  const doms = useDomains(hostId);
  const [vm, setVm] = useState('');
  const bus = busForAdapter(inspect.adapterType);
  const stem = target.name.replace(/\.qcow2$/, '');
  const virtInstall = [
    'virt-install --import',
    `--name ${stem}`,
    '--memory 2048 --vcpus 2',
    `--disk path=${target.path},format=qcow2,bus=${bus.bus}`,
    '--osinfo detect=on,require=off',
    '--network network=default --graphics vnc --noautoconsole',
  ].join(' \\\n    ');
  return (
    <div className="space-y-5">
      <section aria-label="Next steps" className="space-y-3">
        <p className="text-sm">
          <Badge tone="good">migrated</Badge>{' '}
          <Link href={pageHrefs.volume(hostId, target.pool, target.name)} className={t.link}>
            Open {target.pool}/{target.name}
          </Link>
        </p>
        <div className="flex flex-wrap items-end gap-2">
          <label className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Attach it to a VM
            <select
              className="mt-1 block w-64 rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-600 dark:bg-zinc-900"
              value={vm}
              onChange={(e) => setVm(e.target.value)}
              aria-label="VM to attach to"
            >
              <option value="">choose a VM…</option>
              {(doms.data ?? []).map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name} ({d.state})
                </option>
              ))}
            </select>
          </label>
          {vm ? (
            <Link href={`${pageHrefs.vm(hostId, vm)}?attachPool=${encodeURIComponent(target.pool)}&attachVol=${encodeURIComponent(target.name)}&attachBus=${bus.bus}`} className={buttonCls('primary')}>
              Attach to {vm}…
            </Link>
          ) : (
            <Button disabled>Attach…</Button>
          )}
        </div>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Opens the VM’s attach dialog with {target.name} and this bus picked. Suggested bus: <strong>{bus.bus}</strong> — {bus.why}.
        </p>
        <CodePanel title="Or create a VM from it (virt-install --import)" code={virtInstall} maxHeight="10rem" />
      </section>
      <DeleteSource hostId={hostId} source={source} inspect={inspect} identical={identical} />
    </div>
  );
}

/**
 * Delete the vmdk and its extent files: one server operation (`POST …/vmdk/delete`). Opening asks
 * the server, whose guard answers with the files it would delete and the name to type; the name is
 * typed once and sent once — the server deletes descriptor and extents.
 */
function DeleteSource({ hostId, source, inspect, identical }: { hostId: string; source: Source; inspect: VmdkInspectDto; identical: boolean | null }) {
  const qc = useQueryClient();
  const [guard, setGuard] = useState<ReturnType<typeof guardOf>>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [deleted, setDeleted] = useState<string[] | null>(null);
  const names = guardVolumes(guard?.affected) ?? [source.name];
  const gate = useGate(hostId, 'POST /api/hosts/[host]/pools/[pool]/volumes/[volume]/vmdk/[action]', { action: 'delete' });

  async function open() {
    setBusy(true);
    setError(null);
    try {
      // Without a confirmation the server refuses with its guard: what would go, what to type.
      await vmdkDelete(hostId, source.pool, source.name, { dryRun: true });
      setGuard({ code: 'delete-vmdk', message: '', confirmWith: source.name, affected: null });
    } catch (e) {
      routeGuardError(e, setGuard, setError);
    } finally {
      setBusy(false);
    }
  }

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const r = await vmdkDelete(hostId, source.pool, source.name, { confirm: typed });
      setDeleted(names.length === r.steps.length ? names : r.steps.map((s) => s.title.replace(/^Delete /, '')));
    } catch (e) {
      routeGuardError(e, setGuard, setError);
    } finally {
      setBusy(false);
      void qc.invalidateQueries({ queryKey: hostKeys.detail(hostId) });
      void qc.invalidateQueries({ queryKey: jobKeys.all });
    }
  }

  if (!gate.show) return null;
  return (
    <section aria-label="Delete the source" className="space-y-2 rounded-md border border-red-200 p-3 dark:border-red-900">
      <h3 className="text-sm font-semibold text-red-800 dark:text-red-300">Delete the source vmdk (optional)</h3>
      {deleted ? (
        <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">
          Deleted {deleted.join(', ')} from {source.pool}.
        </p>
      ) : !guard ? (
        <>
          <p className="text-sm">
            Frees {formatBytes(inspect.info?.actualSize ?? inspect.volume.allocation)} in {source.pool}. Keep it until the migrated VM boots.
          </p>
          {identical === false && <Note tone="danger">The comparison found differences: keep the source.</Note>}
          <Button kind="danger" onClick={open} disabled={gate.disabled || identical === false || busy} title={gate.why ?? undefined}>
            Delete source…
          </Button>
          {error != null && <ErrorPanel title="Could not prepare the delete" error={error} />}
        </>
      ) : (
        <div className="space-y-2">
          <p className="text-sm">These volumes of pool {source.pool} will be deleted with virsh vol-delete, as one operation:</p>
          <ul className="list-disc pl-5 font-mono text-xs">
            {names.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
          {inspect.volume.usedBy.length > 0 && <Note tone="warn">{inspect.volume.usedBy.join(', ')} still name{inspect.volume.usedBy.length === 1 ? 's' : ''} it as a disk and will not start until pointed at the qcow2.</Note>}
          <TypedConfirm confirmWith={guard.confirmWith} value={typed} onChange={setTyped} />
          <div className="flex gap-2">
            <Button kind="danger" onClick={run} disabled={!typedOk(typed, guard.confirmWith) || busy}>
              {busy ? 'Deleting…' : `Delete ${names.length === 1 ? source.name : `${names.length} files`}`}
            </Button>
            <Button onClick={() => setGuard(null)} disabled={busy}>
              Cancel
            </Button>
          </div>
          {error != null && <ErrorPanel title="Deleting the source failed" error={error} />}
        </div>
      )}
    </section>
  );
}

/** The volume names a `delete-vmdk` guard lists as affected. */
function guardVolumes(affected: unknown): string[] | null {
  const v = (affected as { volumes?: unknown } | null)?.volumes;
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
}
