'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useGateFor } from '@/lib/api/me';
import { pageHrefs } from '@/lib/api/paths';
import { formatBytes } from '@/lib/format';
import type { DiskDetailDto, DomainDetailDto } from '@/lib/schemas';
import { Badge } from '@/components/ui/badge';
import { TableHead, tableCls as t } from '@/components/ui/table';
import { AttachDialog } from './attach-dialog';
import { DetachDialog } from './detach-dialog';
import { btn } from '@/components/ui/dialog';
import { MediaDialog } from './media-dialog';

/** The VM's disks: how each is attached, where its data lives, and the chain of images beneath it. */
export function DisksView({ hostId, dom }: { hostId: string; dom: DomainDetailDto }) {
  // ?attachPool=P&attachVol=V[&attachBus=B] (e.g. from the VMware migration) opens the attach dialog with that volume (and bus) picked.
  const search = useSearchParams();
  const attachPool = search.get('attachPool');
  const attachVol = search.get('attachVol');
  const attachBus = search.get('attachBus');
  const preset = attachPool && attachVol ? { pool: attachPool, volume: attachVol, ...(attachBus ? { bus: attachBus } : {}) } : null;
  const [attachOpen, setAttachOpen] = useState(preset !== null);
  const [detach, setDetach] = useState<DiskDetailDto | null>(null);
  const [media, setMedia] = useState<DiskDetailDto | null>(null);
  const gate = useGateFor(hostId);
  const attach = gate('POST /api/hosts/[host]/domains/[vm]/disks');
  const detachGate = gate('DELETE /api/hosts/[host]/domains/[vm]/disks/[target]');
  const mediaGate = gate('PUT /api/hosts/[host]/domains/[vm]/disks/[target]/media');
  return (
    <section aria-label="Disks">
      <div className="mb-2 flex items-center justify-between">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {dom.disks.length} {dom.disks.length === 1 ? 'disk' : 'disks'} · <span title="Live: in the running VM. Persistent: in its configuration.">live / persistent shown per disk</span>
        </p>
        {attach.show && (
          <button type="button" className={btn.primary} onClick={() => setAttachOpen(true)} disabled={attach.disabled} title={attach.why ?? undefined}>
            Attach disk…
          </button>
        )}
      </div>
      <div className={t.wrap}>
        <table className={t.table} aria-label={`Disks of ${dom.domain.name}`}>
          <TableHead columns={['Target', 'Bus · device', 'Source', 'Format', 'Cache', 'Flags', 'Defined', 'Backing chain', '']} />
          <tbody>
            {dom.disks.map((d) => (
              <tr key={d.target} className={`${t.tr} align-top`}>
                <th scope="row" className={`${t.td} font-mono text-xs font-semibold`}>
                  {d.target}
                </th>
                <td className={t.td}>
                  {d.bus ?? '—'} <span className="text-zinc-500">{d.device}</span>
                </td>
                <td className={`${t.td} max-w-[15rem]`}>
                  <Source hostId={hostId} d={d} />
                </td>
                <td className={t.td}>{d.format ?? '—'}</td>
                <td className={t.td}>
                  {d.cache ?? 'default'}
                  {d.io ? ` · io=${d.io}` : ''}
                  {d.discard ? ` · discard=${d.discard}` : ''}
                </td>
                <td className={t.td}>
                  <span className="flex flex-wrap gap-1">
                    {d.readonly && <Badge>read-only</Badge>}
                    {d.shareable && <Badge tone="info">shareable</Badge>}
                    {d.serial && <Badge>serial {d.serial}</Badge>}
                    {!d.readonly && !d.shareable && !d.serial && '—'}
                  </span>
                </td>
                <td className={t.td}>
                  <span className="flex gap-1">
                    {d.inLive && <Badge tone="good">live</Badge>}
                    {d.inConfig && <Badge>persistent</Badge>}
                    {d.inLive && !d.inConfig && <Badge tone="warn" title="Gone at the next VM stop">live only</Badge>}
                    {!d.inLive && d.inConfig && dom.domain.state === 'running' && <Badge tone="warn" title="Appears at the next start">next boot</Badge>}
                  </span>
                </td>
                <td className={`${t.td} min-w-[10rem] whitespace-normal`}>
                  <Chain hostId={hostId} d={d} />
                </td>
                <td className={t.td}>
                  <span className="flex gap-1">
                    {mediaGate.show && d.device === 'cdrom' && (
                      <button type="button" className={btn.small} onClick={() => setMedia(d)} disabled={mediaGate.disabled} title={mediaGate.why ?? undefined}>
                        {d.source ? 'Eject…' : 'Insert…'}
                      </button>
                    )}
                    {detachGate.show && (
                      <button type="button" className={btn.smallDanger} onClick={() => setDetach(d)} disabled={detachGate.disabled} title={detachGate.why ?? undefined} aria-label={`Detach ${d.target}`}>
                        Detach…
                      </button>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {attachOpen && attach.show && !attach.disabled && <AttachDialog hostId={hostId} dom={dom} open={attachOpen} onClose={() => setAttachOpen(false)} initial={preset} />}
      {detach && <DetachDialog hostId={hostId} dom={dom} disk={detach} onClose={() => setDetach(null)} />}
      {media && <MediaDialog hostId={hostId} vm={dom.domain.name} disk={media} running={dom.domain.state === 'running'} onClose={() => setMedia(null)} />}
    </section>
  );
}

function Source({ hostId, d }: { hostId: string; d: DiskDetailDto }) {
  if (!d.source) return <span className={t.muted}>{d.device === 'cdrom' ? 'empty drive' : '—'}</span>;
  return (
    <span className="block min-w-0">
      {d.volumePool && d.volumeName ? (
        <Link href={pageHrefs.volume(hostId, d.volumePool, d.volumeName)} className={t.link}>
          {d.volumePool}/{d.volumeName}
        </Link>
      ) : (
        <span className="text-zinc-500">not in a pool</span>
      )}
      <span className="block truncate font-mono text-[0.6875rem] text-zinc-500" title={d.source}>
        {d.source}
      </span>
    </span>
  );
}

/** The images under the disk, top (what the VM writes) to base; qemu-img's internal snapshots noted per image. */
function Chain({ hostId, d }: { hostId: string; d: DiskDetailDto }) {
  if (d.chainError) return <span className="text-xs text-amber-700 dark:text-amber-400" title={d.chainError}>chain unreadable: {d.chainError.split('\n')[0]}</span>;
  if (d.chain.length === 0) return <span className={t.muted}>—</span>;
  return (
    <ol aria-label={`Backing chain of ${d.target}`} className="flex flex-wrap items-center gap-1 text-xs">
      {d.chain.map((img, i) => (
        <li key={img.path} className="flex items-center gap-1">
          {i > 0 && <span aria-hidden="true" className="text-zinc-400">→</span>}
          <span className="rounded border border-zinc-200 px-1 py-px dark:border-zinc-700" title={`${img.path}\n${img.format ?? ''} · ${img.virtualSize ? formatBytes(img.virtualSize) : ''}`}>
            {img.pool && img.volume ? (
              <Link href={pageHrefs.volume(hostId, img.pool, img.volume)} className={t.link}>
                {img.volume}
              </Link>
            ) : (
              <span className="font-mono">{img.path.split('/').pop()}</span>
            )}
            <span className="text-zinc-500"> {i === 0 ? '(top)' : i === d.chain.length - 1 ? '(base)' : ''}</span>
            {img.imageSnapshots.length > 0 && (
              <span className="ml-1 text-sky-700 dark:text-sky-400" title="qcow2 internal snapshots stored in this image (qemu-img snapshot -l)">
                snapshots: {img.imageSnapshots.join(', ')}
              </span>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
