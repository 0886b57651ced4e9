'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { pageHrefs } from '@/lib/api/paths';
import { useHost } from '@/lib/api/hosts';
import { usePool } from '@/lib/api/pools';
import { useVolumes } from '@/lib/api/volumes';
import { formatBytes, formatRatio } from '@/lib/format';
import { ObjectHistory } from '@/components/audit/object-history';
import { Badge, stateTone } from '@/components/ui/badge';
import { CapacityBar } from '@/components/ui/capacity-bar';
import { Cmd, EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { PageHeader } from '@/components/ui/page-header';
import { BodySkeleton, Skeleton } from '@/components/ui/skeleton';
import { Tabs } from '@/components/ui/tabs';
import { replaceSearchParams } from '@/components/ui/url-state';
import { NewVolumeButton } from '@/components/volumes/new-volume-button';
import { VolumeTable } from '@/components/volumes/volume-table';
import { PoolActions } from './pool-actions';
import { PoolDetails } from './pool-details';
import { PoolXmlEditor } from './pool-xml-editor';

const TABS = [
  { id: 'volumes', label: 'Volumes' },
  { id: 'details', label: 'Details' },
  { id: 'xml', label: 'XML' },
  { id: 'history', label: 'History' },
];

/** Pool page: header (state, type, autostart, capacity), tabs Volumes | Details | XML | History. */
export function PoolView({ hostId, poolName }: { hostId: string; poolName: string }) {
  const pool = usePool(hostId, poolName);
  const host = useHost(hostId);
  const running = pool.data?.pool.state === 'running';
  const volumes = useVolumes(hostId, poolName, { enabled: running });
  const search = useSearchParams();
  const tab = TABS.find((t) => t.id === search.get('tab'))?.id ?? 'volumes';
  const router = useRouter();

  if (pool.isPending || pool.error)
    return (
      <>
        <PageHeader kicker={`Pool on ${hostId}`} title={poolName} />
        {pool.error ? (
          <ErrorPanel title={`Could not read pool ${poolName} on ${hostId}`} error={pool.error} />
        ) : (
          <BodySkeleton label={`Loading pool ${poolName}`} />
        )}
      </>
    );
  const p = pool.data.pool;
  const over = p.volumeCapacity != null && p.capacity > 0 && p.volumeCapacity > p.capacity;

  return (
    <>
      <PageHeader
        kicker={`Pool on ${hostId}`}
        title={p.name}
        aside={
          running ? (
            <CapacityBar caption="Allocation" label={`Pool ${p.name} capacity`} allocation={p.allocation} capacity={p.capacity} provisioned={p.volumeCapacity} className="w-80" />
          ) : undefined
        }
      >
        <Badge tone={stateTone(p.state)}>{p.state}</Badge>
        <Badge>{p.type}</Badge>
        <Badge tone={p.autostart ? 'info' : 'neutral'}>{p.autostart ? 'autostart' : 'no autostart'}</Badge>
        {!p.persistent && <Badge tone="warn">transient</Badge>}
        {running && <span className="tabular-nums">{formatBytes(p.available)} available</span>}
        {over && p.volumeCapacity != null && (
          <span className="font-medium text-red-700 dark:text-red-400">
            · volumes promise {formatBytes(p.volumeCapacity)} ({formatRatio(p.volumeCapacity, p.capacity)} the pool)
          </span>
        )}
      </PageHeader>
      <div className="-mt-2 mb-4">
        <PoolActions hostId={hostId} pool={p} onDeleted={() => router.push(pageHrefs.host(hostId))} />
      </div>
      <Tabs tabs={TABS} selected={tab} onSelect={(id) => replaceSearchParams({ tab: id === 'volumes' ? null : id })} label={`Pool ${p.name}`}>
        {tab === 'history' ? (
          <ObjectHistory hostId={hostId} kind="pool" object={p.name} />
        ) : tab === 'xml' ? (
          <PoolXmlEditor hostId={hostId} pool={p.name} />
        ) : tab === 'details' ? (
          <PoolDetails pool={p} xml={pool.data.xml} uri={host.data?.uri} />
        ) : !running ? (
          <EmptyState title={`Pool ${p.name} is ${p.state}`}>
            <p>
              Its volumes are unknown until it runs. Start it with <Cmd>virsh pool-start {p.name}</Cmd>
              {!p.autostart && (
                <>
                  {' '}
                  (and <Cmd>virsh pool-autostart {p.name}</Cmd> to start it at boot)
                </>
              )}
              .
            </p>
          </EmptyState>
        ) : volumes.isPending ? (
          <Skeleton className="h-64 w-full" />
        ) : volumes.error ? (
          <ErrorPanel title={`Could not list the volumes in ${p.name}`} error={volumes.error} />
        ) : volumes.data.length === 0 ? (
          <EmptyState title="No volumes in this pool">
            <NewVolumeButton hostId={hostId} pool={p.name} />
            <p>
              Create one with <Cmd>virsh vol-create-as {p.name} disk1.qcow2 10G --format qcow2</Cmd>, or copy an image into{' '}
              <Cmd>{p.target.path ?? 'the pool directory'}</Cmd> and run <Cmd>virsh pool-refresh {p.name}</Cmd>.
            </p>
          </EmptyState>
        ) : (
          <VolumeTable hostId={hostId} pool={p.name} volumes={volumes.data} />
        )}
      </Tabs>
    </>
  );
}
