'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';
import { btn, fieldCls } from './styles';

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

// The one style set (styles.ts); kept under these names for the dialogs' callers.
export { btn } from './styles';
export const field = { label: fieldCls.label, input: `mt-1 block ${fieldCls.input}`, hint: `mt-1 ${fieldCls.hint}` };

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
