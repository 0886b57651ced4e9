import type { ReactNode } from 'react';

export interface Fact {
  term: string;
  value: ReactNode;
  /** Numbers are right-aligned in tables; in a fact list they are tabular so digits line up. */
  mono?: boolean;
}

/** A dense definition list: label on the left, value on the right, wrapping into columns. */
export function Facts({ items, label, columns = 2 }: { items: Fact[]; label?: string; columns?: 1 | 2 | 3 }) {
  const cols = columns === 3 ? 'lg:grid-cols-3 md:grid-cols-2' : columns === 2 ? 'md:grid-cols-2' : '';
  return (
    <dl aria-label={label} className={`grid grid-cols-1 gap-x-8 ${cols}`}>
      {items.map((f) => (
        <div key={f.term} className="flex min-w-0 items-baseline justify-between gap-4 border-b border-zinc-100 py-1.5 text-sm dark:border-zinc-800">
          <dt className="shrink-0 text-zinc-500 dark:text-zinc-400">{f.term}</dt>
          <dd className={`min-w-0 truncate text-right tabular-nums ${f.mono ? 'font-mono text-xs' : ''}`}>{f.value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
