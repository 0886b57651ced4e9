'use client';

import type { DomainActionResultDto } from '@/lib/schemas';
import { CodePanel } from '@/components/ui/code-panel';

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
