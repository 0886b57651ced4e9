import { oidcFailurePage } from '@/server/auth/oidc-pages';
import { startSignIn } from '@/server/auth/oidc';
import { OidcFailure } from '@/server/auth/oidc-failure';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/**
 * GET /api/auth/oidc/start?next=/path: 302 to the identity provider (state, nonce, PKCE S256 kept
 * in a 10-minute HttpOnly cookie). OIDC off or the provider unreachable: /login?error=CODE.
 */
async function onGet(req: Request) {
  try {
    const r = await startSignIn(req);
    return new Response(null, { status: 302, headers: { location: r.location, 'set-cookie': r.setCookie, 'cache-control': 'no-store' } });
  } catch (e) {
    if (e instanceof OidcFailure) return oidcFailurePage(e, { redirect: true });
    throw e;
  }
}

export const { GET } = api('/api/auth/oidc/start', { GET: onGet });
