'use client';

import { useHost } from '@/lib/api/hosts';

/**
 * The host's path policy, said up front next to a path field: where files may lie (allowed roots)
 * and/or which block devices may be used. Read-only, from GET /api/hosts/{id} (`pathPolicy`);
 * an admin widens it in the inventory (docs/OPERATIONS.md, "Path policy").
 */
export function PathPolicyNote({ hostId, show, className = '' }: { hostId: string; show: 'roots' | 'devices' | 'both'; className?: string }) {
  const host = useHost(hostId);
  const p = host.data?.pathPolicy;
  if (!p) return null;
  const list = (xs: string[]) =>
    xs.length ? (
      xs.map((x, i) => (
        <span key={x}>
          {i > 0 && ', '}
          <code className="font-mono">{x}</code>
        </span>
      ))
    ) : (
      <em>none</em>
    );
  return (
    <span role="note" aria-label="Path policy" className={`block text-xs text-zinc-600 dark:text-zinc-400 ${className}`}>
      {show !== 'devices' && <span className="block">Allowed on {hostId}: paths under {list(p.allowedRoots)}.</span>}
      {show !== 'roots' && <span className="block">Allowed block devices: {list(p.allowedDevices)}{show === 'both' ? ' (or a volume of a pool)' : ''}.</span>}
    </span>
  );
}
