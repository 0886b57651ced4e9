import { NextResponse, type NextRequest } from 'next/server';
import { checkRequest, contentSecurityPolicy, gateConfigFromEnv, makeNonce, securityHeaders, type GateConfig } from '@/server/security/gate';

/**
 * Next's request hook: it runs before every route and page (no matcher), so the gate in
 * server/security/gate.ts cannot be skipped by a new route. Refusals are JSON like every API error.
 */
let cached: GateConfig | null = null;
const config = () => (cached ??= gateConfigFromEnv());

export function proxy(request: NextRequest) {
  const cfg = config();
  const verdict = checkRequest({ method: request.method, pathname: request.nextUrl.pathname, headers: request.headers }, cfg);
  const isPage = !request.nextUrl.pathname.startsWith('/api/') && !request.nextUrl.pathname.startsWith('/_next/');
  let response: NextResponse;
  let nonce: string | null = null;
  if (!verdict.ok) {
    response = NextResponse.json({ error: { code: verdict.code, message: verdict.message } }, { status: verdict.status, headers: { 'cache-control': 'no-store' } });
  } else if (isPage) {
    // Next reads the nonce from the request's CSP header and puts it on its own scripts.
    nonce = makeNonce();
    const csp = contentSecurityPolicy(cfg, nonce);
    const headers = new Headers(request.headers);
    headers.set('content-security-policy', csp);
    headers.set('x-nonce', nonce);
    response = NextResponse.next({ request: { headers } });
  } else {
    response = NextResponse.next();
  }
  response.headers.set('content-security-policy', contentSecurityPolicy(cfg, nonce));
  for (const [k, v] of Object.entries(securityHeaders(cfg))) response.headers.set(k, v);
  return response;
}
