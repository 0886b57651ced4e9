'use client';

import Link from 'next/link';
import { useChains } from '@/lib/api/volume-ops';
import { pageHrefs } from '@/lib/api/paths';
import { formatBytes } from '@/lib/format';
import type { ChainNode } from '@/lib/schemas';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { PageHeader } from '@/components/ui/page-header';
import { BodySkeleton } from '@/components/ui/skeleton';

/**
 * Every backing chain of a host as trees: a base at the root, its overlays indented below
 * (across pools), the VMs using each image beside it. A base with overlays must not be written.
 */
export function ChainsView({ hostId }: { hostId: string }) {
  const q = useChains(hostId);
  return (
    <>
      <PageHeader kicker={`Host ${hostId}`} title="Backing chains">
        {q.data && (
          <span>
            {q.data.chains.length} base image{q.data.chains.length === 1 ? '' : 's'} with overlays · {q.data.standalone} standalone images
          </span>
        )}
      </PageHeader>
      {q.error ? (
        <ErrorPanel title={`Could not read the chains of ${hostId}`} error={q.error} />
      ) : !q.data ? (
        <BodySkeleton label="Loading backing chains" />
      ) : q.data.chains.length === 0 ? (
        <EmptyState title="No image on this host has overlays">
          <p>Create a differencing disk from a volume’s page or the “New volume” dialog.</p>
        </EmptyState>
      ) : (
        <div className="space-y-4">
          {q.data.chains.map((c) => (
            <section key={c.path} aria-label={`Chain of ${c.name ?? c.path}`} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
              <ul role="tree" aria-label={`Backing tree of ${c.name ?? c.path}`}>
                <Node hostId={hostId} n={c} depth={0} />
              </ul>
            </section>
          ))}
        </div>
      )}
    </>
  );
}

function Node({ hostId, n, depth }: { hostId: string; n: ChainNode; depth: number }) {
  const label = n.name ?? n.path;
  return (
    <li role="treeitem" aria-expanded={n.children.length ? true : undefined} aria-selected={false} className={depth ? 'relative mt-1 ml-5 border-l border-zinc-300 pl-4 dark:border-zinc-700' : ''}>
      <div className="flex flex-wrap items-center gap-2 py-1 text-sm">
        <span aria-hidden="true" className={`size-2.5 rounded-full ${depth === 0 ? 'bg-amber-500' : 'bg-sky-600'}`} />
        {n.pool && n.name ? (
          <Link href={pageHrefs.volume(hostId, n.pool, n.name)} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
            {label}
          </Link>
        ) : (
          <span className="font-mono text-xs">{label}</span>
        )}
        {depth === 0 && <Badge tone="warn">base · {countAll(n)} dependant{countAll(n) === 1 ? '' : 's'}</Badge>}
        {n.pool ? <Badge>pool {n.pool}</Badge> : <Badge tone="warn">outside every pool</Badge>}
        {n.format && <Badge tone="info">{n.format}</Badge>}
        {n.capacity != null && (
          <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
            {formatBytes(n.capacity)} virtual{n.allocation != null && ` · ${formatBytes(n.allocation)} allocated`}
          </span>
        )}
        {n.usedBy.map((vm) => (
          <Badge key={vm} tone={n.runningUsers.includes(vm) ? 'good' : 'neutral'} title={n.runningUsers.includes(vm) ? 'running' : 'defined, not running'}>
            VM {vm}
            {n.runningUsers.includes(vm) ? ' (running)' : ''}
          </Badge>
        ))}
      </div>
      {n.children.length > 0 && (
        <ul role="group">
          {n.children.map((ch) => (
            <Node key={ch.path} hostId={hostId} n={ch} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

const countAll = (n: ChainNode): number => n.children.reduce((s, c) => s + 1 + countAll(c), 0);
