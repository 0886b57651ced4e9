'use client';

import type { PoolCreateDryRun } from '@/lib/api/pools';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';

/**
 * The exact pool XML and virsh commands the server will run, from its dry run of the current
 * form, refreshed as the user types. XML that goes on stdin is shown under its command.
 */
export function PreviewPanel({ preview, error, stale, blocked }: { preview?: PoolCreateDryRun; error: unknown; stale: boolean; blocked?: string }) {
  if (blocked) return <p className="rounded-md border border-dashed border-zinc-300 p-3 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">{blocked}</p>;
  if (error) return <ErrorPanel title="The server refuses this pool" error={error} />;
  if (!preview) return <p className="text-sm text-zinc-500">Preparing the preview…</p>;
  const commands = preview.steps.map((s) => s.command + (s.stdin ? `   # reads the ${s.id === 'define' ? 'pool' : 'secret'} XML on stdin` : s.id === 'secret-value' ? '   # reads the password on stdin (not shown)' : '')).join('\n');
  return (
    <div className={`space-y-3 transition-opacity ${stale ? 'opacity-60' : ''}`}>
      <CodePanel title="Pool XML" code={preview.xml} maxHeight="22rem" />
      <CodePanel title="virsh commands, in order" code={commands} maxHeight="14rem" />
      {preview.steps
        .filter((s) => s.id === 'secret-define' && s.stdin)
        .map((s) => (
          <CodePanel key={s.id} title="Secret XML (the password itself is not shown)" code={s.stdin ?? ''} maxHeight="10rem" />
        ))}
    </div>
  );
}
