'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { guardOf, routeGuardError } from '@/lib/api/errors';
import { hostKeys, jobKeys } from '@/lib/api/keys';
import type { OperationResult } from '@/lib/schemas';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { TypedConfirm } from '@/components/ui/typed-confirm';
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
      setPreview(null);
      routeGuardError(e, setGuard, setError);
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
      routeGuardError(e, setGuard, setError);
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
        <TypedConfirm confirmWith={guard.confirmWith} value={confirm} onChange={setConfirm} guard={guard}>
          <p className={f.hint}>Then preview again and run.</p>
        </TypedConfirm>
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
