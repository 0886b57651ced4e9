import type { ReactNode } from 'react';

export function PageHeader({ title, kicker, children, aside }: { title: ReactNode; kicker?: string; children?: ReactNode; aside?: ReactNode }) {
  return (
    <header className="mb-5 flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        {kicker && <p className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{kicker}</p>}
        <h1 className="truncate text-xl font-semibold text-zinc-900 dark:text-zinc-50">{title}</h1>
        {children && <div className="mt-1.5 flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">{children}</div>}
      </div>
      {aside && <div className="min-w-64 shrink-0">{aside}</div>}
    </header>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  return (
    <section id={id} aria-label={title} className="mt-6 scroll-mt-4">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
