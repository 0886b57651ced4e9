'use client';

import { useAuditVerify } from '@/lib/api/audit';
import { btn } from '@/components/ui/styles';
import { Cmd } from '@/components/ui/empty-state';

/**
 * The hash chain's state, visible: "Chain intact · N records", or in red where it breaks and
 * why (a record edited or deleted in the database after it was written).
 */
export function ChainState() {
  const q = useAuditVerify();
  const again = (
    <button type="button" className={btn.small} onClick={() => void q.refetch()} disabled={q.isFetching}>
      {q.isFetching ? 'Verifying…' : 'Verify again'}
    </button>
  );
  if (q.isPending)
    return (
      <p role="status" className="text-sm text-zinc-500">
        Verifying the chain…
      </p>
    );
  if (q.error)
    return (
      <p role="alert" className="flex items-center gap-2 text-sm text-red-700 dark:text-red-400">
        Could not verify the chain: {q.error.message} {again}
      </p>
    );
  const v = q.data;
  if (v.intact)
    return (
      <p role="status" aria-label="Chain state" className="flex flex-wrap items-center gap-2 text-sm">
        <span className="inline-flex items-center gap-1.5 font-medium text-emerald-800 dark:text-emerald-300" title={v.firstSeq != null ? `Records ${v.firstSeq}–${v.lastSeq}: each one's hash covers the one before` : undefined}>
          <svg viewBox="0 0 16 16" className="size-4" aria-hidden="true">
            <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2" />
          </svg>
          Chain intact · {v.records} {v.records === 1 ? 'record' : 'records'}
        </span>
        {again}
      </p>
    );
  return (
    <div role="alert" aria-label="Chain state" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200">
      <p className="flex flex-wrap items-center gap-2 font-semibold">
        Chain broken at record {v.brokenAt?.seq}: {v.brokenAt?.reason} {again}
      </p>
      <p className="mt-1 text-red-900/90 dark:text-red-200/90">
        A record was changed or removed in the database after it was written; records from there on cannot be trusted. Check with <Cmd>npm run audit -- verify</Cmd> on the server, and
        compare with an earlier export.
      </p>
    </div>
  );
}
