import { revokeMySession } from '@/server/auth/account';
import { clearSessionCookie } from '@/server/auth/cookies';
import { errorResponse, type Params } from '@/server/http';
import { api, currentPrincipal, json } from '@/server/route';

export const dynamic = 'force-dynamic';

/** DELETE /api/me/sessions/{id}: end one of my sessions; ending this one signs me out (the cookie is cleared). */
async function onDelete(_req: Request, { params }: Params<'session'>) {
  const { session } = await params;
  try {
    const r = await revokeMySession(currentPrincipal()!, session);
    return json(r, 200, r.signedOut ? { 'set-cookie': clearSessionCookie() } : {});
  } catch (e) {
    return errorResponse(e);
  }
}

export const { DELETE } = api('/api/me/sessions/[session]', { DELETE: onDelete });
