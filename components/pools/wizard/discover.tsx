'use client';

import { useState } from 'react';
import { fetchPoolSources, type PoolSourcesDto } from '@/lib/api/pools';
import type { PoolSource } from '@/lib/schemas';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Button } from '@/components/ui/button';

/**
 * "Discover": libvirt's find-storage-pool-sources-as for this type, shown as a pick list.
 * The command that ran is shown with the answer (the trainer's view of what libvirt did).
 */
export function Discover({
  hostId,
  type,
  query,
  label,
  describe,
  onPick,
  disabledReason,
}: {
  hostId: string;
  type: string;
  query: { host?: string; port?: string; initiator?: string };
  label: string;
  describe: (s: PoolSource) => string;
  onPick: (s: PoolSource) => void;
  disabledReason?: string;
}) {
  const [state, setState] = useState<{ busy: boolean; result?: PoolSourcesDto; error?: unknown }>({ busy: false });
  async function run() {
    setState({ busy: true });
    try {
      setState({ busy: false, result: await fetchPoolSources(hostId, type, query) });
    } catch (error) {
      setState({ busy: false, error });
    }
  }
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2">
        <Button onClick={run} disabled={state.busy || Boolean(disabledReason)} title={disabledReason}>
          {state.busy ? 'Discovering…' : label}
        </Button>
        {disabledReason && <span className="text-xs text-zinc-500">{disabledReason}</span>}
      </div>
      {state.error !== undefined && <ErrorPanel title="Discovery failed" error={state.error} />}
      {state.result && (
        <div className="rounded-md border border-zinc-200 p-2 text-sm dark:border-zinc-700">
          <p className="font-mono text-xs text-zinc-500">{state.result.command}</p>
          {state.result.sources.length === 0 ? (
            <p className="mt-1">libvirt found nothing.</p>
          ) : (
            <ul aria-label={`Discovered ${type} sources`} className="mt-1 space-y-1">
              {state.result.sources.map((s, i) => (
                <li key={i} className="flex items-center justify-between gap-2">
                  <span className="font-mono text-xs break-all">{describe(s)}</span>
                  <Button onClick={() => onPick(s)}>Use {describe(s)}</Button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
