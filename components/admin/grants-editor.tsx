'use client';

import { useState } from 'react';
import { useCreateGrant, useDeleteGrant, useGrants } from '@/lib/api/account';
import { ROLES, type HostScope, type Role } from '@/lib/auth/roles';
import type { UserDto } from '@/lib/schemas';
import { when } from '@/components/account/when';
import { Badge } from '@/components/ui/badge';
import { ErrorPanel } from '@/components/ui/error-panel';
import { SelectField, TextField } from '@/components/ui/form-fields';
import { btn } from '@/components/ui/styles';
import { TableHead, tableCls as t } from '@/components/ui/table';
import { HostScopePicker, scopeText } from './host-scope-picker';

/**
 * Every grant — a user's or a group's (a group comes from the identity provider's claim at
 * sign-in) — with remove, and a form to add one. A user's role on a host is the strongest of the
 * grants that cover it.
 */
export function GrantsEditor({ users }: { users: UserDto[] }) {
  const grants = useGrants();
  const create = useCreateGrant();
  const remove = useDeleteGrant();
  const [kind, setKind] = useState<'user' | 'group'>('user');
  const [user, setUser] = useState('');
  const [group, setGroup] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [hosts, setHosts] = useState<HostScope>('*');
  const subject = kind === 'user' ? user : group.trim();
  const ready = !!subject && (hosts === '*' || hosts.length > 0);

  return (
    <div className="space-y-4">
      {grants.error ? (
        <ErrorPanel title="Could not list the grants" error={grants.error} />
      ) : !grants.data ? (
        <p className="text-sm text-zinc-600">Loading grants…</p>
      ) : (
        <div className={t.wrap}>
          <table className={t.table} aria-label="Grants">
            <TableHead columns={['Who', 'Role', 'Hosts', 'Added', '']} />
            <tbody>
              {grants.data.map((g) => (
                <tr key={g.id} className={t.tr}>
                  <th scope="row" className={`${t.td} text-left font-medium`}>
                    <span className={`mr-1.5 text-xs font-normal ${t.muted}`}>{g.subjectKind}</span>
                    {g.subjectName}
                  </th>
                  <td className={t.td}>
                    <Badge tone={g.role === 'admin' ? 'warn' : g.role === 'operator' ? 'info' : 'neutral'}>{g.role}</Badge>
                  </td>
                  <td className={`${t.td} whitespace-normal`}>{scopeText(g.hosts)}</td>
                  <td className={`${t.td} tabular-nums`}>{when(g.createdAt)}</td>
                  <td className={`${t.td} text-right`}>
                    <button type="button" className={btn.smallDanger} disabled={remove.isPending} onClick={() => remove.mutate(g.id)} aria-label={`Remove the grant ${g.role} on ${scopeText(g.hosts)} of ${g.subjectKind} ${g.subjectName}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {remove.error && <ErrorPanel title="Could not remove the grant" error={remove.error} />}
      <form
        aria-label="Add a grant"
        className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ subjectKind: kind, subject, role, hosts }, { onSuccess: () => (setGroup(''), setUser('')) });
        }}
      >
        <h3 className="text-sm font-semibold">Add a grant</h3>
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField label="For" value={kind} onChange={(v) => setKind(v === 'group' ? 'group' : 'user')} options={[{ value: 'user', label: 'a user' }, { value: 'group', label: 'a group (from single sign-on)' }]} />
          {kind === 'user' ? (
            <SelectField label="User" value={user} onChange={setUser} empty="— pick a user —" options={users.map((u) => u.username)} />
          ) : (
            <TextField label="Group" value={group} onChange={setGroup} placeholder="e.g. storage-admins" />
          )}
          <SelectField label="Role" value={role} onChange={(v) => setRole(ROLES.find((r) => r === v) ?? 'viewer')} options={[...ROLES]} />
        </div>
        <HostScopePicker value={hosts} onChange={setHosts} />
        {create.error && <ErrorPanel title="Could not add the grant" error={create.error} />}
        <button type="submit" className={btn.primary} disabled={!ready || create.isPending}>
          {create.isPending ? 'Adding…' : 'Add grant'}
        </button>
      </form>
    </div>
  );
}
