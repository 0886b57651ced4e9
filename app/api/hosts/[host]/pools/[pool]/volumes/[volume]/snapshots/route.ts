import { badRequest } from '@/server/errors';
import { handle, readJson, type Params } from '@/server/http';
import { createSnapshot, deleteSnapshot, listSnapshots } from '@/server/volumes/snapshots';
import { requireNamed } from '@/server/hosts/lookup';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

type P = Params<'host' | 'pool' | 'volume'>;

async function onGet(_req: Request, { params }: P) {
  const { host, pool, volume } = await params;
  return handle(() => listSnapshots(host, pool, volume));
}

/** `{name, dryRun?}`: qemu-img snapshot -c. */
async function onPost(req: Request, { params }: P) {
  const { host, pool, volume } = await params;
  return handle(async () => (await requireNamed(host, { pool, volume }), createSnapshot(host, pool, volume, await readJson(req))));
}

/** `{name, confirm, dryRun?}` (or DELETE …/snapshots/{name}). */
async function onDelete(req: Request, { params }: P) {
  const { host, pool, volume } = await params;
  return handle(async () => {
    await requireNamed(host, { pool, volume });
    const body = ((await readJson(req)) ?? {}) as { name?: unknown };
    if (typeof body.name !== 'string') throw badRequest('send {"name": SNAPSHOT, "confirm": SNAPSHOT}');
    return deleteSnapshot(host, pool, volume, body.name, body);
  });
}

export const { GET, POST, DELETE } = api('/api/hosts/[host]/pools/[pool]/volumes/[volume]/snapshots', { GET: onGet, POST: onPost, DELETE: onDelete });
