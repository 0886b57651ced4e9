'use client';

import type { AuditCommandDto } from '@/lib/schemas/audit';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';

/**
 * The commands one request ran on its host, in order: the step's title, the exact command as the
 * previews show it, its exit status and duration, and the stdin it was fed when that is public
 * (a pool or secret XML — never a passphrase, which the server does not record).
 */
export function AuditCommands({ seq, commands }: { seq: number; commands: readonly AuditCommandDto[] }) {
  if (!commands.length) return <p className="text-xs text-zinc-500 dark:text-zinc-400">No command ran on the host for this record.</p>;
  return (
    <ol aria-label={`Commands of record ${seq}`} className="space-y-2">
      {commands.map((c, i) => (
        <li key={i} className="rounded border border-zinc-200 bg-white dark:border-zinc-700 dark:bg-zinc-950">
          <div className="flex flex-wrap items-center gap-2 border-b border-zinc-100 px-2 py-1 text-xs dark:border-zinc-800">
            <span className="font-mono text-zinc-500 tabular-nums dark:text-zinc-400">{i + 1}.</span>
            <span className="font-medium text-zinc-800 dark:text-zinc-200">{c.title ?? untitled(c.command)}</span>
            <Badge tone={c.ok ? 'good' : 'bad'}>{c.exitCode === null ? 'no exit status' : `exit ${c.exitCode}`}</Badge>
            <span className="text-zinc-500 tabular-nums dark:text-zinc-400">{formatDuration(c.durationMs)}</span>
            <span className="ml-auto">
              <CopyButton text={c.command} label="Copy" />
            </span>
          </div>
          <pre className="max-h-40 overflow-auto px-2 py-1.5 font-mono text-xs leading-5 break-all whitespace-pre-wrap text-zinc-800 dark:text-zinc-200" tabIndex={0}>
            {c.command}
          </pre>
          {c.stdin !== undefined && (
            <details className="border-t border-zinc-100 px-2 py-1 dark:border-zinc-800">
              <summary className="cursor-pointer text-xs font-medium text-zinc-600 select-none dark:text-zinc-400">stdin ({c.stdin.length} characters)</summary>
              <pre className="mt-1 max-h-48 overflow-auto font-mono text-xs leading-5 whitespace-pre-wrap text-zinc-800 dark:text-zinc-200">{c.stdin}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Commands that ran outside a plan step have no title: name the console's usual ones, since their text says little. */
function untitled(command: string): string {
  if (command.startsWith("sh -c 'out=$(virsh")) return 'Read the host (pools, volumes, VMs)';
  if (/^virsh -c \S+ 2>&1$/.test(command)) return 'virsh commands on stdin';
  return 'Command';
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
