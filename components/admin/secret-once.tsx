'use client';

import { CopyButton } from '@/components/ui/copy-button';
import { Note } from '@/components/ui/note';

/** A generated password, shown this once with a copy button. */
export function SecretOnce({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <Note tone="warn">
      <div role="region" aria-label={label} className="space-y-2">
        <p className="font-medium">{note} Copy it now: you will not see it again.</p>
        <div className="flex items-center gap-2">
          <code aria-label={label} className="min-w-0 flex-1 rounded bg-white px-2 py-1 font-mono text-sm break-all text-zinc-900 ring-1 ring-amber-300 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-amber-800">
            {value}
          </code>
          <CopyButton text={value} />
        </div>
      </div>
    </Note>
  );
}
