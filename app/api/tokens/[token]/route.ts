import { revokeTokenFor } from '@/server/auth/account';
import { handle, type Params } from '@/server/http';
import { api, currentPrincipal } from '@/server/route';

export const dynamic = 'force-dynamic';

/** DELETE /api/tokens/{id}: revoke one of my tokens; `?user=NAME` (a console admin) one of theirs. */
async function onDelete(req: Request, { params }: Params<'token'>) {
  const { token } = await params;
  const user = new URL(req.url).searchParams.get('user');
  return handle(async () => revokeTokenFor(currentPrincipal()!, token, user));
}

export const { DELETE } = api('/api/tokens/[token]', { DELETE: onDelete });
