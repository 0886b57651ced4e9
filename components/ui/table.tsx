/**
 * Shared classes for dense data tables: ~36 px rows, sticky header, right-aligned numbers.
 * Plain strings rather than components so <table> and the virtualized grid share them.
 */
export const tableCls = {
  wrap: 'overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800',
  table: 'w-full border-collapse text-[0.8125rem] xl:text-sm',
  thead: 'sticky top-0 z-10 bg-zinc-50 dark:bg-zinc-900',
  th: 'h-9 border-b border-zinc-200 px-2 xl:px-2.5 text-left text-xs font-semibold whitespace-nowrap text-zinc-600 dark:border-zinc-800 dark:text-zinc-400',
  thNum: 'h-9 border-b border-zinc-200 px-2 xl:px-2.5 text-right text-xs font-semibold whitespace-nowrap text-zinc-600 dark:border-zinc-800 dark:text-zinc-400',
  tr: 'h-9 border-b border-zinc-100 last:border-b-0 hover:bg-zinc-50 dark:border-zinc-800/70 dark:hover:bg-zinc-900/60',
  td: 'px-2 xl:px-2.5 py-1 align-middle whitespace-nowrap',
  tdNum: 'px-2 xl:px-2.5 py-1 text-right align-middle whitespace-nowrap tabular-nums',
  link: 'font-medium text-sky-700 hover:underline dark:text-sky-400',
  muted: 'text-zinc-500 dark:text-zinc-400',
};

/** A table's header row from its column labels (left-aligned; '' for an unlabelled column). */
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead className={tableCls.thead}>
      <tr>
        {columns.map((h, i) => (
          <th key={`${i}-${h}`} scope="col" className={tableCls.th}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
