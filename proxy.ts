import { NextResponse, type NextRequest } from 'next/server';
import { PATH_HEADER } from '@/lib/api/request-headers';
import { sessionCookieName } from '@/server/auth/cookies';
import { applySecurityHeaders, checkRequest, contentSecurityPolicy, gateConfig, makeNonce, refusalResponse } from '@/server/security/gate';

/** Pages anyone may load: signing in, and the files a sign-in page needs. */
const PUBLIC_PAGES = /^\/(login|favicon\.svg|robots\.txt)(\/|$)/;

/**
 * Next's request hook: it runs before every route and page, so the gate in
 * server/security/gate.ts cannot be skipped by a new route. One path is left out (see `config`):
 * volume content, whose handlers call the same gate themselves (`gated`).
 */
export function proxy(request: NextRequest) {
  const cfg = gateConfig();
  const verdict = checkRequest({ method: request.method, pathname: request.nextUrl.pathname, headers: request.headers }, cfg);
  const path = request.nextUrl.pathname;
  const isPage = !path.startsWith('/api/') && !path.startsWith('/_next/');
  let response: Response;
  let nonce: string | null = null;
  if (!verdict.ok) response = refusalResponse(verdict);
  else if (isPage && !PUBLIC_PAGES.test(path) && !request.cookies.has(sessionCookieName())) {
    // No session at all: straight to sign-in (the console's layout checks a session that is there).
    const url = request.nextUrl.clone();
    url.pathname = '/login';
    url.search = path === '/' ? '' : `?next=${encodeURIComponent(path + request.nextUrl.search)}`;
    response = NextResponse.redirect(url, 303);
  } else if (isPage) {
    // Next reads the nonce from the request's CSP header and puts it on its own scripts.
    nonce = makeNonce();
    const headers = new Headers(request.headers);
    headers.set('content-security-policy', contentSecurityPolicy(cfg, nonce));
    headers.set('x-nonce', nonce);
    headers.set(PATH_HEADER, path + request.nextUrl.search);
    response = NextResponse.next({ request: { headers } });
  } else response = NextResponse.next();
  applySecurityHeaders(response.headers, cfg, nonce);
  return response;
}

export const config = {
  // Everything but volume content: with a proxy in front, Next buffers each request body whole in
  // memory (cut at proxyClientMaxBodySize), which would end streamed multi-GiB uploads.
  // e2e/cross-origin.spec.ts attacks that path too.
  matcher: ['/((?!api/hosts/[^/]+/pools/[^/]+/volumes/[^/]+/content/?$).*)'],
};
