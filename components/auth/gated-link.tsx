'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Gate } from '@/lib/api/me';

/**
 * A link that starts a write (New pool, Migrate from VMware …) under the one rule of
 * lib/api/me.ts `gateOf`: hidden for a viewer, a disabled button saying which role it needs for
 * an operator facing an admin's action, the link otherwise.
 */
export function GatedLink({ gate, href, className, children }: { gate: Gate; href: string; className: string; children: ReactNode }) {
  if (!gate.show) return null;
  if (gate.disabled)
    return (
      <button type="button" disabled title={gate.why ?? undefined} className={`${className} cursor-not-allowed opacity-50`}>
        {children}
      </button>
    );
  return (
    <Link href={href} className={className}>
      {children}
    </Link>
  );
}
