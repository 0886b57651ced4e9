'use client';

import { useEffect, useRef, type ReactNode } from 'react';

/** A modal dialog (native <dialog>: focus trap, Escape closes) for one pool action. */
export function ActionDialog({ title, open, onClose, children, danger }: { title: string; open: boolean; onClose: () => void; children: ReactNode; danger?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onClose={onClose}
      className="m-auto w-[min(44rem,calc(100vw-2rem))] rounded-lg border border-zinc-300 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      {open && (
        <div className="p-4">
          <h2 className={`text-base font-semibold ${danger ? 'text-red-800 dark:text-red-300' : ''}`}>{title}</h2>
          <div className="mt-3 space-y-3 text-sm">{children}</div>
        </div>
      )}
    </dialog>
  );
}
