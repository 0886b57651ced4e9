import { handle, readJson, type Params } from '@/server/http';
import { getPool } from '@/server/hosts/service';
import { deletePool, isDryRun, previewPoolDelete } from '@/server/hosts/pool-service';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(() => getPool(host, pool));
}

/** Body (or query): `deleteStorage` and, with it, `confirm` = the pool's name; `dryRun: true` previews (commands, volumes, VMs in the way). */
async function onDelete(req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  const q = new URL(req.url).searchParams;
  return handle(async () => {
    const body = (await readJson(req, { optional: true })) ?? {
      deleteStorage: q.get('deleteStorage') === 'true',
      confirm: q.get('confirm') ?? undefined,
    };
    return isDryRun(body) ? previewPoolDelete(host, pool, body) : deletePool(host, pool, body);
  });
}

export const { GET, DELETE } = api('/api/hosts/[host]/pools/[pool]', { GET: onGet, DELETE: onDelete });
