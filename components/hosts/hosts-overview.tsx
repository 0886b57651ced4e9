'use client';

import Link from 'next/link';
import { useHosts } from '@/lib/api/hosts';
import { usePools } from '@/lib/api/pools';
import { pageHrefs } from '@/lib/api/paths';
import { formatBytes, formatCount, formatPercent } from '@/lib/format';
import { naturalCompare } from '@/lib/natural-sort';
import type { HostDto } from '@/lib/schemas';
import { CapacityBar } from '@/components/ui/capacity-bar';
import { Cmd, EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Facts } from '@/components/ui/facts';
import { PageHeader } from '@/components/ui/page-header';
import { BodySkeleton } from '@/components/ui/skeleton';
import { STATUS_LABEL, StatusDot } from '@/components/ui/status-dot';
import { HostProblem } from './host-problem';

/** Overview: every host's state and capacity at a glance. */
export function HostsOverview() {
  const hosts = useHosts();
  if (hosts.isPending || hosts.error)
    return (
      <>
        <PageHeader title="Overview" />
        {hosts.error ? <ErrorPanel title="Could not list the hosts" error={hosts.error} /> : <BodySkeleton label="Loading hosts" />}
      </>
    );
  const list = hosts.data;
  const ok = list.filter((h) => h.status === 'ok');
  const capacity = ok.reduce((s, h) => s + (h.capacity ?? 0), 0);
  const allocation = ok.reduce((s, h) => s + (h.allocation ?? 0), 0);
  return (
    <>
      <PageHeader
        title="Overview"
        aside={
          list.length > 0 && <CapacityBar caption="All running pools" label="Capacity of all running pools on all hosts" allocation={allocation} capacity={capacity} />
        }
      >
        <span>
          {list.length} {list.length === 1 ? 'host' : 'hosts'}, {ok.length} connected
        </span>
        {list.length > 0 && <span>· {formatBytes(capacity - allocation)} available in running pools</span>}
      </PageHeader>
      {list.length === 0 ? (
        <NoHosts />
      ) : (
        <ul aria-label="Hosts" className="grid grid-cols-1 gap-4 xl:grid-cols-2">
          {list.map((h) => (
            <HostCard key={h.id} host={h} />
          ))}
        </ul>
      )}
    </>
  );
}

function HostCard({ host }: { host: HostDto }) {
  const ok = host.status === 'ok';
  return (
    <li aria-label={host.id} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="flex items-center gap-2 text-base font-semibold">
            <StatusDot status={host.status} />
            <Link href={pageHrefs.host(host.id)} className="truncate hover:underline">
              {host.id}
            </Link>
          </h2>
          <p className="truncate text-xs text-zinc-500 dark:text-zinc-400" title={host.name}>
            {host.name} · {host.transport === 'local' ? 'local' : host.address} · {host.uri}
          </p>
        </div>
        <span className={`shrink-0 text-xs font-medium ${ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}>
          {STATUS_LABEL[host.status]}
        </span>
      </div>
      {ok ? (
        <>
          <div className="mt-3">
            <CapacityBar label={`Capacity of running pools on ${host.id}`} allocation={host.allocation ?? 0} capacity={host.capacity ?? 0} />
          </div>
          <div className="mt-2">
            <Facts
              label={`Facts about ${host.id}`}
              items={[
                { term: 'libvirt', value: host.libvirtVersion },
                { term: 'QEMU', value: host.qemuVersion },
                { term: 'Pools (running / all)', value: count(host.activePoolCount, host.poolCount) },
                { term: 'VMs (running / all)', value: count(host.runningVmCount, host.vmCount) },
                { term: 'Volumes', value: host.volumeCount != null ? formatCount(host.volumeCount) : undefined },
                { term: 'Available', value: host.available != null ? formatBytes(host.available) : undefined },
              ]}
            />
          </div>
          <HostPools hostId={host.id} />
        </>
      ) : (
        <div className="mt-3">
          <HostProblem host={host} />
        </div>
      )}
    </li>
  );
}

function count(part: number | undefined, all: number | undefined) {
  if (all == null) return undefined;
  return part != null ? `${part} / ${all}` : String(all);
}

/** Each pool's fill in one line: the team lead's glance. */
function HostPools({ hostId }: { hostId: string }) {
  const pools = usePools(hostId);
  if (!pools.data || pools.data.length === 0) return null;
  const sorted = [...pools.data].sort((a, b) => naturalCompare(a.name, b.name));
  return (
    <table className="mt-3 w-full table-fixed text-xs" aria-label={`Pools on ${hostId}`}>
      <thead className="sr-only">
        <tr>
          <th scope="col">Pool</th>
          <th scope="col">Fill</th>
          <th scope="col">Used</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((p) => (
          <tr key={p.name} className="h-6">
            <td className="w-36 truncate pr-2">
              <Link href={pageHrefs.pool(hostId, p.name)} className="hover:underline">
                {p.name}
              </Link>
            </td>
            <td>
              {p.state === 'running' ? (
                <CapacityBar label={`Pool ${p.name} capacity`} allocation={p.allocation} capacity={p.capacity} showText={false} />
              ) : (
                <span className="text-zinc-500">{p.state}</span>
              )}
            </td>
            <td className="w-24 text-right tabular-nums text-zinc-600 dark:text-zinc-400">
              {p.state === 'running' ? formatPercent(p.allocation, p.capacity) + ' of ' + formatBytes(p.capacity) : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NoHosts() {
  return (
    <EmptyState title="No hosts in the inventory">
      <p>
        The console reads its hosts from the JSON file named by <Cmd>KSC_INVENTORY</Cmd>. Add a host there (id, name, SSH address, port, user,
        libvirt URI such as <Cmd>qemu:///system</Cmd>, and its pinned host key), then reload this page.
      </p>
      <p>
        No KVM host at hand? <Cmd>npm run lab:up</Cmd> turns this machine into a lab host — libvirt, sshd, seeded pools, volumes and VMs — and
        writes <Cmd>lab/state/hosts.json</Cmd>. Then start the console with <Cmd>KSC_INVENTORY=lab/state/hosts.json npm run dev</Cmd>.
      </p>
    </EmptyState>
  );
}
