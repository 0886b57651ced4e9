'use client';

import Link from 'next/link';
import { useAuditLog } from '@/lib/api/audit';
import { pageHrefs } from '@/lib/api/paths';
import { HISTORY_KINDS } from '@/lib/schemas/audit';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Skeleton } from '@/components/ui/skeleton';
import { AuditRecords } from './audit-records';
import { LoadOlder } from './load-older';

const WHAT: Record<keyof typeof HISTORY_KINDS, string> = {
  pool: 'this pool and its volumes',
  volume: 'this volume and its internal snapshots',
  vm: 'this VM, its disks and its snapshots',
};

/**
 * The History tab of a pool, volume or VM page: the audit records of that object (and what is
 * under it: a pool's volumes, a VM's disks and snapshots), newest first, each with its commands.
 * `object` is the path the audit log records: `pool`, `pool/volume`, `vm`.
 */
export function ObjectHistory({ hostId, kind, object }: { hostId: string; kind: keyof typeof HISTORY_KINDS; object: string }) {
  const filters = { host: hostId, object, kind: HISTORY_KINDS[kind].join(',') };
  const q = useAuditLog(filters, { limit: 50 });
  const records = q.data?.pages.flatMap((p) => p.records) ?? [];
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-xs text-zinc-600 dark:text-zinc-400">
        <p className="min-w-0 flex-1">Changes to {WHAT[kind]} made through the console, newest first, with the commands they ran. Changes made on the host directly (virsh, qemu-img) are not recorded.</p>
        <Link href={pageHrefs.audit(filters)} className="shrink-0 font-medium text-sky-700 hover:underline dark:text-sky-400">
          Open in the audit log
        </Link>
      </div>
      {q.error ? (
        <ErrorPanel title="Could not read the history" error={q.error} />
      ) : !q.data ? (
        <Skeleton className="h-40 w-full" />
      ) : records.length === 0 ? (
        <EmptyState title="No recorded changes">
          <p>Writes made here — and refused ones — will be listed with the user, the result and the exact commands.</p>
        </EmptyState>
      ) : (
        <>
          <AuditRecords records={records} label={`History of ${object}`} showHost={false} />
          <LoadOlder q={q} />
        </>
      )}
    </div>
  );
}
