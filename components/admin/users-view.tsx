'use client';

import { useState } from 'react';
import { useUpdateUser, useUsers } from '@/lib/api/account';
import { useMe } from '@/lib/api/me';
import type { UserDto } from '@/lib/schemas';
import { when } from '@/components/account/when';
import { Badge } from '@/components/ui/badge';
import { ErrorPanel } from '@/components/ui/error-panel';
import { PageHeader, Section } from '@/components/ui/page-header';
import { btn } from '@/components/ui/styles';
import { TableHead, tableCls as t } from '@/components/ui/table';
import { AddUserDialog } from './add-user-dialog';
import { GrantsEditor } from './grants-editor';
import { scopeText } from './host-scope-picker';
import { ResetPasswordDialog, UserSessionsDialog } from './user-dialogs';

type Open = { kind: 'add' } | { kind: 'sessions' | 'password'; user: UserDto };

/** /admin/users: every user with their role and hosts; add, disable/enable, reset a password, end sessions; then the grants. */
export function UsersView() {
  const me = useMe();
  const users = useUsers();
  const update = useUpdateUser();
  const [open, setOpen] = useState<Open | null>(null);
  return (
    <>
      <PageHeader kicker="Administration" title="Users">
        <span>{users.data ? `${users.data.length} users · ${users.data.filter((u) => u.disabled).length} disabled` : 'Loading…'}</span>
      </PageHeader>
      <Section
        title="Users"
        actions={
          <button type="button" className={btn.primary} onClick={() => setOpen({ kind: 'add' })}>
            Add user…
          </button>
        }
      >
        {users.error ? (
          <ErrorPanel title="Could not list the users" error={users.error} />
        ) : !users.data ? (
          <p className="text-sm text-zinc-600">Loading users…</p>
        ) : (
          <div className={t.wrap}>
            <table className={t.table} aria-label="Users">
              <TableHead columns={['User', 'Role and hosts', 'Status', 'Sign-in', 'Created', '']} />
              <tbody>
                {users.data.map((u) => {
                  const self = u.id === me.data?.user.id;
                  return (
                    <tr key={u.id} className={t.tr}>
                      <th scope="row" className={`${t.td} text-left`}>
                        <span className="font-medium">{u.username}</span>
                        {u.displayName && <span className={`ml-2 font-normal ${t.muted}`}>{u.displayName}</span>}
                        {self && <span className="ml-2"><Badge tone="info">you</Badge></span>}
                      </th>
                      <td className={`${t.td} whitespace-normal`}>
                        {u.grants.length === 0 ? (
                          <span className={t.muted}>no grant (group grants may apply)</span>
                        ) : (
                          <span className="flex flex-wrap gap-1">
                            {u.grants.map((g) => (
                              <Badge key={g.id} tone={g.role === 'admin' ? 'warn' : g.role === 'operator' ? 'info' : 'neutral'}>
                                {g.role} on {scopeText(g.hosts)}
                              </Badge>
                            ))}
                          </span>
                        )}
                      </td>
                      <td className={t.td}>{u.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="good">active</Badge>}</td>
                      <td className={t.td}>{u.source === 'oidc' ? 'single sign-on' : u.hasPassword ? 'password' : 'no password'}</td>
                      <td className={`${t.td} tabular-nums`}>{when(u.createdAt)}</td>
                      <td className={`${t.td} text-right`}>
                        <span className="inline-flex gap-1">
                          <button type="button" className={btn.small} onClick={() => setOpen({ kind: 'sessions', user: u })} aria-label={`Sessions of ${u.username}`}>
                            Sessions…
                          </button>
                          {u.source === 'local' && (
                            <button type="button" className={btn.small} onClick={() => setOpen({ kind: 'password', user: u })} aria-label={`Reset the password of ${u.username}`}>
                              Reset password…
                            </button>
                          )}
                          <button
                            type="button"
                            className={u.disabled ? btn.small : btn.smallDanger}
                            disabled={update.isPending || (self && !u.disabled)}
                            title={self && !u.disabled ? 'You cannot disable your own account — another admin can' : undefined}
                            onClick={() => update.mutate({ user: u.username, body: { disabled: !u.disabled } })}
                            aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}
                          >
                            {u.disabled ? 'Enable' : 'Disable'}
                          </button>
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {update.error && <ErrorPanel title="Could not change the user" error={update.error} />}
        <p className={`mt-2 text-xs ${t.muted}`}>Disabling a user ends their sessions and API tokens at once.</p>
      </Section>
      <Section title="Grants">
        <GrantsEditor users={users.data ?? []} />
      </Section>
      {open?.kind === 'add' && <AddUserDialog onClose={() => setOpen(null)} />}
      {open?.kind === 'sessions' && <UserSessionsDialog user={open.user} onClose={() => setOpen(null)} />}
      {open?.kind === 'password' && <ResetPasswordDialog user={open.user} onClose={() => setOpen(null)} />}
    </>
  );
}
