'use client';

import Link from 'next/link';
import { useDomains } from '@/lib/api/domains';
import { useHost } from '@/lib/api/hosts';
import { pageHrefs } from '@/lib/api/paths';
import { formatBytes } from '@/lib/format';
import { naturalCompare } from '@/lib/natural-sort';
import type { DiskDto, DomainDto } from '@/lib/schemas';
import { Badge, stateTone } from '@/components/ui/badge';
import { Cmd, EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { PageHeader } from '@/components/ui/page-header';
import { BodySkeleton } from '@/components/ui/skeleton';
import { tableCls as t } from '@/components/ui/table';
import { HostProblem } from '@/components/hosts/host-problem';
import { useLocateVolume } from '@/components/volumes/use-locate-volume';

/** The host's VMs with their state and disks (read-only). */
export function VmList({ hostId }: { hostId: string }) {
  const host = useHost(hostId);
  const ok = host.data?.status === 'ok';
  const domains = useDomains(hostId, { enabled: ok });
  const locate = useLocateVolume(hostId);

  const header = (
    <PageHeader kicker={`Host ${hostId}`} title="Virtual machines">
      {domains.data && (
        <span>
          {domains.data.length} defined, {domains.data.filter((d) => d.state === 'running').length} running
        </span>
      )}
    </PageHeader>
  );
  const body = host.isPending ? (
    <BodySkeleton label={`Loading VMs on ${hostId}`} />
  ) : host.error ? (
    <ErrorPanel title={`Could not read host ${hostId}`} error={host.error} />
  ) : !ok ? (
    <HostProblem host={host.data} />
  ) : domains.isPending ? (
    <BodySkeleton label={`Loading VMs on ${hostId}`} />
  ) : domains.error ? (
    <ErrorPanel title={`Could not list the VMs on ${hostId}`} error={domains.error} />
  ) : null;
  if (body || !domains.data)
    return (
      <>
        {header}
        {body}
      </>
    );
  const list = [...domains.data].sort((a, b) => naturalCompare(a.name, b.name));
  return (
    <>
      {header}
      {list.length === 0 ? (
        <EmptyState title="No VMs on this host">
          <p>
            Define one with <Cmd>virt-install --import --disk path=IMAGE.qcow2 …</Cmd> or <Cmd>virsh define VM.xml</Cmd>; it appears here with its disks.
          </p>
        </EmptyState>
      ) : (
        <div className={t.wrap}>
          <table className={t.table} aria-label={`VMs on ${hostId}`}>
            <thead className={t.thead}>
              <tr>
                <th scope="col" className={t.th}>Name</th>
                <th scope="col" className={t.th}>State</th>
                <th scope="col" className={t.thNum}>vCPUs</th>
                <th scope="col" className={t.thNum}>Memory</th>
                <th scope="col" className={t.thNum}>Disks</th>
                <th scope="col" className={`${t.th} w-full`}>Disk sources</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <VmRow key={d.uuid} hostId={hostId} domain={d} locate={locate} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function VmRow({ hostId, domain: d, locate }: { hostId: string; domain: DomainDto; locate: (path: string) => string | null }) {
  return (
    <tr id={`vm-${encodeURIComponent(d.name)}`} className={t.tr}>
      <th scope="row" className={`${t.td} text-left`}>
        <Link href={pageHrefs.vm(hostId, d.name)} className={t.link}>
          {d.name}
        </Link>
        {!d.persistent && (
          <span className="ml-1">
            <Badge tone="warn">transient</Badge>
          </span>
        )}
      </th>
      <td className={t.td}>
        <Badge tone={stateTone(d.state)}>{d.state}</Badge>
      </td>
      <td className={t.tdNum}>{d.vcpus}</td>
      <td className={t.tdNum}>{formatBytes(d.memory)}</td>
      <td className={t.tdNum}>{d.disks.length}</td>
      <td className={`${t.td} max-w-0 truncate font-mono text-xs`}>
        {d.disks.length === 0
          ? '—'
          : d.disks.map((disk, i) => (
              <span key={disk.target}>
                {i > 0 && ' · '}
                <span className="text-zinc-500">{disk.target}:</span> <DiskSource hostId={hostId} disk={disk} locate={locate} />
              </span>
            ))}
      </td>
    </tr>
  );
}

function DiskSource({ hostId, disk, locate }: { hostId: string; disk: DiskDto; locate: (path: string) => string | null }) {
  if (!disk.source) return <span className={t.muted}>{disk.device === 'cdrom' ? 'empty drive' : '—'}</span>;
  const href =
    disk.sourcePool && disk.sourceVolume
      ? pageHrefs.volume(hostId, disk.sourcePool, disk.sourceVolume)
      : disk.type === 'file' || disk.type === 'block'
        ? locate(disk.source)
        : null;
  return href ? (
    <Link href={href} className={t.link}>
      {disk.source}
    </Link>
  ) : (
    <>{disk.source}</>
  );
}
