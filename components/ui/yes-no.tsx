/** A boolean for a table cell: the word, not a glyph, so it reads and copies unambiguously. */
export function YesNo({ value }: { value: boolean | null | undefined }) {
  if (value == null) return <span className="text-zinc-400">—</span>;
  return value ? <span>yes</span> : <span className="text-zinc-500 dark:text-zinc-400">no</span>;
}
