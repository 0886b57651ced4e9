import { handle, readJson, type Params } from '@/server/http';
import { applySnapshot } from '@/server/volumes/snapshots';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** `{confirm, dryRun?}`: qemu-img snapshot -a (revert), with the volume's name typed. */
async function onPost(req: Request, { params }: Params<'host' | 'pool' | 'volume' | 'snapshot'>) {
  const { host, pool, volume, snapshot } = await params;
  return handle(async () => applySnapshot(host, pool, volume, snapshot, (await readJson(req, { optional: true })) ?? {}));
}

export const { POST } = api('/api/hosts/[host]/pools/[pool]/volumes/[volume]/snapshots/[snapshot]/apply', { POST: onPost });
