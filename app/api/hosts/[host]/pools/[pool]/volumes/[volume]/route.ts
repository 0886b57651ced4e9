import { handle, readJson, type Params } from '@/server/http';
import { getVolume } from '@/server/hosts/service';
import { deleteVolume } from '@/server/volumes/operations';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'host' | 'pool' | 'volume'>) {
  const { host, pool, volume } = await params;
  return handle(() => getVolume(host, pool, volume));
}

/** Body (or query) `{confirm, dryRun}`: refused with 409 unless `confirm` is the volume's name. */
async function onDelete(req: Request, { params }: Params<'host' | 'pool' | 'volume'>) {
  const { host, pool, volume } = await params;
  return handle(async () => {
    const q = new URL(req.url).searchParams;
    const body = (await readJson(req, { optional: true })) ?? {
      ...(q.has('confirm') ? { confirm: q.get('confirm') } : {}),
      ...(q.get('dryRun') === 'true' ? { dryRun: true } : {}),
    };
    return deleteVolume(host, pool, volume, body);
  });
}

export const { GET, DELETE } = api('/api/hosts/[host]/pools/[pool]/volumes/[volume]', { GET: onGet, DELETE: onDelete });
