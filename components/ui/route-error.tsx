'use client';

import { useEffect } from 'react';
import { ErrorPanel } from './error-panel';

/**
 * The body of every error.tsx. Pages do not throw for a host that is down (the views show that
 * inline), so reaching this means a bug or a server crash; production builds redact the
 * message of a server-side error to a digest, which is shown so the log line can be found.
 */
export function RouteError({ error, retry, what }: { error: unknown; retry: () => void; what: string }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="max-w-3xl space-y-3">
      <ErrorPanel title={`Could not show ${what}`} error={error} />
      <button
        type="button"
        onClick={() => retry()}
        className="rounded border border-zinc-300 px-3 py-1 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-600 dark:hover:bg-zinc-800"
      >
        Try again
      </button>
    </div>
  );
}
