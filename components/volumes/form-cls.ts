/** Form classes shared by the volume dialogs and panels. */
export const formCls = {
  label: 'block text-xs font-medium text-zinc-700 dark:text-zinc-300',
  input: 'mt-0.5 h-8 w-full rounded border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-600 dark:bg-zinc-900',
  check: 'flex items-center gap-2 text-sm',
  button: 'inline-flex h-8 items-center rounded border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700',
  primary: 'inline-flex h-8 items-center rounded bg-sky-700 px-3 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-50 dark:bg-sky-600',
  danger: 'inline-flex h-8 items-center rounded bg-red-700 px-3 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-50',
  hint: 'text-xs text-zinc-500 dark:text-zinc-400',
};
