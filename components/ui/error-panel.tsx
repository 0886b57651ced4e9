import type { ReactNode } from 'react';
import { commandDetail } from '@/lib/api/errors';
import { operationFailure } from '@/lib/schemas';

interface ErrorLike {
  code?: string;
  message: string;
  status?: number;
  detail?: unknown;
  digest?: string;
}

function toErrorLike(error: unknown): ErrorLike {
  if (error && typeof error === 'object' && 'message' in error && typeof (error as { message: unknown }).message === 'string') {
    const e = error as ErrorLike;
    return { code: e.code, message: e.message, status: e.status, detail: e.detail, digest: e.digest };
  }
  return { message: String(error) };
}

/**
 * How every failure is shown: one sentence saying what went wrong (the server's message), then,
 * collapsed, what the console ran and what the host said (command, exit code, stderr).
 */
export function ErrorPanel({ error, title, children }: { error: unknown; title?: string; children?: ReactNode }) {
  const e = toErrorLike(error);
  const d = commandDetail(e.detail);
  // A failed operation (server/operations): the steps done before the failure and what was undone, as lists.
  const op = operationFailure(e.detail);
  const restKeys = Object.keys(d.rest).filter((k) => !op || !['failedStep', 'stepsDone', 'undone', 'timedOut'].includes(k));
  const hasDetail = Boolean(d.command || d.stderr || d.exitCode !== undefined || restKeys.length || e.digest || e.code);
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200">
      {title && <p className="font-semibold">{title}</p>}
      <p className={title ? 'mt-0.5' : 'font-medium'}>{e.message}</p>
      {children && <div className="mt-2 text-red-900/90 dark:text-red-200/90">{children}</div>}
      {op && (op.stepsDone.length > 0 || op.undone.length > 0) && (
        <div className="mt-2 space-y-1 text-xs" aria-label="Steps of the failed operation">
          {op.stepsDone.length > 0 && <p>Done before it: {op.stepsDone.map((s) => s.title).join('; ')}.</p>}
          {op.undone.length > 0 && (
            <p>
              Undone: {op.undone.map((s) => `${s.title}${s.ok ? '' : ' (failed — check the host)'}`).join('; ')}.
            </p>
          )}
        </div>
      )}
      {hasDetail && (
        <details className="mt-2">
          <summary className="cursor-pointer text-xs font-medium text-red-800 select-none dark:text-red-300">Details</summary>
          <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-xs">
            {e.code && <Row term="Code" value={e.code + (e.status ? ` (HTTP ${e.status})` : '')} />}
            {d.command && <Row term="Command" value={d.command} mono />}
            {d.exitCode !== undefined && <Row term="Exit code" value={String(d.exitCode)} />}
            {e.digest && <Row term="Digest" value={e.digest} mono />}
            {restKeys.map((k) => (
              <Row key={k} term={k} value={typeof d.rest[k] === 'string' ? (d.rest[k] as string) : JSON.stringify(d.rest[k], null, 2)} mono />
            ))}
          </dl>
          {d.stderr && (
            <>
              <p className="mt-2 text-xs font-medium">stderr</p>
              <pre className="mt-1 max-h-64 overflow-auto rounded bg-red-100/70 p-2 font-mono text-xs whitespace-pre-wrap dark:bg-black/40">
                {d.stderr}
              </pre>
            </>
          )}
        </details>
      )}
    </div>
  );
}

function Row({ term, value, mono }: { term: string; value: string; mono?: boolean }) {
  return (
    <>
      <dt className="font-medium">{term}</dt>
      <dd className={`min-w-0 break-words whitespace-pre-wrap ${mono ? 'font-mono' : ''}`}>{value}</dd>
    </>
  );
}
