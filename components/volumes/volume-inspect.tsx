'use client';

import { useState } from 'react';
import { compareVolumes, useVolumeMap, volumeOperation } from '@/lib/api/volume-ops';
import { useVolumes } from '@/lib/api/volumes';
import { formatBytes } from '@/lib/format';
import type { CheckResult, VolumeDto } from '@/lib/schemas';
import { Badge } from '@/components/ui/badge';
import { ErrorPanel } from '@/components/ui/error-panel';
import { formCls as f } from './form-cls';
import { OperationRunner } from './operation-runner';

/** qemu-img check: verdict, leaks, corruptions; repair offered only when no running VM holds the image. */
export function CheckPanel({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const [repair, setRepair] = useState('');
  const [result, setResult] = useState<CheckResult | null>(null);
  return (
    <OperationRunner
      hostId={hostId}
      label="Check"
      body={() => ({ ...(repair ? { repair } : {}), job: v.allocation > 4 * 1024 ** 3 })}
      call={async (b) => {
        const r = await volumeOperation(hostId, v.pool, v.name, 'check', b);
        if (r.result) setResult(r.result as CheckResult);
        return r;
      }}
    >
      <label className={f.label}>
        Repair
        <select className={f.input} value={repair} onChange={(e) => setRepair(e.target.value)} aria-label="Repair">
          <option value="">no — only check</option>
          <option value="leaks">leaks (-r leaks)</option>
          <option value="all">all (-r all)</option>
        </select>
      </label>
      {result && (
        <div role="status" className="flex flex-wrap items-center gap-2 text-sm">
          <Badge tone={result.verdict === 'clean' ? 'good' : result.verdict === 'unsupported' ? 'neutral' : 'bad'}>{result.verdict}</Badge>
          <span>
            {result.corruptions} corruptions · {result.leaks} leaked clusters · {result.checkErrors} errors
            {result.allocatedClusters !== null && result.totalClusters !== null && ` · ${result.allocatedClusters}/${result.totalClusters} clusters allocated`}
          </span>
          {result.message && <span className="text-zinc-600 dark:text-zinc-400">{result.message}</span>}
        </div>
      )}
    </OperationRunner>
  );
}

export function ComparePanel({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const vols = useVolumes(hostId, v.pool);
  const [other, setOther] = useState('');
  const [res, setRes] = useState<{ identical: boolean; message: string; command: string } | null>(null);
  const [err, setErr] = useState<unknown>(null);
  return (
    <div className="space-y-3">
      <label className={f.label}>
        Compare with
        <select className={f.input} value={other} onChange={(e) => setOther(e.target.value)} aria-label="Compare with">
          <option value="">choose a volume in {v.pool}</option>
          {(vols.data ?? []).filter((x) => x.name !== v.name).map((x) => (
            <option key={x.name}>{x.name}</option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className={f.primary}
        disabled={!other}
        onClick={() => {
          setErr(null);
          compareVolumes(hostId, v.pool, v.name, { other: { pool: v.pool, name: other } }).then(setRes, setErr);
        }}
      >
        Compare
      </button>
      {res && (
        <p role="status" className="text-sm">
          <Badge tone={res.identical ? 'good' : 'warn'}>{res.identical ? 'identical' : 'different'}</Badge> {res.message} <span className="font-mono text-xs text-zinc-500">{res.command}</span>
        </p>
      )}
      {err != null && <ErrorPanel title="Compare failed" error={err} />}
    </div>
  );
}

const KIND = {
  data: { fill: '#0284c7', label: 'data in this image' },
  backing: { fill: '#a78bfa', label: 'data from a backing file' },
  zero: { fill: '#d4d4d8', label: 'zeroes' },
  hole: { fill: '#f4f4f5', label: 'unallocated' },
};

/** `qemu-img map` as a picture: one strip, left = offset 0, right = the virtual size. */
export function AllocationMap({ hostId, v }: { hostId: string; v: VolumeDto }) {
  const [on, setOn] = useState(false);
  const q = useVolumeMap(hostId, v.pool, v.name, on);
  if (!on)
    return (
      <button type="button" className={f.button} onClick={() => setOn(true)}>
        Show allocation map
      </button>
    );
  if (q.error) return <ErrorPanel title="qemu-img map failed" error={q.error} />;
  if (!q.data) return <p className="text-sm text-zinc-600">Reading the map…</p>;
  const m = q.data;
  const total = m.virtualSize || 1;
  const kindOf = (e: (typeof m.extents)[number]) => (e.data ? (e.depth > 0 ? 'backing' : 'data') : e.zero ? 'zero' : 'hole');
  const sums = { data: 0, backing: 0, zero: 0, hole: 0 };
  for (const e of m.extents) sums[kindOf(e)] += e.length;
  return (
    <figure className="space-y-2">
      <svg role="img" aria-label={`Allocation map of ${v.name}`} viewBox="0 0 1000 28" preserveAspectRatio="none" className="h-8 w-full rounded border border-zinc-200 dark:border-zinc-700">
        {m.extents.map((e, i) => (
          <rect key={i} x={(e.start / total) * 1000} y={0} width={Math.max(0.5, (e.length / total) * 1000)} height={28} fill={KIND[kindOf(e)].fill}>
            <title>{`${formatBytes(e.start)} – ${formatBytes(e.start + e.length)}: ${KIND[kindOf(e)].label}${e.depth > 0 ? ` (depth ${e.depth})` : ''}`}</title>
          </rect>
        ))}
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        {(Object.keys(KIND) as Array<keyof typeof KIND>).map((k) => (
          <span key={k} className="flex items-center gap-1">
            <span aria-hidden="true" className="inline-block size-3 rounded-sm border border-zinc-300" style={{ background: KIND[k].fill }} />
            {KIND[k].label}: {formatBytes(sums[k])}
          </span>
        ))}
        <span className="font-mono">{m.command}</span>
        {m.merged && <span>(extents merged to fit)</span>}
      </figcaption>
    </figure>
  );
}
