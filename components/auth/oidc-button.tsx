'use client';

import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { getJson } from '@/lib/api/errors';
import { oidcErrorMessage } from '@/lib/auth/oidc-errors';
import { buttonCls } from '@/components/ui/button';
import { Note } from '@/components/ui/note';

/**
 * Single sign-on on the login page:
 *
 *   <OidcSignInError code={searchParams.error} />   // the reason a sign-on ended on /login?error=…
 *   <OidcButton next={searchParams.next} />          // "Sign in with …", only when OIDC is configured
 *
 * The button asks the public GET /api/auth/providers for the label (or takes `label` from a
 * server component that already knows it) and renders nothing when single sign-on is off. It is a
 * plain link: the sign-on is a chain of top-level navigations (console → provider → console).
 */
const ProvidersDto = z.object({ local: z.boolean().optional(), oidc: z.object({ label: z.string() }).nullable() });

export const providersQuery = {
  queryKey: ['auth', 'providers'] as const,
  queryFn: ({ signal }: { signal?: AbortSignal }) => getJson('/api/auth/providers', ProvidersDto, signal),
  staleTime: 5 * 60_000,
};

/** The start URL, with `next` (the server keeps it only if it is a path on this console). */
export const oidcStartHref = (next?: string | null) => `/api/auth/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ''}`;

/** `label`: known on the server (`oidcPublicInfo()?.label ?? null`; null = off); left out, it is asked of the API. */
export function OidcButton({ next, label }: { next?: string | null; label?: string | null }) {
  const q = useQuery({ ...providersQuery, enabled: label === undefined });
  const name = label === undefined ? q.data?.oidc?.label : label;
  if (!name) return null;
  return (
    <a href={oidcStartHref(next)} className={`${buttonCls('secondary')} w-full`} data-testid="oidc-sign-in">
      Sign in with {name}
    </a>
  );
}

/** Why the last sign-on was refused, worded from its code; nothing for another (or no) code. */
export function OidcSignInError({ code }: { code?: string | null }) {
  const message = oidcErrorMessage(code);
  if (!message) return null;
  return (
    <div role="alert" data-testid="oidc-error">
      <Note tone="danger">{message}</Note>
    </div>
  );
}
