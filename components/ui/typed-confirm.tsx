'use client';

import type { ReactNode } from 'react';

/**
 * The console's one typed-name confirmation. A guarded write is refused by the server with a 409
 * naming the hazard (`{error: {code, message, detail: {confirmWith, affected}}}`, read by
 * `guardOf` in lib/api/errors.ts); this shows that refusal — what is at stake — and asks for the
 * name the server wants typed. The name typed is sent as `confirm`; the server checks it again.
 */
export interface GuardBody {
  code?: string;
  message?: string;
  confirmWith: string;
  affected?: unknown;
}

/** True once the typed text is exactly the name asked for. */
export const typedOk = (typed: string, confirmWith: string | null | undefined) => confirmWith == null || typed === confirmWith;

export function TypedConfirm({
  confirmWith,
  value,
  onChange,
  guard,
  label,
  children,
}: {
  confirmWith: string;
  value: string;
  onChange: (v: string) => void;
  /** The server's refusal, when there was one: its message and what it lists as affected. */
  guard?: GuardBody | null;
  /** Default: "Type NAME to confirm". */
  label?: string;
  children?: ReactNode;
}) {
  const text = label ?? `Type ${confirmWith} to confirm`;
  return (
    <div role={guard ? 'alert' : undefined} className={guard ? 'space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100' : 'space-y-2 text-sm'}>
      {guard && (
        <>
          <p className="font-semibold">Refused without confirmation{guard.code ? ` (${guard.code})` : ''}</p>
          {guard.message && <p>{guard.message}</p>}
          {guard.affected != null && <Affected value={guard.affected} />}
        </>
      )}
      <label className="block text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label ? (
          text
        ) : (
          <>
            Type <span className="font-mono font-semibold">{confirmWith}</span> to confirm
          </>
        )}
        <input
          className="mt-0.5 block h-8 w-full max-w-md rounded border border-zinc-300 bg-white px-2 font-mono text-sm dark:border-zinc-600 dark:bg-zinc-900"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-label={text}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      {children}
    </div>
  );
}

/** What a guard lists as affected: names, volumes (pool/name, used by), or the raw value. */
export function Affected({ value }: { value: unknown }) {
  const v = value as { volumes?: unknown } | null;
  if (v && typeof v === 'object' && !Array.isArray(v) && Array.isArray(v.volumes)) return <Affected value={v.volumes} />;
  if (Array.isArray(value))
    return (
      <ul className="list-disc pl-5">
        {value.map((x, i) => {
          const d = x as { pool?: string; name?: string; path?: string; volume?: string; usedBy?: string[] };
          return (
            <li key={i} className="font-mono text-xs">
              {typeof x === 'string' ? x : d.pool && d.name ? `${d.pool}/${d.name}` : (d.path ?? d.volume ?? JSON.stringify(x))}
              {typeof x !== 'string' && d.usedBy?.length ? ` (used by ${d.usedBy.join(', ')})` : ''}
            </li>
          );
        })}
      </ul>
    );
  return <pre className="overflow-auto font-mono text-xs">{JSON.stringify(value, null, 1)}</pre>;
}
