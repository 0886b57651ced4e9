import { revokeUserSession } from '@/server/auth/admin';
import { clearSessionCookie } from '@/server/auth/cookies';
import { errorResponse, type Params } from '@/server/http';
import { api, currentPrincipal, json } from '@/server/route';

export const dynamic = 'force-dynamic';

/** DELETE /api/users/{name}/sessions/{id}: end anyone's session (ending one's own signs out). */
async function onDelete(_req: Request, { params }: Params<'user' | 'session'>) {
  const { user, session } = await params;
  try {
    const r = await revokeUserSession(currentPrincipal()!, user, session);
    return json(r, 200, r.signedOut ? { 'set-cookie': clearSessionCookie() } : {});
  } catch (e) {
    return errorResponse(e);
  }
}

export const { DELETE } = api('/api/users/[user]/sessions/[session]', { DELETE: onDelete });
