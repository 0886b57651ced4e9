'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { guardOf } from '@/lib/api/errors';
import { hostKeys, jobKeys } from '@/lib/api/keys';
import type { OperationResult } from '@/lib/schemas';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { JobProgress } from '@/components/jobs/job-progress';
import { formCls as f } from './form-cls';

/**
 * Preview → (typed confirmation when the server names a hazard) → run. The preview is the
 * server's dry run, so the commands shown are the ones that run. A guarded operation's 409
 * names the hazard and what would be hurt; the Run button stays disabled until the name the
 * server asks for is typed exactly.
 */
export function OperationRunner(props: {
  hostId: string;
  label: string;
  /** The request body without dryRun/confirm; a string is a form error to show instead. */
  body: () => Record<string, unknown> | string;
  call: (body: Record<string, unknown>) => Promise<OperationResult>;
  danger?: boolean;
  children?: ReactNode;
  onDone?: () => void;
}) {
  const qc = useQueryClient();
  const [preview, setPreview] = useState<OperationResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [guard, setGuard] = useState<ReturnType<typeof guardOf>>(null);
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<OperationResult | null>(null);

  const build = () => {
    const b = props.body();
    if (typeof b === 'string') {
      setError(new Error(b));
      return null;
    }
    return { ...b, ...(guard && confirm ? { confirm } : {}) };
  };
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: hostKeys.detail(props.hostId) });
    void qc.invalidateQueries({ queryKey: jobKeys.all });
  };

  async function onPreview() {
    const b = build();
    if (!b) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setPreview(await props.call({ ...b, dryRun: true }));
    } catch (e) {
      const g = guardOf(e);
      setPreview(null);
      if (g) setGuard(g);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function onRun() {
    const b = build();
    if (!b) return;
    setBusy(true);
    setError(null);
    try {
      const r = await props.call(b);
      setDone(r);
      setPreview(null);
      setGuard(null);
      setConfirm('');
      refresh();
      if (!r.jobId) props.onDone?.();
    } catch (e) {
      const g = guardOf(e);
      if (g) setGuard(g);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  const confirmed = !guard || confirm === guard.confirmWith;
  return (
    <div className="space-y-3">
      {props.children}
      <div className="flex flex-wrap gap-2">
        <button type="button" className={f.button} onClick={onPreview} disabled={busy}>
          Preview {props.label.toLowerCase()}
        </button>
        <button type="button" className={props.danger || guard ? f.danger : f.primary} onClick={onRun} disabled={busy || !preview || !confirmed}>
          {props.label}
        </button>
      </div>
      {guard && (
        <div role="alert" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100">
          <p className="font-semibold">Refused without confirmation ({guard.code})</p>
          <p>{guard.message}</p>
          {guard.affected != null && <Affected value={guard.affected} />}
          <label className={f.label}>
            Type <span className="font-mono">{guard.confirmWith}</span> to confirm
            <input className={f.input} value={confirm} onChange={(e) => setConfirm(e.target.value)} aria-label={`Type ${guard.confirmWith} to confirm`} autoComplete="off" />
          </label>
          <p className={f.hint}>Then preview again and run.</p>
        </div>
      )}
      {preview && (
        <div className="space-y-2">
          {preview.warnings.map((w) => (
            <p key={w} className="text-sm text-amber-800 dark:text-amber-300">
              ⚠ {w}
            </p>
          ))}
          <CodePanel title="Commands this will run" code={preview.steps.map((s) => `# ${s.title}\n${s.command}`).join('\n')} />
          {preview.xml && <CodePanel title="XML (on stdin)" code={preview.xml} />}
        </div>
      )}
      {error != null && <ErrorPanel title={`${props.label} failed`} error={error} />}
      {done?.jobId && <JobProgress jobId={done.jobId} onDone={refresh} />}
      {done && !done.jobId && (
        <div role="status" className="space-y-2">
          <p className="text-sm font-medium text-emerald-800 dark:text-emerald-300">Done.</p>
          <CodePanel title="What ran" code={done.steps.map((s) => `$ ${s.command}${s.output ? `\n${s.output}` : ''}`).join('\n')} maxHeight="12rem" />
        </div>
      )}
    </div>
  );
}

function Affected({ value }: { value: unknown }) {
  if (Array.isArray(value))
    return (
      <ul className="list-disc pl-5">
        {value.map((v, i) => {
          const d = v as { pool?: string; name?: string; path?: string; usedBy?: string[] };
          return (
            <li key={i} className="font-mono text-xs">
              {d.pool && d.name ? `${d.pool}/${d.name}` : (d.path ?? JSON.stringify(v))}
              {d.usedBy?.length ? ` (used by ${d.usedBy.join(', ')})` : ''}
            </li>
          );
        })}
      </ul>
    );
  return <pre className="overflow-auto font-mono text-xs">{JSON.stringify(value, null, 1)}</pre>;
}
