import { CopyButton } from './copy-button';

/** Monospace text (XML, commands) with a copy button; scrolls rather than wrapping long lines. */
export function CodePanel({ title, code, maxHeight = '32rem' }: { title: string; code: string; maxHeight?: string }) {
  return (
    <section aria-label={title} className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-700">
      <div className="flex items-center justify-between border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 dark:border-zinc-700 dark:bg-zinc-900">
        <h3 className="text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">{title}</h3>
        <CopyButton text={code} label="Copy" />
      </div>
      <pre className="overflow-auto bg-white p-3 font-mono text-xs leading-5 text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200" style={{ maxHeight }} tabIndex={0}>
        <code>{code}</code>
      </pre>
    </section>
  );
}
