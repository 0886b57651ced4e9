'use client';

import { useState } from 'react';
import { useRevokeUserSession, useUpdateUser, useUserSessions } from '@/lib/api/account';
import { Password, type UserChangedDto, type UserDto } from '@/lib/schemas';
import { Dialog, SubmitCancel } from '@/components/ui/dialog';
import { ErrorPanel } from '@/components/ui/error-panel';
import { CheckField, TextField } from '@/components/ui/form-fields';
import { btn } from '@/components/ui/styles';
import { SessionsTable } from '@/components/account/sessions-table';
import { SecretOnce } from './secret-once';

/** A user's live sessions; an admin revokes any of them. */
export function UserSessionsDialog({ user, onClose }: { user: UserDto; onClose: () => void }) {
  const sessions = useUserSessions(user.username);
  const revoke = useRevokeUserSession(user.username);
  return (
    <Dialog title={`Sessions of ${user.username}`} open onClose={onClose} wide>
      {sessions.error ? (
        <ErrorPanel title="Could not list the sessions" error={sessions.error} />
      ) : !sessions.data ? (
        <p className="text-sm">Loading…</p>
      ) : (
        <SessionsTable sessions={sessions.data} label={`Sessions of ${user.username}`} revoke={revoke} />
      )}
    </Dialog>
  );
}

/** A new password, typed or generated (then shown once). The user's other sessions end with the old one. */
export function ResetPasswordDialog({ user, onClose }: { user: UserDto; onClose: () => void }) {
  const update = useUpdateUser();
  const [generate, setGenerate] = useState(true);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<UserChangedDto | null>(null);
  const check = Password.safeParse(password);
  return (
    <Dialog title={`Reset the password of ${user.username}`} open onClose={onClose}>
      {done ? (
        <div className="space-y-3">
          {done.password ? <SecretOnce label="New password" value={done.password} note={`The new password of ${user.username}.`} /> : <p className="text-sm">The password was changed.</p>}
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Their sessions signed in with the old password have ended.</p>
          <button type="button" className={btn.primary} onClick={onClose}>
            Done
          </button>
        </div>
      ) : (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ user: user.username, body: generate ? { generatePassword: true } : { password } }, { onSuccess: setDone });
          }}
        >
          <CheckField label="Generate a password" checked={generate} onChange={setGenerate} help="20 random characters, shown once." />
          {!generate && <TextField label="New password" type="password" autoComplete="new-password" value={password} onChange={setPassword} error={password && !check.success ? check.error.issues[0]?.message : undefined} />}
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Their current sessions end; they sign in again with the new password.</p>
          {update.error && <ErrorPanel title="Could not reset the password" error={update.error} />}
          <SubmitCancel label="Reset password" pendingLabel="Resetting…" pending={update.isPending} disabled={!generate && !check.success} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}
