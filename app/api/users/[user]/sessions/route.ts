import { userSessions } from '@/server/auth/admin';
import { handle, type Params } from '@/server/http';
import { api, currentPrincipal } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET /api/users/{name}/sessions: that user's live sessions. */
async function onGet(_req: Request, { params }: Params<'user'>) {
  const { user } = await params;
  return handle(async () => userSessions(currentPrincipal()!, user));
}

export const { GET } = api('/api/users/[user]/sessions', { GET: onGet });
