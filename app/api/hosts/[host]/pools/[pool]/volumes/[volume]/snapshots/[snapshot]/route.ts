import { handle, readJson, type Params } from '@/server/http';
import { deleteSnapshot } from '@/server/volumes/snapshots';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** `{confirm, dryRun?}`: qemu-img snapshot -d, with the snapshot's name typed. */
async function onDelete(req: Request, { params }: Params<'host' | 'pool' | 'volume' | 'snapshot'>) {
  const { host, pool, volume, snapshot } = await params;
  return handle(async () => deleteSnapshot(host, pool, volume, snapshot, (await readJson(req, { optional: true })) ?? {}));
}

export const { DELETE } = api('/api/hosts/[host]/pools/[pool]/volumes/[volume]/snapshots/[snapshot]', { DELETE: onDelete });
