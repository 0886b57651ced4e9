import { mySessions } from '@/server/auth/account';
import { handle } from '@/server/http';
import { api, currentPrincipal } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET /api/me/sessions: my live sessions, newest first; `current` marks the one this request came with. */
async function onGet() {
  return handle(async () => mySessions(currentPrincipal()!));
}

export const { GET } = api('/api/me/sessions', { GET: onGet });
