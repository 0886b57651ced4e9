'use client';

import { useState } from 'react';
import { cancelJob, useJobs } from '@/lib/api/jobs';
import { useGates } from '@/lib/api/me';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { PageHeader } from '@/components/ui/page-header';
import { BodySkeleton } from '@/components/ui/skeleton';
import { tableCls as t } from '@/components/ui/table';
import { cancellable, jobTone, ProgressBar, stateLabel } from './job-progress';

/** Every job, newest first, from the database: live progress, cancel, outcome after reloads and restarts. */
export function JobsView() {
  const q = useJobs();
  const gate = useGates();
  const [err, setErr] = useState<unknown>(null);
  return (
    <>
      <PageHeader kicker="Long operations" title="Jobs">
        {q.data && (
          <span>
            {q.data.filter((j) => j.state === 'running').length} running · {q.data.filter((j) => j.state === 'queued').length} queued · {q.data.length} listed
          </span>
        )}
      </PageHeader>
      {err != null && <ErrorPanel title="Could not cancel the job" error={err} />}
      {q.error ? (
        <ErrorPanel title="Could not list the jobs" error={q.error} />
      ) : !q.data ? (
        <BodySkeleton label="Loading jobs" />
      ) : q.data.length === 0 ? (
        <EmptyState title="No jobs yet">
          <p>Convert, wipe, clone, check, upload and download run as jobs; they appear here.</p>
        </EmptyState>
      ) : (
        <div className={t.wrap}>
          <table className={t.table} aria-label="Jobs">
            <thead className={t.thead}>
              <tr>
                <th scope="col" className={t.th}>Job</th>
                <th scope="col" className={t.th}>Host</th>
                <th scope="col" className={t.th}>State</th>
                <th scope="col" className={`${t.th} w-72`}>Progress</th>
                <th scope="col" className={t.th}>Started</th>
                <th scope="col" className={t.th}>Duration</th>
                <th scope="col" className={t.th}><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {q.data.map((j) => (
                <tr key={j.id} className={t.tr}>
                  <th scope="row" className={`${t.td} max-w-md text-left font-medium whitespace-normal`}>
                    {j.title}
                    <span className="block truncate font-mono text-[0.6875rem] font-normal text-zinc-500" title={j.command}>
                      {j.command}
                    </span>
                    {j.error && j.state !== 'cancelled' && <span className="block text-xs font-normal text-red-700 dark:text-red-400">{j.error.message}</span>}
                  </th>
                  <td className={t.td}>{j.hostId}</td>
                  <td className={t.td}>
                    <Badge tone={jobTone(j.state)}>{stateLabel(j)}</Badge>
                  </td>
                  <td className={`${t.td} w-72`}>
                    <ProgressBar job={j} />
                  </td>
                  <td className={`${t.td} tabular-nums`}>{j.createdAt.slice(0, 19).replace('T', ' ')}</td>
                  <td className={`${t.td} tabular-nums`}>{duration(j.startedAt, j.finishedAt)}</td>
                  <td className={t.td}>
                    {cancellable(j) && gate(j.hostId, 'DELETE /api/jobs/[job]').show && (
                      <button
                        type="button"
                        disabled={gate(j.hostId, 'DELETE /api/jobs/[job]').disabled}
                        title={gate(j.hostId, 'DELETE /api/jobs/[job]').why ?? undefined}
                        aria-label={`Cancel ${j.title}`}
                        className="h-7 rounded border border-red-300 px-2 text-xs font-medium text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-300"
                        onClick={() => cancelJob(j.id).then(() => q.refetch(), setErr)}
                      >
                        Cancel
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function duration(from: string | null, to: string | null): string {
  if (!from) return '—';
  const s = Math.max(0, Math.round(((to ? Date.parse(to) : Date.now()) - Date.parse(from)) / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
