import { createMyToken, listTokensFor } from '@/server/auth/account';
import { handle, readJson } from '@/server/http';
import { api, currentPrincipal } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET /api/tokens: my live API tokens (never their secrets); `?user=NAME` or `?user=*`: a console admin's view of others'. */
async function onGet(req: Request) {
  const user = new URL(req.url).searchParams.get('user');
  return handle(async () => listTokensFor(currentPrincipal()!, user));
}

/** POST /api/tokens `{name, role?, expires?}` → 201 `{token, record}`: the token string this once. */
async function onPost(req: Request) {
  return handle(async () => createMyToken(currentPrincipal()!, await readJson(req)), { status: 201 });
}

export const { GET, POST } = api('/api/tokens', { GET: onGet, POST: onPost });
