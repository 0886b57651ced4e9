'use client';

import type { ReactNode } from 'react';
import { useGate } from '@/lib/api/me';
import type { RouteKey } from '@/lib/auth/permissions';
import { Note } from '@/components/ui/note';

/**
 * A page that exists to make one kind of change (the pool wizard, the VMware migration): reached
 * without the role for it — a bookmark, a shared link — it says so instead of a form the server
 * would refuse at the end.
 */
export function RequiresRole({ hostId, route, params, what, children }: { hostId: string; route: RouteKey; params?: Record<string, string>; what: string; children: ReactNode }) {
  const gate = useGate(hostId, route, params);
  if (!gate.disabled) return <>{children}</>;
  return (
    <Note tone="warn">
      <p className="font-medium">{what} is not yours to do here.</p>
      <p>{gate.why}.</p>
    </Note>
  );
}
