'use client';

import { useState } from 'react';
import { z } from 'zod';
import { ApiError, sendJson } from '@/lib/api/errors';
import { apiPaths } from '@/lib/api/paths';
import { TextField } from '@/components/ui/form-fields';
import { buttonCls } from '@/components/ui/styles';

const LoginAnswer = z.object({ user: z.string(), expiresAt: z.string() });

/** Only a path of this console: `next` comes from the URL, and an open redirect would be a phishing aid. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) return '/';
  return next;
}

export function LoginForm({ next, error: initialError }: { next: string | null; error: string | null }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(initialError);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await sendJson('POST', apiPaths.login(), { username, password }, LoginAnswer);
      // A full navigation: the console's layout reads the new session on the server.
      window.location.assign(safeNext(next));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Sign in">
      <TextField label="User name" value={username} onChange={setUsername} autoComplete="username" />
      <TextField label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" />
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !username || !password} className={`${buttonCls('primary')} w-full justify-center`}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
