'use client';

import type { ReactNode } from 'react';
import { Dialog } from '@/components/ui/dialog';

/** The modal of one pool action: the shared dialog, with the actions' text spacing. */
export function ActionDialog({ title, open, onClose, children, danger }: { title: string; open: boolean; onClose: () => void; children: ReactNode; danger?: boolean }) {
  return (
    <Dialog title={title} open={open} onClose={onClose} danger={danger}>
      <div className="space-y-3 text-sm">{children}</div>
    </Dialog>
  );
}
