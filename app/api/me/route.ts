import { describeMe } from '@/server/auth/me';
import { handle } from '@/server/http';
import { api, currentPrincipal } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET /api/me: who I am, how I signed in, and my role on each host I can see. */
async function onGet() {
  return handle(async () => describeMe(currentPrincipal()!));
}

export const { GET } = api('/api/me', { GET: onGet });
