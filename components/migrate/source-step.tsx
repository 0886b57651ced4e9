'use client';

import { isFilePool } from '@/lib/pool-types';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { hostKeys, jobKeys } from '@/lib/api/keys';
import { apiPaths } from '@/lib/api/paths';
import { usePools } from '@/lib/api/pools';
import { volumesQuery } from '@/lib/api/volumes';
import { formatBytes } from '@/lib/format';
import { naturalCompare } from '@/lib/natural-sort';
import type { VmdkInspectDto, VolumeDto } from '@/lib/schemas';
import { descriptorNameOfExtent } from '@/lib/vmdk-names';
import { Badge } from '@/components/ui/badge';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Facts, type Fact } from '@/components/ui/facts';
import { Skeleton } from '@/components/ui/skeleton';
import { TableHead, tableCls as t } from '@/components/ui/table';
import { Button } from '@/components/ui/button';
import { Note } from '@/components/ui/note';
import { UPLOAD_HEADER } from '@/lib/api/request-headers';

export type Source = { pool: string; name: string };

/** Step 1: a vmdk already in a pool of the host, or uploaded from this computer into one; then what qemu-img says about it. */
export function SourceStep({
  hostId,
  source,
  onPick,
  inspect,
}: {
  hostId: string;
  source: Source | null;
  onPick: (s: Source) => void;
  inspect: { data?: VmdkInspectDto; error: unknown; isFetching: boolean };
}) {
  const [mode, setMode] = useState<'host' | 'upload'>('host');
  return (
    <div className="space-y-4">
      <fieldset>
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Where is the VMware disk?</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-1.5">
            <input type="radio" name="vmdk-source" checked={mode === 'host'} onChange={() => setMode('host')} className="accent-sky-700" /> Already on the host, in a pool
          </label>
          <label className="flex items-center gap-1.5">
            <input type="radio" name="vmdk-source" checked={mode === 'upload'} onChange={() => setMode('upload')} className="accent-sky-700" /> Upload from this computer
          </label>
        </div>
      </fieldset>
      {mode === 'host' ? <VmdkList hostId={hostId} source={source} onPick={onPick} /> : <VmdkUpload hostId={hostId} onUploaded={onPick} />}
      {source && <InspectPanel source={source} inspect={inspect} />}
    </div>
  );
}

/** Every file of the host's running file pools that is a vmdk (libvirt says so, or the name ends in .vmdk). */
function VmdkList({ hostId, source, onPick }: { hostId: string; source: Source | null; onPick: (s: Source) => void }) {
  const pools = usePools(hostId);
  const filePools = (pools.data ?? []).filter((p) => p.state === 'running' && isFilePool(p.type));
  const lists = useQueries({ queries: filePools.map((p) => volumesQuery(hostId, p.name)) });
  const candidates = useMemo(
    () =>
      lists
        .flatMap((q) => q.data ?? [])
        .filter((v) => v.format === 'vmdk' || /\.(vmdk|ova)$/i.test(v.name))
        .sort((a, b) => naturalCompare(`${a.pool}/${a.name}`, `${b.pool}/${b.name}`)),
    [lists],
  );
  if (pools.isPending || lists.some((q) => q.isPending)) return <Skeleton className="h-32 w-full" />;
  if (pools.error) return <ErrorPanel title={`Could not list the pools of ${hostId}`} error={pools.error} />;
  if (candidates.length === 0)
    return (
      <Note>
        No vmdk in the running dir/fs/netfs pools of {hostId} ({filePools.map((p) => p.name).join(', ') || 'none'}). Copy the exported files into a pool directory
        (e.g. <span className="font-mono">scp disk.vmdk root@host:{filePools[0]?.target.path ?? '/var/lib/libvirt/images'}/</span>) and refresh the pool, or upload them here.
      </Note>
    );
  const names = new Set(candidates.map((v) => `${v.pool}/${v.name}`));
  return (
    <div className={t.wrap}>
      <table className={t.table} aria-label="VMware disks on the host">
        <TableHead columns={['', 'Volume', 'libvirt format', 'Capacity', 'Allocation', 'Used by', 'Path']} />
        <tbody>
          {candidates.map((v) => (
            <Row key={`${v.pool}/${v.name}`} v={v} picked={source?.pool === v.pool && source.name === v.name} onPick={onPick} descriptorHere={names} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ v, picked, onPick, descriptorHere }: { v: VolumeDto; picked: boolean; onPick: (s: Source) => void; descriptorHere: Set<string> }) {
  const owner = descriptorNameOfExtent(v.name);
  const extentOf = owner && descriptorHere.has(`${v.pool}/${owner}`) ? owner : null;
  const id = `pick-${v.pool}-${v.name}`;
  return (
    <tr className={`${t.tr} ${picked ? 'bg-sky-50 dark:bg-sky-950/40' : ''}`}>
      <td className={t.td}>
        <input id={id} type="radio" name="vmdk-pick" checked={picked} onChange={() => onPick({ pool: v.pool, name: v.name })} aria-label={`${v.pool}/${v.name}`} className="accent-sky-700" />
      </td>
      <td className={t.td}>
        <label htmlFor={id} className="cursor-pointer font-medium">
          <span className="text-zinc-500">{v.pool}/</span>
          {v.name}
        </label>
        {extentOf && <span className="ml-2 text-xs text-zinc-500">data extent of {extentOf}</span>}
      </td>
      <td className={t.td}>{v.format ?? '—'}</td>
      <td className={`${t.td} tabular-nums`}>{formatBytes(v.capacity)}</td>
      <td className={`${t.td} tabular-nums`}>{formatBytes(v.allocation)}</td>
      <td className={t.td}>{v.usedBy.length ? v.usedBy.join(', ') : '—'}</td>
      <td className={`${t.td} max-w-[18rem] truncate font-mono text-xs`} title={v.path}>
        {v.path}
      </td>
    </tr>
  );
}

type UploadState = { file: string; sent: number; total: number; status: 'sending' | 'done' | 'failed' | 'aborted'; message?: string };

/**
 * Upload through the console's streamed upload (`PUT …/content` → `virsh vol-upload`), one file
 * after another: a descriptor vmdk and its -flat / -s00N files must all arrive. The descriptor
 * (the one file that is not an extent) is then picked.
 */
function VmdkUpload({ hostId, onUploaded }: { hostId: string; onUploaded: (s: Source) => void }) {
  const qc = useQueryClient();
  const pools = usePools(hostId);
  const filePools = (pools.data ?? []).filter((p) => p.state === 'running' && isFilePool(p.type));
  const [pool, setPool] = useState('');
  const target = pool || filePools[0]?.name || '';
  const input = useRef<HTMLInputElement>(null);
  const xhr = useRef<XMLHttpRequest | null>(null);
  const [files, setFiles] = useState<UploadState[]>([]);
  const busy = files.some((f) => f.status === 'sending');

  function send(file: File): Promise<UploadState> {
    return new Promise((resolve) => {
      const req = new XMLHttpRequest();
      xhr.current = req;
      const update = (s: Partial<UploadState>) => setFiles((all) => all.map((f) => (f.file === file.name ? { ...f, ...s } : f)));
      req.upload.onprogress = (e) => update({ sent: e.loaded });
      req.onload = () => {
        let message = '';
        try {
          const body = JSON.parse(req.responseText) as { error?: { message?: string } };
          message = body.error?.message ?? '';
        } catch {
          /* not JSON */
        }
        const s: UploadState = { file: file.name, sent: file.size, total: file.size, status: req.status < 300 ? 'done' : 'failed', message };
        update(s);
        resolve(s);
      };
      req.onerror = () => {
        update({ status: 'failed', message: 'the connection failed' });
        resolve({ file: file.name, sent: 0, total: file.size, status: 'failed' });
      };
      req.onabort = () => {
        update({ status: 'aborted' });
        resolve({ file: file.name, sent: 0, total: file.size, status: 'aborted' });
      };
      req.open('PUT', `${apiPaths.volume(hostId, target, file.name)}/content`);
      req.setRequestHeader('content-type', 'application/octet-stream');
      req.setRequestHeader(UPLOAD_HEADER, '1');
      req.send(file);
    });
  }

  async function start(list: File[]) {
    setFiles(list.map((f) => ({ file: f.name, sent: 0, total: f.size, status: 'sending' })));
    const results: UploadState[] = [];
    for (const f of list) {
      const r = await send(f);
      results.push(r);
      if (r.status !== 'done') break;
    }
    void qc.invalidateQueries({ queryKey: hostKeys.detail(hostId) });
    void qc.invalidateQueries({ queryKey: jobKeys.all });
    if (results.length === list.length && results.every((r) => r.status === 'done')) {
      const descriptor = list.find((f) => !descriptorNameOfExtent(f.name)) ?? list[0];
      if (descriptor) onUploaded({ pool: target, name: descriptor.name });
    }
  }

  return (
    <div className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
          Upload into pool
          <select
            className="mt-1 block w-80 rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-600 dark:bg-zinc-900"
            value={target}
            onChange={(e) => setPool(e.target.value)}
            aria-label="Upload into pool"
            disabled={busy}
          >
            {filePools.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} ({p.type}, {formatBytes(p.available)} free)
              </option>
            ))}
          </select>
        </label>
        <input
          ref={input}
          type="file"
          multiple
          accept=".vmdk"
          className="sr-only"
          aria-label="VMware disk files to upload"
          onChange={(e) => {
            const list = [...(e.target.files ?? [])];
            if (list.length) void start(list);
            e.target.value = '';
          }}
        />
        <Button onClick={() => input.current?.click()} disabled={busy || !target}>
          Choose .vmdk file(s)…
        </Button>
        {busy && (
          <Button kind="danger" onClick={() => xhr.current?.abort()}>
            Abort upload
          </Button>
        )}
      </div>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Streamed to the host with <span className="font-mono">virsh vol-upload</span> (nothing is held in memory). For a monolithicFlat or twoGbMaxExtent disk select the descriptor .vmdk and every -flat / -s00N / -f00N file
        together. An existing volume of the same name is not overwritten.
      </p>
      {files.length > 0 && (
        <ul className="space-y-1" aria-label="Uploads">
          {files.map((f) => (
            <li key={f.file} className="flex items-center gap-2 text-xs" role="status">
              <span className="w-48 truncate font-mono">{f.file}</span>
              <progress max={100} value={f.total ? (f.sent / f.total) * 100 : 0} aria-label={`Upload of ${f.file}`} className="h-2 w-40" />
              <span className="tabular-nums">
                {formatBytes(f.sent)} / {formatBytes(f.total)}
              </span>
              <Badge tone={f.status === 'done' ? 'good' : f.status === 'sending' ? 'info' : 'bad'}>{f.status}</Badge>
              {f.message && <span className="text-red-700 dark:text-red-400">{f.message}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What the server found: qemu-img info's vmdk facts, the descriptor's, the extents, and why it would refuse. */
export function InspectPanel({ source, inspect }: { source: Source; inspect: { data?: VmdkInspectDto; error: unknown; isFetching: boolean } }) {
  if (inspect.error) return <ErrorPanel title={`Could not inspect ${source.pool}/${source.name}`} error={inspect.error} />;
  const d = inspect.data;
  if (!d) return <Skeleton className="h-40 w-full" />;
  const i = d.info;
  const descSize = (d.descriptor?.extents ?? []).reduce((n, e) => n + e.sectors * 512, 0);
  const facts: Fact[] = [
    { term: 'Format (qemu-img)', value: i ? i.format : 'unreadable' },
    { term: 'Subformat', value: d.subformat ?? '—' },
    { term: 'Virtual size', value: i ? formatBytes(i.virtualSize) : descSize ? `${formatBytes(descSize)} (descriptor)` : undefined },
    // qemu-img's actual-size of a vmdk sums the descriptor and every extent file.
    { term: 'Size on disk', value: i?.actualSize != null ? `${formatBytes(i.actualSize)}${d.extents.some((e) => e.exists) ? ' (all files)' : ''}` : undefined },
    { term: 'Adapter type', value: d.adapterType ?? 'not recorded' },
    { term: 'Virtual HW version', value: d.hwVersion ?? undefined },
    { term: 'Cluster (grain) size', value: i?.clusterSize != null ? formatBytes(i.clusterSize) : undefined },
    { term: 'Parent (snapshot delta)', value: d.descriptor?.parentFileNameHint ?? 'none', mono: Boolean(d.descriptor?.parentFileNameHint) },
    { term: 'libvirt sees', value: d.volume.format ?? 'unknown' },
    { term: 'Used by', value: d.volume.usedBy.length ? d.volume.usedBy.join(', ') : 'no VM' },
  ];
  return (
    <section aria-label="Source disk" className={`space-y-3 ${inspect.isFetching ? 'opacity-70' : ''}`}>
      <h3 className="text-sm font-semibold">
        {source.pool}/{source.name}{' '}
        {d.ok ? <Badge tone="good">can be migrated</Badge> : <Badge tone="bad">cannot be migrated</Badge>}
      </h3>
      {d.problems.map((p) => (
        <Note key={p.code + p.message} tone={p.severity === 'block' ? 'danger' : p.severity === 'warn' ? 'warn' : 'info'}>
          <span role={p.severity === 'block' ? 'alert' : undefined}>
            <strong>{p.severity === 'block' ? 'Refused' : p.severity === 'warn' ? 'Note' : 'Info'}:</strong> {p.message}
          </span>
        </Note>
      ))}
      <Facts label="qemu-img info of the source" columns={2} items={facts} />
      {d.extents.length > 0 && (
        <div className={t.wrap}>
          <table className={t.table} aria-label="Extent files">
            <TableHead columns={['Extent file', 'Type', 'Covers', 'On the host']} />
            <tbody>
              {d.extents.map((e) => (
                <tr key={e.path} className={t.tr}>
                  <td className={`${t.td} font-mono text-xs`}>{e.path}</td>
                  <td className={t.td}>{e.type || (e.compressed ? 'sparse, compressed grains' : 'sparse')}</td>
                  <td className={`${t.td} tabular-nums`}>{e.virtualSize != null ? formatBytes(e.virtualSize) : '—'}</td>
                  <td className={t.td}>
                    {e.outside ? (
                      <Badge tone="bad">outside the pool</Badge>
                    ) : e.exists === false ? (
                      <Badge tone="bad">missing</Badge>
                    ) : (
                      <span className="tabular-nums">{e.exists === null ? 'the file itself' : `present${e.size != null ? ` · ${formatBytes(e.size)}` : ''}`}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d.infoError && <CodePanel title="qemu-img info said" code={d.infoError} maxHeight="8rem" />}
      <details className="text-sm">
        <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Descriptor and the commands that read it</summary>
        <div className="mt-2 space-y-2">
          {d.descriptor && <CodePanel title="vmdk descriptor" code={d.descriptor.text.trim()} maxHeight="16rem" />}
          <CodePanel title="Commands run (read-only)" code={d.commands.join('\n')} maxHeight="10rem" />
        </div>
      </details>
    </section>
  );
}
