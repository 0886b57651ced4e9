import { updateUser } from '@/server/auth/admin';
import { handle, readJson, type Params } from '@/server/http';
import { api, currentPrincipal } from '@/server/route';

export const dynamic = 'force-dynamic';

/** PATCH /api/users/{name} `{disabled?, displayName?, password? | generatePassword: true}` → `{user, password?}`. */
async function onPatch(req: Request, { params }: Params<'user'>) {
  const { user } = await params;
  return handle(async () => updateUser(currentPrincipal()!, user, await readJson(req)));
}

export const { PATCH } = api('/api/users/[user]', { PATCH: onPatch });
