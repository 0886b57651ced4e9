'use client';

import { useState } from 'react';
import { useCreateToken, useMyTokens, useRevokeToken } from '@/lib/api/account';
import { useMe } from '@/lib/api/me';
import { atLeast, ROLES, stronger, type Role } from '@/lib/auth/roles';
import type { CreatedTokenDto } from '@/lib/schemas';
import { CopyButton } from '@/components/ui/copy-button';
import { ErrorPanel } from '@/components/ui/error-panel';
import { SelectField, TextField } from '@/components/ui/form-fields';
import { Note } from '@/components/ui/note';
import { btn } from '@/components/ui/styles';
import { TableHead, tableCls as t } from '@/components/ui/table';
import { when } from './when';

const EXPIRY = [
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '365d', label: '1 year' },
  { value: 'never', label: 'Never' },
];

/** My API tokens: make one (shown once, with a copy button), list them, revoke. */
export function TokensPanel() {
  const me = useMe();
  const tokens = useMyTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const strongest = (me.data?.grants ?? []).reduce<Role | null>((r, g) => stronger(r, g.role), null);
  const roles = ROLES.filter((r) => atLeast(strongest, r));
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('');
  const [expires, setExpires] = useState('30d');
  const [made, setMade] = useState<CreatedTokenDto | null>(null);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    create.mutate(
      { name, expires, ...(role ? { role: role as Role } : {}) },
      {
        onSuccess: (r) => {
          setMade(r);
          setName('');
        },
      },
    );
  }

  return (
    <div className="space-y-4">
      {made && (
        <Note tone="warn">
          <div role="region" aria-label="New API token" className="space-y-2">
            <p className="font-medium">
              Token “{made.record.name}” ({made.record.role}, {made.record.expiresAt ? `until ${when(made.record.expiresAt)}` : 'no expiry'}). Copy it now: you will not see it again.
            </p>
            <div className="flex items-center gap-2">
              <code aria-label="Token" className="min-w-0 flex-1 rounded bg-white px-2 py-1 font-mono text-xs break-all text-zinc-900 ring-1 ring-amber-300 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-amber-800">
                {made.token}
              </code>
              <CopyButton text={made.token} label="Copy token" />
            </div>
            <p className="text-xs">
              Send it as <code className="font-mono">Authorization: Bearer …</code>. The console keeps only its hash.
            </p>
            <button type="button" className={btn.small} onClick={() => setMade(null)}>
              I have copied it
            </button>
          </div>
        </Note>
      )}
      <form onSubmit={submit} aria-label="New API token" className="grid items-end gap-3 sm:grid-cols-[minmax(0,1fr)_10rem_10rem_auto]">
        <TextField label="Token name" value={name} onChange={setName} placeholder="e.g. nightly backup" />
        <SelectField label="Role" value={role} onChange={setRole} empty={strongest ? `${strongest} (yours)` : '—'} options={roles.filter((r) => r !== strongest)} />
        <SelectField label="Expires in" value={expires} onChange={setExpires} options={EXPIRY} />
        <div>
          <button type="submit" className={btn.primary} disabled={!name.trim() || create.isPending || !strongest}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
      {create.error && <ErrorPanel title="Could not create the token" error={create.error} />}
      {tokens.error ? (
        <ErrorPanel title="Could not list your tokens" error={tokens.error} />
      ) : !tokens.data ? (
        <p className="text-sm text-zinc-600">Loading tokens…</p>
      ) : tokens.data.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No API tokens. A token acts as you, with at most the role you give it, on the hosts you can reach.</p>
      ) : (
        <div className={t.wrap}>
          <table className={t.table} aria-label="Your API tokens">
            <TableHead columns={['Name', 'Id', 'Role', 'Created', 'Expires', 'Last used', '']} />
            <tbody>
              {tokens.data.map((tk) => (
                <tr key={tk.id} className={t.tr}>
                  <th scope="row" className={`${t.td} text-left font-medium`}>
                    {tk.name}
                  </th>
                  <td className={`${t.td} font-mono text-xs`}>{tk.id}</td>
                  <td className={t.td}>{tk.role}</td>
                  <td className={`${t.td} tabular-nums`}>{when(tk.createdAt)}</td>
                  <td className={`${t.td} tabular-nums`}>{when(tk.expiresAt, 'never')}</td>
                  <td className={`${t.td} tabular-nums`}>{when(tk.lastUsedAt, 'never')}</td>
                  <td className={`${t.td} text-right`}>
                    <button type="button" className={btn.smallDanger} disabled={revoke.isPending} onClick={() => revoke.mutate(tk.id)} aria-label={`Revoke token ${tk.name}`}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoke.error && <ErrorPanel title="Could not revoke the token" error={revoke.error} />}
    </div>
  );
}
