import { deleteGrant } from '@/server/auth/admin';
import { handle, type Params } from '@/server/http';
import { api, currentPrincipal } from '@/server/route';

export const dynamic = 'force-dynamic';

/** DELETE /api/grants/{id} → the removed grant. Refused (409 `self`) when it is what makes the caller a console admin. */
async function onDelete(_req: Request, { params }: Params<'grant'>) {
  const { grant } = await params;
  return handle(async () => deleteGrant(currentPrincipal()!, grant));
}

export const { DELETE } = api('/api/grants/[grant]', { DELETE: onDelete });
