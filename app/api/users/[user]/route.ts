import { updateUser } from '@/server/auth/admin';
import { requireUser } from '@/server/auth/users';
import { handle, readJson, type Params } from '@/server/http';
import { api, currentPrincipal } from '@/server/route';

export const dynamic = 'force-dynamic';

/** PATCH /api/users/{name} `{disabled?, displayName?, password? | generatePassword: true}` → `{user, password?}`. */
async function onPatch(req: Request, { params }: Params<'user'>) {
  const { user } = await params;
  // The user the URL names must exist before the body is read: a missing one is a 404, whatever the body.
  return handle(async () => (await requireUser(user), updateUser(currentPrincipal()!, user, await readJson(req))));
}

export const { PATCH } = api('/api/users/[user]', { PATCH: onPatch });
