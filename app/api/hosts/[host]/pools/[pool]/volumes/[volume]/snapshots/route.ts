import { badRequest } from '@/server/errors';
import { handle, readJson, type Params } from '@/server/http';
import { createSnapshot, deleteSnapshot, listSnapshots } from '@/server/volumes/snapshots';
import { requireNamed } from '@/server/hosts/lookup';

export const dynamic = 'force-dynamic';

type P = Params<'host' | 'pool' | 'volume'>;

export async function GET(_req: Request, { params }: P) {
  const { host, pool, volume } = await params;
  return handle(() => listSnapshots(host, pool, volume));
}

/** `{name, dryRun?}`: qemu-img snapshot -c. */
export async function POST(req: Request, { params }: P) {
  const { host, pool, volume } = await params;
  return handle(async () => (await requireNamed(host, { pool, volume }), createSnapshot(host, pool, volume, await readJson(req))));
}

/** `{name, confirm, dryRun?}` (or DELETE …/snapshots/{name}). */
export async function DELETE(req: Request, { params }: P) {
  const { host, pool, volume } = await params;
  return handle(async () => {
    await requireNamed(host, { pool, volume });
    const body = ((await readJson(req)) ?? {}) as { name?: unknown };
    if (typeof body.name !== 'string') throw badRequest('send {"name": SNAPSHOT, "confirm": SNAPSHOT}');
    return deleteSnapshot(host, pool, volume, body.name, body);
  });
}
