import 'server-only';
import type { OidcFailure } from './oidc-failure';

/**
 * The answers of the sign-on routes that a browser shows. After the provider's redirect the
 * browser is on a navigation another site started, and a SameSite=Strict session cookie is not
 * sent on it — nor on a 302 from it. So the callback answers a page that moves on by itself
 * (`<meta http-equiv=refresh>`: no script, allowed by the API's CSP); that navigation starts on
 * the console, and the new session cookie goes with it.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, to: string, text: string, setCookies: string[] = []): Response {
  const headers = new Headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  for (const c of setCookies) headers.append('set-cookie', c);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${esc(to)}"><title>KVM Storage Console</title></head><body><p>${esc(text)} <a href="${esc(to)}">Continue</a></p></body></html>`;
  return new Response(body, { status, headers });
}

/** Signed in: on to `next` (already a same-origin path). */
export const oidcSignedInPage = (next: string, setCookies: string[]) => page(200, next, 'Signed in.', setCookies);

export const loginErrorPath = (code: string) => `/login?error=${encodeURIComponent(code)}`;

/** Refused: on to the login page, which words the code (lib/auth/oidc-errors.ts). `redirect`: a plain 302 (before the provider was involved). */
export function oidcFailurePage(e: OidcFailure, opts: { redirect?: boolean; setCookies?: string[] } = {}): Response {
  const to = loginErrorPath(e.code);
  if (opts.redirect) {
    const headers = new Headers({ location: to, 'cache-control': 'no-store' });
    for (const c of opts.setCookies ?? []) headers.append('set-cookie', c);
    return new Response(null, { status: 302, headers });
  }
  return page(e.status, to, e.message, opts.setCookies);
}
