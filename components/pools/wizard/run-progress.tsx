'use client';

import Link from 'next/link';
import type { StepDto } from '@/lib/api/pools';
import { pageHrefs } from '@/lib/api/paths';
import { ErrorPanel } from '@/components/ui/error-panel';

export interface RunState {
  phase: 'running' | 'done' | 'failed' | 'refused';
  planned: StepDto[];
  steps: StepDto[];
  error?: unknown;
}

const icon = (s: 'pending' | 'running' | 'ok' | 'failed') =>
  ({ pending: '○', running: '◌', ok: '✓', failed: '✗' })[s];

/** Each step as it runs: define, build, start, autostart; then the undo steps if one failed. */
export function RunProgress({ hostId, name, run }: { hostId: string; name: string; run: RunState }) {
  const doneIds = new Set(run.steps.map((s) => s.id));
  const firstPending = run.planned.find((p) => !doneIds.has(p.id));
  const failed = run.steps.find((s) => s.ok === false && !s.id.startsWith('undo-'));
  const rows: Array<{ key: string; title: string; command: string; status: 'pending' | 'running' | 'ok' | 'failed'; step?: StepDto }> = [
    ...run.planned.map((p) => {
      const r = run.steps.find((s) => s.id === p.id);
      const status = r ? (r.ok ? 'ok' : 'failed') : run.phase === 'running' && p === firstPending ? 'running' : 'pending';
      return { key: p.id, title: p.title, command: p.command, status, step: r } as const;
    }),
    ...run.steps.filter((s) => !s.id.startsWith('undo-') && !run.planned.some((p) => p.id === s.id)).map((s) => ({ key: s.id, title: s.title, command: s.command, status: s.ok ? 'ok' : 'failed', step: s }) as const),
    ...run.steps.filter((s) => s.id.startsWith('undo-')).map((s) => ({ key: s.id, title: `Undo: ${s.title}`, command: s.command, status: s.ok ? 'ok' : 'failed', step: s }) as const),
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
          {run.steps.some((s) => s.id.startsWith('undo-')) ? (
            <p>
              What had been done was undone ({run.steps.filter((s) => s.id.startsWith('undo-')).map((s) => s.title.toLowerCase()).join(', ')}
              {run.steps.some((s) => s.id.startsWith('undo-') && !s.ok) ? ' — but an undo step failed: check the host' : ''}). The form keeps your input: fix it and try again.
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
