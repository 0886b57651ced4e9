/**
 * The console's one style set (plain strings, no 'use client': server and client components share
 * them): buttons and form fields. `Button` (button.tsx), the form fields (form-fields.tsx), dialogs'
 * `btn`/`field` and the volume forms' `formCls` all take their classes from here.
 */

const BASE =
  'inline-flex h-8 items-center justify-center rounded border px-3 text-sm font-medium focus-visible:ring-2 focus-visible:ring-sky-600 focus-visible:outline-none disabled:cursor-not-allowed';
const KIND = {
  primary: 'border-sky-700 bg-sky-700 text-white hover:bg-sky-800 disabled:border-sky-300 disabled:bg-sky-300 dark:disabled:border-sky-900 dark:disabled:bg-sky-900',
  secondary: 'border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 disabled:text-zinc-400 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700',
  danger: 'border-red-700 bg-red-700 text-white hover:bg-red-800 disabled:border-red-300 disabled:bg-red-300 dark:disabled:border-red-900 dark:disabled:bg-red-900',
} as const;
export type ButtonKind = keyof typeof KIND;

/** The classes of a button of this kind (for a `<button>` or a link styled as one). */
export const buttonCls = (kind: ButtonKind = 'secondary') => `${BASE} ${KIND[kind]}`;

/** Buttons by role, small ones included (table rows, inline actions). */
export const btn = {
  primary: buttonCls('primary'),
  danger: buttonCls('danger'),
  secondary: buttonCls('secondary'),
  small: 'rounded border border-zinc-300 px-2 py-0.5 text-xs font-medium text-zinc-700 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-600 dark:text-zinc-200 dark:hover:bg-zinc-800',
  smallDanger: 'rounded border border-red-300 px-2 py-0.5 text-xs font-medium text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950',
  ghost: 'rounded px-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100',
};

/** Form fields: a label, an input or select (focus ring, red when aria-invalid), a hint. */
export const fieldCls = {
  label: 'block text-xs font-medium text-zinc-700 dark:text-zinc-300',
  input:
    'w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 focus:border-sky-600 focus:ring-2 focus:ring-sky-600/30 focus:outline-none aria-[invalid=true]:border-red-500 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100',
  hint: 'text-xs text-zinc-500 dark:text-zinc-400',
};
