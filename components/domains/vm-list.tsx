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
        <ul aria-label={`VMs on ${hostId}`} className="space-y-4">
          {list.map((d) => (
            <VmCard key={d.uuid} hostId={hostId} domain={d} locate={locate} />
          ))}
        </ul>
      )}
    </>
  );
}

function VmCard({ hostId, domain: d, locate }: { hostId: string; domain: DomainDto; locate: (path: string) => string | null }) {
  return (
    <li id={`vm-${encodeURIComponent(d.name)}`} aria-label={d.name} className="scroll-mt-4 rounded-md border border-zinc-200 dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">{d.name}</h2>
        <Badge tone={stateTone(d.state)}>{d.state}</Badge>
        {!d.persistent && <Badge tone="warn">transient</Badge>}
        <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
          {d.vcpus} vCPU · {formatBytes(d.memory)} memory · {d.disks.length === 1 ? '1 disk' : `${d.disks.length} disks`}
        </span>
        <span className="ml-auto font-mono text-[0.6875rem] text-zinc-500">{d.uuid}</span>
      </div>
      {d.disks.length === 0 ? (
        <p className="px-3 py-2 text-sm text-zinc-600 dark:text-zinc-400">No disks.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className={t.table} aria-label={`Disks of ${d.name}`}>
            <thead>
              <tr>
                <th scope="col" className={t.th}>Target</th>
                <th scope="col" className={t.th}>Device</th>
                <th scope="col" className={t.th}>Bus</th>
                <th scope="col" className={t.th}>Type</th>
                <th scope="col" className={t.th}>Format</th>
                <th scope="col" className={t.th}>Cache</th>
                <th scope="col" className={`${t.th} w-full`}>Source</th>
                <th scope="col" className={t.th}>Flags</th>
              </tr>
            </thead>
            <tbody>
              {d.disks.map((disk) => (
                <tr key={disk.target} className={t.tr}>
                  <th scope="row" className={`${t.td} text-left font-mono text-xs font-medium`}>{disk.target}</th>
                  <td className={t.td}>{disk.device}</td>
                  <td className={t.td}>{disk.bus ?? '—'}</td>
                  <td className={t.td}>{disk.type}</td>
                  <td className={t.td}>{disk.format ?? '—'}</td>
                  <td className={t.td}>{disk.cache ?? 'default'}</td>
                  <td className={`${t.td} max-w-0 truncate font-mono text-xs`} title={disk.source ?? undefined}>
                    <DiskSource hostId={hostId} disk={disk} locate={locate} />
                  </td>
                  <td className={t.td}>{[disk.readonly && 'read-only', disk.shareable && 'shareable'].filter(Boolean).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
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
