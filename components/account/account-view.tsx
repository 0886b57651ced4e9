'use client';

import { useMe } from '@/lib/api/me';
import { useMySessions, useRevokeMySession } from '@/lib/api/account';
import { ROLE_TEXT } from '@/lib/auth/roles';
import { Badge } from '@/components/ui/badge';
import { ErrorPanel } from '@/components/ui/error-panel';
import { PageHeader, Section } from '@/components/ui/page-header';
import { BodySkeleton } from '@/components/ui/skeleton';
import { TableHead, tableCls as t } from '@/components/ui/table';
import { SessionsTable } from './sessions-table';
import { TokensPanel } from './tokens-panel';

/** /account: who I am, my role on each host, my sessions and my API tokens. */
export function AccountView() {
  const me = useMe();
  const sessions = useMySessions();
  const revoke = useRevokeMySession();
  if (!me.data) return me.error ? <ErrorPanel title="Could not read your account" error={me.error} /> : <BodySkeleton label="Loading your account" />;
  const m = me.data;
  return (
    <>
      <PageHeader kicker="Your account" title={m.user.displayName ?? m.user.username}>
        <span>
          Signed in as <strong className="font-mono">{m.user.username}</strong>
          {m.via.kind === 'token' ? ' with an API token' : ''}
        </span>
        {m.consoleRole && <Badge tone="info">{m.consoleRole} on every host</Badge>}
        {m.groups.length > 0 && <span>groups: {m.groups.join(', ')}</span>}
      </PageHeader>

      <Section title="Your role per host">
        {m.hosts.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No host is granted to you yet: ask an admin for a grant.</p>
        ) : (
          <div className={`${t.wrap} max-w-4xl`}>
            <table className={t.table} aria-label="Your role per host">
              <TableHead columns={['Host', 'Role', 'What it allows']} />
              <tbody>
                {m.hosts.map((h) => (
                  <tr key={h.id} className={t.tr}>
                    <th scope="row" className={`${t.td} text-left font-medium`}>
                      {h.id}
                    </th>
                    <td className={t.td}>
                      <Badge tone={h.role === 'admin' ? 'warn' : h.role === 'operator' ? 'info' : 'neutral'}>{h.role}</Badge>
                    </td>
                    {/* Not t.td: this one wraps. */}
                    <td className="px-2 py-1.5 align-middle text-zinc-600 xl:px-2.5 dark:text-zinc-400">{ROLE_TEXT[h.role]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section title="Sessions">
        {sessions.error ? (
          <ErrorPanel title="Could not list your sessions" error={sessions.error} />
        ) : !sessions.data ? (
          <p className="text-sm text-zinc-600">Loading sessions…</p>
        ) : (
          <SessionsTable sessions={sessions.data} label="Your sessions" revoke={revoke} />
        )}
      </Section>

      <Section title="API tokens">
        <TokensPanel />
      </Section>
    </>
  );
}
