'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { sendJson } from '@/lib/api/errors';
import { useMe } from '@/lib/api/me';
import { apiPaths } from '@/lib/api/paths';
import { btn } from '@/components/ui/styles';

/** The header's right end: who is signed in (their strongest role), their account page, and sign out. */
export function UserMenu() {
  const me = useMe();
  const router = useRouter();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  if (!me.data) return null;
  const roles = [...new Set(me.data.hosts.map((h) => h.role))];
  const summary = me.data.consoleRole ? `${me.data.consoleRole} on every host` : roles.length ? roles.join(' / ') : 'no hosts';
  async function signOut() {
    setBusy(true);
    await sendJson('POST', apiPaths.logout(), {}, z.unknown()).catch(() => undefined);
    qc.clear(); // nothing of this user stays in the browser's cache
    router.replace('/login');
  }
  return (
    <div className="flex shrink-0 items-center gap-2 text-sm">
      <Link href="/account" className="rounded px-1.5 py-0.5 hover:bg-zinc-100 dark:hover:bg-zinc-800" title={`Signed in as ${me.data.user.username} (${summary})`}>
        <span className="font-medium">{me.data.user.displayName ?? me.data.user.username}</span>
        <span className="ml-1.5 text-xs text-zinc-500">{summary}</span>
      </Link>
      <button type="button" onClick={signOut} disabled={busy} className={btn.small}>
        Sign out
      </button>
    </div>
  );
}
