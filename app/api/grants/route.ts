import { createGrant, listGrantDtos } from '@/server/auth/admin';
import { handle, readJson } from '@/server/http';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET /api/grants: every grant, users' and groups'. */
async function onGet() {
  return handle(async () => listGrantDtos());
}

/** POST /api/grants `{subjectKind: user|group, subject, role, hosts: "*" | [ids]}` → 201 the grant (hosts checked against the inventory). */
async function onPost(req: Request) {
  return handle(async () => createGrant(await readJson(req)), { status: 201 });
}

export const { GET, POST } = api('/api/grants', { GET: onGet, POST: onPost });
