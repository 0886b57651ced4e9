import { currentContext } from '@/server/auth/context';
import { login } from '@/server/auth/login';
import { sessionCookie } from '@/server/auth/cookies';
import { absoluteMs } from '@/server/auth/sessions';
import { errorResponse, readJson } from '@/server/http';
import { api, json } from '@/server/route';

export const dynamic = 'force-dynamic';

/** POST /api/auth/login `{username, password}` → the session cookie and `{user, expiresAt}`. */
async function onPost(req: Request) {
  try {
    const r = await login(await readJson(req), { sourceAddress: currentContext()?.sourceAddress ?? null, userAgent: req.headers.get('user-agent') });
    return json({ user: r.username, expiresAt: r.expiresAt }, 200, { 'set-cookie': sessionCookie(r.cookieValue, absoluteMs() / 1000) });
  } catch (e) {
    const res = errorResponse(e);
    const retry = (e as { detail?: { retryAfterSec?: number } }).detail?.retryAfterSec;
    if (retry) res.headers.set('retry-after', String(retry));
    return res;
  }
}

export const { POST } = api('/api/auth/login', { POST: onPost });
