'use client';

import type { UseMutationResult } from '@tanstack/react-query';
import type { SessionDto } from '@/lib/schemas';
import { Badge } from '@/components/ui/badge';
import { ErrorPanel } from '@/components/ui/error-panel';
import { btn } from '@/components/ui/styles';
import { TableHead, tableCls as t } from '@/components/ui/table';
import { browserOf, when } from './when';

/**
 * Sessions with a Revoke button each (mine on /account, anyone's on /admin/users). The one this
 * browser uses is marked; revoking it signs out.
 */
export function SessionsTable({ sessions, label, revoke }: { sessions: SessionDto[]; label: string; revoke: UseMutationResult<unknown, Error, string> }) {
  if (!sessions.length) return <p className="text-sm text-zinc-600 dark:text-zinc-400">No live sessions.</p>;
  return (
    <div className="space-y-2">
      <div className={t.wrap}>
        <table className={t.table} aria-label={label}>
          <TableHead columns={['Signed in', 'Last seen', 'Ends', 'From', 'Browser', '']} />
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} className={t.tr}>
                <td className={`${t.td} tabular-nums`}>
                  {when(s.createdAt)} {s.current && <Badge tone="info">this session</Badge>}
                </td>
                <td className={`${t.td} tabular-nums`}>{when(s.lastSeenAt)}</td>
                <td className={`${t.td} tabular-nums`}>{when(s.expiresAt)}</td>
                <td className={`${t.td} font-mono text-xs`}>{s.sourceAddress ?? '—'}</td>
                <td className={t.td} title={s.userAgent ?? undefined}>
                  {browserOf(s.userAgent)}
                </td>
                <td className={`${t.td} text-right`}>
                  <button type="button" className={btn.smallDanger} disabled={revoke.isPending} onClick={() => revoke.mutate(s.id)} aria-label={s.current ? 'Sign out this session' : `Revoke the session from ${when(s.createdAt)}`}>
                    {s.current ? 'Sign out' : 'Revoke'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {revoke.error && <ErrorPanel title="Could not revoke the session" error={revoke.error} />}
    </div>
  );
}
