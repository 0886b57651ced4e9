'use client';

import { useState } from 'react';
import { usePoolXml, usePoolXmlPut, type PoolXmlPutDto } from '@/lib/api/pools';
import { useGate } from '@/lib/api/me';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Skeleton } from '@/components/ui/skeleton';
import { hasChanges, lineDiff } from './line-diff';
import { Button } from '@/components/ui/button';
import { Note } from '@/components/ui/note';

/**
 * <capacity>, <allocation> and <available> are runtime figures: libvirt ignores them in
 * pool-define, and they change with every refresh. Left out of the editor and the diff.
 */
export const stripRuntime = (xml: string) => xml.replace(/^[ \t]*<(capacity|allocation|available)\b[^>]*>[^<]*<\/\1>[ \t]*\n/gm, '');

/**
 * The pool's XML (pool-dumpxml), and editing it: edit the persistent definition, review a diff
 * and the server's checks, then `pool-define` it. libvirt's verdict is shown verbatim.
 */
export function PoolXmlEditor({ hostId, pool }: { hostId: string; pool: string }) {
  const q = usePoolXml(hostId, pool, true);
  const put = usePoolXmlPut(hostId, pool);
  const [draft, setDraft] = useState<string | null>(null);
  const [review, setReview] = useState<PoolXmlPutDto | null>(null);
  const [applied, setApplied] = useState<PoolXmlPutDto | null>(null);
  const edit = useGate(hostId, 'PUT /api/hosts/[host]/pools/[pool]/xml');
  if (q.isPending) return <Skeleton className="h-64 w-full" />;
  if (q.error) return <ErrorPanel title={`Could not read the XML of ${pool}`} error={q.error} />;
  const base = stripRuntime(q.data.inactiveXml ?? q.data.xml);
  const differs = q.data.inactiveXml !== null && stripRuntime(q.data.inactiveXml) !== stripRuntime(q.data.xml);

  if (draft === null)
    return (
      <div className="space-y-3">
        {applied && (
          <Note>
            <p role="status" className="font-medium">The new definition was saved.</p>
            <p>{applied.note}</p>
          </Note>
        )}
        {edit.show && (
          <div className="flex items-center gap-2">
            <Button
              onClick={() => {
                setDraft(base);
                setApplied(null);
                put.reset();
              }}
              disabled={edit.disabled || q.data.inactiveXml === null}
              title={edit.why ?? (q.data.inactiveXml === null ? 'A transient pool has no definition to edit' : undefined)}
            >
              Edit XML
            </Button>
            {q.data.inactiveXml === null && <span className="text-xs text-zinc-500">Transient pool: nothing to edit.</span>}
          </div>
        )}
        <p className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{q.data.command}</p>
        <CodePanel title={q.data.state === 'running' ? 'Pool XML (live)' : 'Pool XML'} code={q.data.xml} />
        {differs && (
          <>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">The persistent definition differs from the running pool (it was changed while the pool ran, and applies at the next start):</p>
            <p className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{q.data.inactiveCommand}</p>
            <CodePanel title="Persistent definition" code={q.data.inactiveXml ?? ''} />
          </>
        )}
      </div>
    );

  const diff = lineDiff(base, draft);
  const changed = hasChanges(diff);
  return (
    <div className="space-y-3">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Editing the persistent definition of <strong>{pool}</strong> (<code>pool-dumpxml --inactive</code>). Keep its name, UUID and type (the runtime capacity figures are left out: libvirt ignores them).
      </p>
      <label className="block text-sm font-medium" htmlFor="pool-xml-draft">
        Pool XML
      </label>
      <textarea
        id="pool-xml-draft"
        value={draft}
        spellCheck={false}
        onChange={(e) => {
          setDraft(e.target.value);
          setReview(null);
          put.reset();
        }}
        rows={Math.min(30, Math.max(12, draft.split('\n').length + 1))}
        className="w-full rounded border border-zinc-300 bg-white p-2 font-mono text-xs leading-5 dark:border-zinc-600 dark:bg-zinc-950"
      />
      <section aria-label="Changes" className="overflow-auto rounded-md border border-zinc-200 dark:border-zinc-700">
        <h3 className="border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-400">
          Changes against the current definition
        </h3>
        {changed ? (
          <pre className="p-2 font-mono text-xs leading-5">
            {diff.map((l, i) => (
              <div key={i} className={l.kind === 'add' ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200' : l.kind === 'del' ? 'bg-red-50 text-red-900 line-through decoration-red-300 dark:bg-red-950/50 dark:text-red-200' : 'text-zinc-500'}>
                {l.kind === 'add' ? '+ ' : l.kind === 'del' ? '- ' : '  '}
                {l.text}
              </div>
            ))}
          </pre>
        ) : (
          <p className="p-2 text-sm text-zinc-500">No changes yet.</p>
        )}
      </section>
      {review && (
        <>
          <CodePanel title="Command (the XML above goes on stdin)" code={review.command} />
          <Note tone={review.restartNeeded ? 'warn' : 'info'}>{review.note}</Note>
        </>
      )}
      {put.error && <ErrorPanel title={put.error && (put.error as { code?: string }).code === 'libvirt-rejected' ? 'libvirt refused the XML' : 'The XML was refused'} error={put.error} />}
      <div className="flex gap-2">
        <Button
          onClick={() => {
            setDraft(null);
            setReview(null);
            put.reset();
          }}
        >
          Cancel
        </Button>
        {!review ? (
          <Button kind="primary" disabled={!changed || put.isPending} onClick={() => put.mutate({ xml: draft, dryRun: true }, { onSuccess: setReview })}>
            Review changes
          </Button>
        ) : (
          <Button
            kind="primary"
            disabled={put.isPending}
            onClick={() =>
              put.mutate(
                { xml: draft, dryRun: false },
                {
                  onSuccess: (r) => {
                    setApplied(r);
                    setDraft(null);
                    setReview(null);
                    void q.refetch();
                  },
                },
              )
            }
          >
            {put.isPending ? 'Applying…' : 'Apply (pool-define)'}
          </Button>
        )}
      </div>
    </div>
  );
}
