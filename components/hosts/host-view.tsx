'use client';

import Link from 'next/link';
import { useHost } from '@/lib/api/hosts';
import { useGate } from '@/lib/api/me';
import { newPoolHref, usePools } from '@/lib/api/pools';
import { pageHrefs } from '@/lib/api/paths';
import { migrateVmdkHref } from '@/lib/api/vmdk-migration';
import { formatBytes, formatCount } from '@/lib/format';
import { CapacityBar } from '@/components/ui/capacity-bar';
import { Cmd, EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Facts } from '@/components/ui/facts';
import { PageHeader, Section } from '@/components/ui/page-header';
import { BodySkeleton, Skeleton } from '@/components/ui/skeleton';
import { STATUS_LABEL, StatusDot } from '@/components/ui/status-dot';
import { PoolsTable } from '@/components/pools/pools-table';
import { GatedLink } from '@/components/auth/gated-link';
import { HostProblem } from './host-problem';
import { buttonCls } from '@/components/ui/styles';

/** Host page: summary (versions, counts, capacity), then its pools. */
export function HostView({ hostId }: { hostId: string }) {
  const host = useHost(hostId);
  const ok = host.data?.status === 'ok';
  const pools = usePools(hostId, { enabled: ok });
  if (host.isPending || host.error)
    return (
      <>
        <PageHeader kicker="Host" title={hostId} />
        {host.error ? <ErrorPanel title={`Could not read host ${hostId}`} error={host.error} /> : <BodySkeleton label={`Loading host ${hostId}`} />}
      </>
    );
  const h = host.data;
  return (
    <>
      <PageHeader
        kicker="Host"
        title={h.id}
        aside={ok && <CapacityBar caption="Running pools" label={`Capacity of running pools on ${h.id}`} allocation={h.allocation ?? 0} capacity={h.capacity ?? 0} />}
      >
        <span className="flex items-center gap-1.5">
          <StatusDot status={h.status} />
          {STATUS_LABEL[h.status]}
        </span>
        <span>· {h.name}</span>
        <span>· {h.transport === 'local' ? 'local' : h.address}</span>
        <span>
          · <Link href={pageHrefs.vms(h.id)} className="text-sky-700 hover:underline dark:text-sky-400">VMs</Link>
        </span>
      </PageHeader>
      {!ok ? (
        <HostProblem host={h} />
      ) : (
        <>
          <Facts
            label={`Summary of ${h.id}`}
            columns={3}
            items={[
              { term: 'Hostname', value: h.hostname },
              { term: 'libvirt', value: h.libvirtVersion },
              { term: 'QEMU', value: h.qemuVersion },
              { term: 'URI', value: h.uri, mono: true },
              { term: 'Pools (running / all)', value: h.poolCount != null ? `${h.activePoolCount ?? '?'} / ${h.poolCount}` : undefined },
              { term: 'VMs (running / all)', value: h.vmCount != null ? `${h.runningVmCount ?? '?'} / ${h.vmCount}` : undefined },
              { term: 'Volumes', value: h.volumeCount != null ? formatCount(h.volumeCount) : undefined },
              { term: 'Capacity', value: h.capacity != null ? formatBytes(h.capacity) : undefined },
              { term: 'Available', value: h.available != null ? formatBytes(h.available) : undefined },
            ]}
          />
          <Section
            title="Storage pools"
            actions={
              <span className="flex gap-2">
                <MigrateLink hostId={h.id} />
                <NewPoolLink hostId={h.id} />
              </span>
            }
          >
            {pools.isPending ? (
              <Skeleton className="h-40 w-full" />
            ) : pools.error ? (
              <ErrorPanel title={`Could not list the pools on ${h.id}`} error={pools.error} />
            ) : pools.data.length === 0 ? (
              <NoPools />
            ) : (
              <PoolsTable hostId={h.id} pools={pools.data} />
            )}
          </Section>
        </>
      )}
    </>
  );
}

function MigrateLink({ hostId }: { hostId: string }) {
  const gate = useGate(hostId, 'POST /api/hosts/[host]/pools/[pool]/volumes/[volume]/vmdk/[action]', { action: 'convert' });
  return (
    <GatedLink gate={gate} href={migrateVmdkHref(hostId)} className="rounded border border-zinc-300 bg-white px-3 py-1 text-sm font-medium text-zinc-800 hover:bg-zinc-50 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100">
      Migrate from VMware…
    </GatedLink>
  );
}

function NewPoolLink({ hostId }: { hostId: string }) {
  const gate = useGate(hostId, 'POST /api/hosts/[host]/pools');
  return (
    <GatedLink gate={gate} href={newPoolHref(hostId)} className={buttonCls('primary')}>
      New pool
    </GatedLink>
  );
}

function NoPools() {
  return (
    <EmptyState title="No pools on this host">
      <p>
        Create one with <Cmd>virsh pool-define-as images dir --target /var/lib/libvirt/images</Cmd>, then{' '}
        <Cmd>virsh pool-build images</Cmd>, <Cmd>virsh pool-start images</Cmd> and <Cmd>virsh pool-autostart images</Cmd>. It appears here on the
        next refresh.
      </p>
    </EmptyState>
  );
}
