import { clearSessionCookie, cookieValue, sessionCookieName } from '@/server/auth/cookies';
import { endSessionByCookie } from '@/server/auth/sessions';
import { noteAudit, api, json } from '@/server/route';

export const dynamic = 'force-dynamic';

/** POST /api/auth/logout: ends this session (server-side) and clears the cookie. */
async function onPost(req: Request) {
  const secret = cookieValue(req.headers.get('cookie'), sessionCookieName());
  const s = secret ? await endSessionByCookie(secret) : null;
  noteAudit({ operation: 'auth.logout', ...(s ? { objectKind: 'session', object: s.id } : {}) });
  return json({ ok: true }, 200, { 'set-cookie': clearSessionCookie() });
}

export const { POST } = api('/api/auth/logout', { POST: onPost });
