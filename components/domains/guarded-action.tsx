'use client';

import { useEffect, useState } from 'react';
import { useDomainMutation } from '@/lib/api/domains';
import type { DomainActionResultDto } from '@/lib/schemas';
import { ErrorPanel } from '@/components/ui/error-panel';
import { ActionDone, ActionPreview } from './action-preview';
import { Dialog, SubmitCancel } from '@/components/ui/dialog';
import { TypedConfirm, typedOk } from '@/components/ui/typed-confirm';
import { guardOf } from '@/lib/api/errors';

/**
 * A destructive action: on open it asks the server for a dry run (what runs, what is
 * discarded), then needs `confirmName` typed before the real request, which carries it as
 * `confirm` (the server refuses without it, whatever the browser does).
 */
export function GuardedAction({
  hostId,
  title,
  open,
  onClose,
  confirmName,
  actionLabel,
  run,
  children,
}: {
  hostId: string;
  title: string;
  open: boolean;
  onClose: () => void;
  confirmName: string | null;
  actionLabel: string;
  run: (opts: { dryRun: boolean; confirm?: string }) => Promise<DomainActionResultDto>;
  children?: React.ReactNode;
}) {
  const [plan, setPlan] = useState<{ result?: DomainActionResultDto; error?: unknown } | null>(null);
  const [typed, setTyped] = useState('');
  const mutation = useDomainMutation(hostId, (confirm: string | undefined) => run({ dryRun: false, confirm }));
  useEffect(() => {
    if (!open) return;
    let live = true;
    run({ dryRun: true }).then(
      (result) => live && setPlan({ result }),
      (error: unknown) => live && setPlan({ error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  const ok = typedOk(typed, confirmName);
  return (
    <Dialog title={title} open={open} onClose={onClose}>
      <div className="space-y-3 text-sm">
        {children}
        {mutation.isSuccess ? (
          <ActionDone result={mutation.data} onClose={onClose} />
        ) : (
          <>
            {!plan ? (
              <p className="text-zinc-500">Asking the host what this would do…</p>
            ) : plan.error ? (
              <ErrorPanel title="Refused" error={plan.error} />
            ) : plan.result ? (
              <ActionPreview result={plan.result} />
            ) : null}
            {mutation.error && !guardOf(mutation.error) && <ErrorPanel title={`${actionLabel} failed`} error={mutation.error} />}
            {plan?.result && (
              <form
                className="space-y-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (ok) mutation.mutate(confirmName ?? undefined);
                }}
              >
                {confirmName !== null && <TypedConfirm confirmWith={confirmName} value={typed} onChange={setTyped} guard={guardOf(mutation.error)} />}
                <SubmitCancel label={actionLabel} pendingLabel={`${actionLabel}…`} pending={mutation.isPending} disabled={!ok} danger={confirmName !== null} onCancel={onClose} />
              </form>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
