'use client';

import { useState } from 'react';
import { useCreateUser } from '@/lib/api/account';
import { ROLES, type HostScope } from '@/lib/auth/roles';
import { CreateUserInput, type UserChangedDto } from '@/lib/schemas';
import { Dialog, SubmitCancel } from '@/components/ui/dialog';
import { ErrorPanel } from '@/components/ui/error-panel';
import { SelectField, TextField } from '@/components/ui/form-fields';
import { btn } from '@/components/ui/styles';
import { HostScopePicker } from './host-scope-picker';
import { SecretOnce } from './secret-once';

/** Add a local user: name, display name, a password (or a generated one, shown once), and a first grant. */
export function AddUserDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('viewer');
  const [hosts, setHosts] = useState<HostScope>('*');
  const [done, setDone] = useState<UserChangedDto | null>(null);
  const body = { username, ...(displayName.trim() ? { displayName } : {}), ...(password ? { password } : {}), ...(role ? { grant: { role, hosts } } : {}) };
  const check = CreateUserInput.safeParse(body);
  const problem = (path: string) => (check.success ? undefined : check.error.issues.find((i) => i.path[0] === path)?.message);

  return (
    <Dialog title={done ? `User ${done.user.username} added` : 'Add a user'} open onClose={onClose}>
      {done ? (
        <div className="space-y-3">
          {done.password ? <SecretOnce label="Generated password" value={done.password} note={`The password of ${done.user.username}.`} /> : <p className="text-sm">{done.user.username} signs in with the password you gave.</p>}
          <button type="button" className={btn.primary} onClick={onClose}>
            Done
          </button>
        </div>
      ) : (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (check.success) create.mutate(check.data, { onSuccess: setDone });
          }}
        >
          <TextField label="User name" value={username} onChange={setUsername} error={username ? problem('username') : undefined} />
          <TextField label="Display name (optional)" value={displayName} onChange={setDisplayName} />
          <TextField label="Password" type="password" autoComplete="new-password" value={password} onChange={setPassword} help="Leave empty to generate one (shown once)." error={password ? problem('password') : undefined} />
          <SelectField label="Role" value={role} onChange={setRole} empty="none yet (no grant)" options={[...ROLES]} />
          {role && <HostScopePicker value={hosts} onChange={setHosts} />}
          {create.error && <ErrorPanel title="Could not add the user" error={create.error} />}
          <SubmitCancel label="Add user" pendingLabel="Adding…" pending={create.isPending} disabled={!check.success} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}
