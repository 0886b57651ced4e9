import { oidcFailurePage, oidcSignedInPage } from '@/server/auth/oidc-pages';
import { currentContext } from '@/server/auth/context';
import { clearTxCookie, finishSignIn } from '@/server/auth/oidc';
import { OidcFailure } from '@/server/auth/oidc-failure';
import { sessionCookie } from '@/server/auth/cookies';
import { absoluteMs } from '@/server/auth/sessions';
import { api, noteAudit } from '@/server/route';

export const dynamic = 'force-dynamic';

/**
 * GET /api/auth/oidc/callback?code=…&state=…: where the identity provider sends the browser back.
 * Signed in: the session cookie and a page that moves on to `next`. Refused: a 4xx page that moves
 * on to /login?error=CODE. Audited as `auth.oidc` either way.
 */
async function onGet(req: Request) {
  try {
    const r = await finishSignIn(req, { sourceAddress: currentContext()?.sourceAddress ?? null, userAgent: req.headers.get('user-agent') });
    return oidcSignedInPage(r.next, [sessionCookie(r.cookieValue, absoluteMs() / 1000), clearTxCookie()]);
  } catch (e) {
    if (e instanceof OidcFailure) {
      noteAudit({ detail: { ...e.facts, error: { code: e.code, message: e.message } } });
      return oidcFailurePage(e, { setCookies: [clearTxCookie()] });
    }
    throw e;
  }
}

export const { GET } = api('/api/auth/oidc/callback', { GET: onGet });
