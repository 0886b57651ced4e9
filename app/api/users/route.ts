import { createUser, listUsersWithGrants } from '@/server/auth/admin';
import { handle, readJson } from '@/server/http';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET /api/users: every user with their own grants. */
async function onGet() {
  return handle(async () => listUsersWithGrants());
}

/** POST /api/users `{username, displayName?, password?, grant?: {role, hosts}}` → 201 `{user, password?}` (a generated password, this once). */
async function onPost(req: Request) {
  return handle(async () => createUser(await readJson(req)), { status: 201 });
}

export const { GET, POST } = api('/api/users', { GET: onGet, POST: onPost });
