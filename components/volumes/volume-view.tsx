'use client';

import { useSearchParams } from 'next/navigation';
import { useEffect } from 'react';
import { useCanWrite, useGate } from '@/lib/api/me';
import { migrateVmdkHref } from '@/lib/api/vmdk-migration';
import { useVolume } from '@/lib/api/volumes';
import { formatBytes, formatCount } from '@/lib/format';
import type { ImageInfoDto, VolumeDto } from '@/lib/schemas';
import { ObjectHistory } from '@/components/audit/object-history';
import { GatedLink } from '@/components/auth/gated-link';
import { Badge } from '@/components/ui/badge';
import { CapacityBar } from '@/components/ui/capacity-bar';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Facts, type Fact } from '@/components/ui/facts';
import { PageHeader, Section } from '@/components/ui/page-header';
import { BodySkeleton } from '@/components/ui/skeleton';
import { Tabs } from '@/components/ui/tabs';
import { replaceSearchParams } from '@/components/ui/url-state';
import { YesNo } from '@/components/ui/yes-no';
import { BackingChain } from './backing-chain';
import { Qcow2SnapshotTimeline } from './qcow2-snapshot-timeline';
import { DownloadLink } from './transfer';
import { AllocationMap } from './volume-inspect';
import { isVolumeOp, VolumeOperations } from './volume-operations';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'history', label: 'History' },
];

/** Volume page: qemu-img facts, the backing chain with overlays and VMs, snapshots, XML; its history (audit records) in a tab. */
export function VolumeView({ hostId, pool, vol }: { hostId: string; pool: string; vol: string }) {
  const q = useVolume(hostId, pool, vol);
  // ?op=resize (from the volume table's row menu) opens that operation's form and brings it into view.
  const search = useSearchParams();
  const opParam = search.get('op');
  const tab = TABS.find((t) => t.id === search.get('tab'))?.id ?? 'overview';
  const initialOp = isVolumeOp(opParam) ? opParam : undefined;
  const loaded = q.data !== undefined;
  const canWrite = useCanWrite(hostId);
  const migrate = useGate(hostId, 'POST /api/hosts/[host]/pools/[pool]/volumes/[volume]/vmdk/[action]', { action: 'convert' });
  useEffect(() => {
    if (loaded && initialOp) document.getElementById('operations')?.scrollIntoView({ block: 'start' });
  }, [loaded, initialOp]);
  if (q.isPending || q.error)
    return (
      <>
        <PageHeader kicker={`Volume in pool ${pool} on ${hostId}`} title={vol} />
        {q.error ? <ErrorPanel title={`Could not read volume ${vol} in pool ${pool}`} error={q.error} /> : <BodySkeleton label={`Loading volume ${vol}`} />}
      </>
    );
  const d = q.data;
  const v = d.volume;
  const img = d.chain[0];
  return (
    <>
      <PageHeader
        kicker={`Volume in pool ${pool} on ${hostId}`}
        title={v.name}
        aside={<CapacityBar caption="Allocation" label={`Allocation of ${v.name}`} allocation={v.allocation} capacity={v.capacity} className="w-72" />}
      >
        {v.format && <Badge tone="info">{v.format}</Badge>}
        {v.encryption && <Badge tone="warn">{v.encryption.toUpperCase()}-encrypted</Badge>}
        <Badge>{v.type}</Badge>
        {v.usedBy.length > 0 && <Badge tone="good">in use by {v.usedBy.join(', ')}</Badge>}
        {d.overlays.length > 0 && <Badge tone="warn">{d.overlays.length === 1 ? '1 overlay' : `${d.overlays.length} overlays`} depend on it</Badge>}
        <span className="truncate font-mono text-xs">{v.path}</span>
        {(v.format === 'vmdk' || img?.format === 'vmdk' || /\.vmdk$/i.test(v.name)) && (
          <GatedLink gate={migrate} href={migrateVmdkHref(hostId, { pool, name: v.name })} className="rounded border border-sky-700 bg-sky-700 px-2 py-0.5 text-xs font-medium text-white hover:bg-sky-800">
            Migrate to qcow2…
          </GatedLink>
        )}
      </PageHeader>

      <Tabs tabs={TABS} selected={tab} onSelect={(id) => replaceSearchParams({ tab: id === 'overview' ? null : id })} label={`Volume ${v.name}`}>
        {tab === 'history' ? (
          <ObjectHistory hostId={hostId} kind="volume" object={`${pool}/${v.name}`} />
        ) : (
          <>
            <div className="grid grid-cols-1 gap-x-8 lg:grid-cols-2">
              <Section title="Image (qemu-img info)">
                {img ? <Facts label="qemu-img info" columns={1} items={imageFacts(img)} /> : <p className="text-sm text-zinc-600 dark:text-zinc-400">qemu-img gave no information for this volume.</p>}
                <h3 className="mt-4 mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">libvirt volume</h3>
                <Facts label="libvirt volume" columns={1} items={volumeFacts(v)} />
              </Section>
              <Section title="Backing chain">
                <BackingChain hostId={hostId} detail={d} />
              </Section>
            </div>

            {/* A viewer changes nothing and downloads nothing (lib/api/me.ts gateOf): no operations at all. */}
            {canWrite && (
              <Section id="operations" title="Operations" actions={<DownloadLink hostId={hostId} pool={pool} vol={v.name} />}>
                <VolumeOperations hostId={hostId} volume={v} initial={initialOp} />
              </Section>
            )}

            {v.encryption ? (
              <Section title="Internal snapshots and allocation map">
                <p className="text-sm text-zinc-600 dark:text-zinc-400">Not available for an encrypted image: qemu-img would need its key to read them.</p>
              </Section>
            ) : (
              <>
                <Section title="Internal snapshots">
                  <Qcow2SnapshotTimeline hostId={hostId} v={v} />
                </Section>

                <Section title="Allocation map">
                  <AllocationMap hostId={hostId} v={v} />
                </Section>
              </>
            )}

            <Section title="Volume XML">
              <CodePanel title={`virsh vol-dumpxml --pool ${pool} ${v.name}`} code={d.xml} />
            </Section>
          </>
        )}
      </Tabs>
    </>
  );
}

function imageFacts(i: ImageInfoDto): Fact[] {
  const facts: Fact[] = [
    { term: 'Format', value: i.format },
    { term: 'Virtual size', value: `${formatBytes(i.virtualSize)} (${formatCount(i.virtualSize)} bytes)` },
    { term: 'Disk size', value: i.actualSize != null ? formatBytes(i.actualSize) : undefined },
    { term: 'Cluster size', value: i.clusterSize != null ? formatBytes(i.clusterSize) : undefined },
    { term: 'Compat', value: i.compat ?? undefined },
    { term: 'Lazy refcounts', value: i.lazyRefcounts == null ? undefined : <YesNo value={i.lazyRefcounts} /> },
    { term: 'Compression', value: i.compressionType ?? undefined },
    { term: 'Encrypted', value: <YesNo value={i.encrypted} /> },
    { term: 'Dirty', value: <YesNo value={i.dirty} /> },
    { term: 'Corrupt', value: i.corrupt == null ? undefined : <YesNo value={i.corrupt} /> },
    { term: 'Backing file', value: i.backingFilename ?? 'none', mono: i.backingFilename != null },
  ];
  if (i.backingFilename) facts.push({ term: 'Backing format', value: i.backingFormat ?? 'not recorded (probed)' });
  return facts;
}

function volumeFacts(v: VolumeDto): Fact[] {
  return [
    { term: 'Capacity', value: formatBytes(v.capacity) },
    { term: 'Allocation', value: formatBytes(v.allocation) },
    { term: 'Physical', value: v.physical != null ? formatBytes(v.physical) : undefined },
    { term: 'Type', value: v.type },
    { term: 'Key', value: v.key, mono: true },
  ];
}
