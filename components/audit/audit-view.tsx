'use client';

import { auditExportHref, useAuditLog } from '@/lib/api/audit';
import { useHosts } from '@/lib/api/hosts';
import { AUDIT_FILTERS } from '@/lib/schemas/audit';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { PageHeader } from '@/components/ui/page-header';
import { BodySkeleton } from '@/components/ui/skeleton';
import { buttonCls } from '@/components/ui/styles';
import { useDebounced } from '@/components/ui/use-debounced';
import { AuditFilterBar, useAuditFilterState } from './audit-filters';
import { AuditRecords } from './audit-records';
import { ChainState } from './chain-state';
import { LoadOlder } from './load-older';

/** The Audit page: who ran what, on which host, with the exact commands; the chain's state; exports. */
export function AuditView() {
  const [filters, update, clear] = useAuditFilterState();
  // The query follows the filters once typing pauses; the URL follows every key.
  const applied = useDebounced(filters, 300);
  const q = useAuditLog(applied, { refetchInterval: 15_000 });
  const hosts = useHosts();
  const records = q.data?.pages.flatMap((p) => p.records) ?? [];
  const filtered = AUDIT_FILTERS.some((k) => applied[k]);
  return (
    <>
      <PageHeader
        kicker="Who ran what"
        title="Audit log"
        aside={
          <div className="flex justify-end gap-2" role="group" aria-label="Export the listed filters">
            <a href={auditExportHref(applied, 'csv')} download className={buttonCls('secondary')}>
              Export CSV
            </a>
            <a href={auditExportHref(applied, 'json')} download className={buttonCls('secondary')}>
              Export JSON
            </a>
          </div>
        }
      />
      <div className="-mt-3 mb-3">
        <ChainState />
      </div>
      <div className="mb-3">
        <AuditFilterBar filters={filters} onChange={update} onClear={clear} hosts={hosts.data?.map((h) => h.id) ?? []} />
      </div>
      {q.error ? (
        <ErrorPanel title="Could not read the audit log" error={q.error} />
      ) : !q.data ? (
        <BodySkeleton label="Loading the audit log" />
      ) : records.length === 0 ? (
        <EmptyState title={filtered ? 'No records match these filters' : 'No records yet'}>
          <p>
            Every write made through the console — and every refused one — is recorded with the commands it ran, as are sign-ins and changes to users and tokens. You see the records of
            the hosts you can read.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="mb-1.5 text-xs text-zinc-600 dark:text-zinc-400">
            {records.length} {records.length === 1 ? 'record' : 'records'} listed, newest first{q.hasNextPage ? '; older ones below' : ''}. Open a record to see its commands.
          </p>
          <AuditRecords records={records} label="Audit records" />
          <LoadOlder q={q} />
        </>
      )}
    </>
  );
}
