'use client';

import { useEffect, useState } from 'react';
import type { DomainActionResultDto } from '@/lib/schemas';
import { CodePanel } from '@/components/ui/code-panel';
import { btn } from '@/components/ui/dialog';

/**
 * The server's dry run of `body`, asked again 250 ms after the body last changed; `null` body
 * (an incomplete form) or `enabled: false` asks nothing. Only the answer for the current body
 * is returned, so a slow answer to an older body never shows.
 */
export function useDryRun<B>(body: B | null, run: (b: B) => Promise<DomainActionResultDto>, enabled = true) {
  const key = JSON.stringify(body);
  const [preview, setPreview] = useState<{ key: string; result?: DomainActionResultDto; error?: unknown } | null>(null);
  useEffect(() => {
    if (!enabled || body === null) return;
    const timer = setTimeout(() => {
      run(body).then(
        (result) => setPreview({ key, result }),
        (error: unknown) => setPreview({ key, error }),
      );
    }, 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, enabled]);
  return preview?.key === key ? preview : null;
}

/** What a finished action says, the commands it ran, and the way out. */
export function ActionDone({ result, onClose }: { result: DomainActionResultDto; onClose: () => void }) {
  return (
    <div className="space-y-3">
      <p role="status" className="text-sm font-medium text-emerald-700 dark:text-emerald-400">
        {result.message}
      </p>
      <ActionPreview result={result} />
      <button type="button" className={btn.primary} onClick={onClose}>
        Done
      </button>
    </div>
  );
}

/** The exact commands (and XML on stdin) an action runs, or ran, with what it discards. */
export function ActionPreview({ result, title }: { result: DomainActionResultDto; title?: string }) {
  const commands = result.steps.map((s) => s.command).join('\n');
  return (
    <div className="space-y-2">
      {result.discards.length > 0 && (
        <div role="note" aria-label="What this discards" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200">
          <p className="font-semibold">This discards:</p>
          <ul className="mt-1 list-disc pl-5">
            {result.discards.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      )}
      {result.warnings.length > 0 && (
        <ul aria-label="Notes" className="list-disc space-y-0.5 pl-5 text-xs text-amber-800 dark:text-amber-300">
          {result.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <CodePanel title={title ?? (result.dryRun ? 'Commands this will run' : 'Commands that ran')} code={commands} maxHeight="10rem" />
      {result.xml && <CodePanel title="XML (on stdin)" code={result.xml} maxHeight="16rem" />}
      {!result.dryRun &&
        result.steps
          .filter((s) => s.output)
          .map((s) => <CodePanel key={s.title} title={s.title} code={s.output ?? ''} maxHeight="8rem" />)}
    </div>
  );
}
