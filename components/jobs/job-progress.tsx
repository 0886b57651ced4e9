'use client';

import { useEffect, useState } from 'react';
import { cancelJob, useJobStream } from '@/lib/api/jobs';
import { useGates } from '@/lib/api/me';
import { formatBytes } from '@/lib/format';
import { TERMINAL_STATES, type JobDto } from '@/lib/schemas';
import { Badge, type Tone } from '@/components/ui/badge';
import { ErrorPanel } from '@/components/ui/error-panel';

export const jobTone = (s: JobDto['state']): Tone =>
  s === 'succeeded' ? 'good' : s === 'failed' ? 'bad' : s === 'running' || s === 'queued' ? 'info' : 'warn';

/** The state as people read it: a queued job says how many jobs of its host are ahead of it. */
export const stateLabel = (j: JobDto): string =>
  j.state === 'queued' && j.queuedAhead !== null ? `queued — ${j.queuedAhead} ahead` : j.state;

/** Queued and running jobs can be cancelled (a queued one simply leaves the line). */
export const cancellable = (j: JobDto): boolean => j.state === 'running' || j.state === 'queued';

/** Bytes per second since the job started, measured on the client as updates arrive. */
function useRate(job: JobDto): number | null {
  const [now, setNow] = useState<number | null>(null);
  const done = job.bytesDone;
  const running = job.state === 'running';
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  if (!job.startedAt || !done) return null;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  if (end === null) return null;
  const s = (end - Date.parse(job.startedAt)) / 1000;
  return s > 0 ? done / s : null;
}

/** A progress bar with percentage, bytes and rate; indeterminate when the tool reports none. */
export function ProgressBar({ job }: { job: JobDto }) {
  const pct = job.progress;
  const rate = useRate(job);
  return (
    <div className="min-w-0">
      <div
        role="progressbar"
        aria-label={`Progress of ${job.title}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-valuetext={job.state === 'queued' ? 'queued' : pct === null ? 'working' : `${pct.toFixed(1)}%`}
        className="h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700"
      >
        <div
          className={`h-full rounded-full ${job.state === 'failed' ? 'bg-red-600' : job.state === 'succeeded' ? 'bg-emerald-600' : 'bg-sky-600'} ${pct === null && job.state === 'running' ? 'animate-pulse' : ''}`}
          style={{ width: `${pct === null ? (job.state === 'running' ? 100 : 0) : pct}%` }}
        />
      </div>
      <p className="mt-1 flex justify-between gap-2 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
        <span>
          {job.state === 'queued'
            ? `waiting for a free slot on ${job.hostId}${job.queuedAhead !== null ? ` (${job.queuedAhead} ahead)` : ''}`
            : pct === null
              ? job.state === 'running'
                ? 'working (no progress reported)'
                : ''
              : `${pct.toFixed(1)}%`}
        </span>
        <span>
          {job.bytesDone != null && `${formatBytes(job.bytesDone)}${job.bytesTotal ? ` of ${formatBytes(job.bytesTotal)}` : ''}`}
          {rate && job.state === 'running' ? ` · ${formatBytes(rate)}/s` : ''}
        </span>
      </p>
    </div>
  );
}

/** A job started from a panel, followed live over SSE, with a cancel button. */
export function JobProgress({ jobId, onDone }: { jobId: string; onDone?: (job: JobDto) => void }) {
  const job = useJobStream(jobId);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const [notified, setNotified] = useState(false);
  const gate = useGates();
  if (job && TERMINAL_STATES.includes(job.state) && !notified) {
    setNotified(true);
    onDone?.(job);
  }
  if (!job) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Starting job…</p>;
  return (
    <div className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800" aria-label={`Job ${job.title}`}>
      <div className="flex items-center justify-between gap-2">
        <p className="truncate text-sm font-medium">{job.title}</p>
        <div className="flex items-center gap-2">
          <Badge tone={jobTone(job.state)}>{stateLabel(job)}</Badge>
          {cancellable(job) && gate(job.hostId, 'DELETE /api/jobs/[job]').show && (
            <button
              type="button"
              className="h-7 rounded border border-red-300 px-2 text-xs font-medium text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-300"
              onClick={() => cancelJob(job.id).catch(setCancelError)}
            >
              Cancel job
            </button>
          )}
        </div>
      </div>
      <ProgressBar job={job} />
      {job.error && job.state !== 'cancelled' && <ErrorPanel title="The job failed" error={job.error} />}
      {cancelError != null && <ErrorPanel title="Could not cancel" error={cancelError} />}
    </div>
  );
}
