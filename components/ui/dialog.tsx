'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A modal on the native <dialog> (focus trap, Escape, inert background come with it). */
export function Dialog({ title, open, onClose, children, wide, danger }: { title: string; open: boolean; onClose: () => void; children: ReactNode; wide?: boolean; danger?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={id}
      onClose={onClose}
      className={`m-auto max-h-[92vh] overflow-auto rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100`}
      style={{ width: wide ? 'min(96vw, 72rem)' : 'min(96vw, 40rem)' }}
    >
      {open && (
        <div className="p-4">
          <div className="mb-3 flex items-start justify-between gap-4">
            <h2 id={id} className={`text-base font-semibold ${danger ? 'text-red-800 dark:text-red-300' : ''}`}>
              {title}
            </h2>
            <button type="button" onClick={onClose} className={btn.ghost} aria-label="Close">
              ✕
            </button>
          </div>
          {children}
        </div>
      )}
    </dialog>
  );
}

export const btn = {
  primary: 'rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:cursor-not-allowed disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600',
  danger: 'rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600',
  secondary:
    'rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800',
  small: 'rounded border border-zinc-300 px-2 py-0.5 text-xs font-medium text-zinc-700 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-600 dark:text-zinc-200 dark:hover:bg-zinc-800',
  smallDanger: 'rounded border border-red-300 px-2 py-0.5 text-xs font-medium text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950',
  ghost: 'rounded px-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100',
};

export const field = {
  label: 'block text-xs font-medium text-zinc-700 dark:text-zinc-300',
  input: 'mt-1 block w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-600 dark:bg-zinc-900',
  hint: 'mt-1 text-xs text-zinc-500 dark:text-zinc-400',
};

/** A dialog form's submit button (saying what it does, and that it runs) beside Cancel. */
export function SubmitCancel({ label, pendingLabel, pending, disabled, danger, onCancel }: { label: string; pendingLabel: string; pending: boolean; disabled?: boolean; danger?: boolean; onCancel: () => void }) {
  return (
    <div className="flex gap-2">
      <button type="submit" className={danger ? btn.danger : btn.primary} disabled={disabled || pending}>
        {pending ? pendingLabel : label}
      </button>
      <button type="button" className={btn.secondary} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
