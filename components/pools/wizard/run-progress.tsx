'use client';

import Link from 'next/link';
import type { StepDto } from '@/lib/api/pools';
import { operationFailure, type JobDto } from '@/lib/schemas';
import { pageHrefs } from '@/lib/api/paths';
import { ErrorPanel } from '@/components/ui/error-panel';

export interface RunState {
  phase: 'running' | 'done' | 'failed' | 'refused';
  planned: StepDto[];
  steps: StepDto[];
  error?: unknown;
}

const idOf = (s: StepDto) => s.id ?? s.title;
const isUndo = (s: StepDto) => idOf(s).startsWith('undo-');

/** The run as the create job reports it: its steps as they finish; at the end its outcome. */
export function runFromJob(started: RunState, job: JobDto): RunState {
  const failure = operationFailure(job.error?.detail);
  const steps = job.steps.length ? job.steps : failure ? [...failure.stepsDone, failure.failedStep, ...failure.undone] : ((job.result as { steps?: StepDto[] } | null)?.steps ?? []);
  if (job.state === 'succeeded') return { ...started, phase: 'done', steps };
  if (job.state === 'queued' || job.state === 'running') return { ...started, phase: 'running', steps };
  return { ...started, phase: steps.some((s) => s.ok === false && !isUndo(s)) ? 'failed' : 'refused', steps, error: job.error };
}

const icon = (s: 'pending' | 'running' | 'ok' | 'failed') =>
  ({ pending: '○', running: '◌', ok: '✓', failed: '✗' })[s];

/** Each step as it runs: define, build, start, autostart; then the undo steps if one failed. */
export function RunProgress({ hostId, name, run }: { hostId: string; name: string; run: RunState }) {
  const doneIds = new Set(run.steps.map(idOf));
  const firstPending = run.planned.find((p) => !doneIds.has(idOf(p)));
  const failed = run.steps.find((s) => s.ok === false && !isUndo(s));
  const rows: Array<{ key: string; title: string; command: string; status: 'pending' | 'running' | 'ok' | 'failed'; step?: StepDto }> = [
    ...run.planned.map((p) => {
      const r = run.steps.find((s) => idOf(s) === idOf(p));
      const status = r ? (r.ok ? 'ok' : 'failed') : run.phase === 'running' && p === firstPending ? 'running' : 'pending';
      return { key: idOf(p), title: p.title, command: p.command, status, step: r } as const;
    }),
    ...run.steps.filter((s) => !isUndo(s) && !run.planned.some((p) => idOf(p) === idOf(s))).map((s) => ({ key: idOf(s), title: s.title, command: s.command, status: s.ok ? 'ok' : 'failed', step: s }) as const),
    ...run.steps.filter(isUndo).map((s) => ({ key: idOf(s), title: `Undo: ${s.title}`, command: s.command, status: s.ok ? 'ok' : 'failed', step: s }) as const),
  ];
  return (
    <section aria-label="Progress" className="space-y-3">
      <ol className="space-y-1.5" aria-label="Steps">
        {rows.map((r) => (
          <li key={r.key} aria-label={`${r.title}: ${r.status === 'pending' && failed ? 'skipped' : r.status}`} className="rounded-md border border-zinc-200 px-3 py-2 text-sm dark:border-zinc-700">
            <div className="flex items-center gap-2">
              <span aria-hidden className={`w-4 text-center font-bold ${r.status === 'ok' ? 'text-emerald-700' : r.status === 'failed' ? 'text-red-700' : r.status === 'running' ? 'animate-pulse text-sky-700' : 'text-zinc-400'}`}>
                {icon(r.status)}
              </span>
              <span className="font-medium">{r.title}</span>
              {r.status === 'pending' && failed && <span className="text-xs text-zinc-500">(not run)</span>}
            </div>
            <p className="mt-0.5 ml-6 font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{r.command}</p>
            {r.step?.output && <pre className="mt-1 ml-6 font-mono text-xs whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{r.step.output}</pre>}
            {r.step?.error && <pre className="mt-1 ml-6 rounded bg-red-50 p-1.5 font-mono text-xs whitespace-pre-wrap text-red-800 dark:bg-red-950/50 dark:text-red-300">{r.step.error}</pre>}
          </li>
        ))}
      </ol>
      {run.phase === 'done' && (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-200">
          Pool <strong>{name}</strong> was created.{' '}
          <Link href={pageHrefs.pool(hostId, name)} className="font-medium underline">
            Open pool {name}
          </Link>
        </div>
      )}
      {run.phase === 'failed' && failed && (
        <ErrorPanel title={`“${failed.title}” failed — the pool was not created`} error={{ message: failed.error ?? 'failed', detail: { command: failed.command, stderr: failed.error } }}>
          {run.steps.some(isUndo) ? (
            <p>
              What had been done was undone ({run.steps.filter(isUndo).map((s) => s.title.toLowerCase()).join(', ')}
              {run.steps.some((s) => isUndo(s) && !s.ok) ? ' — but an undo step failed: check the host' : ''}). The form keeps your input: fix it and try again.
            </p>
          ) : (
            <p>Nothing had been changed on the host. The form keeps your input: fix it and try again.</p>
          )}
        </ErrorPanel>
      )}
      {(run.phase === 'refused' || (run.phase === 'failed' && !failed)) && <ErrorPanel title="The pool was not created" error={run.error} />}
    </section>
  );
}
