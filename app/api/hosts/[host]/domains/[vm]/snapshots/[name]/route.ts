import { handle, readJson, type Params } from '@/server/http';
import { deleteSnapshot } from '@/server/domains/snapshots';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** Body (or query): `confirm` = the snapshot's name, `dryRun`. */
async function onDelete(req: Request, { params }: Params<'host' | 'vm' | 'name'>) {
  const { host, vm, name } = await params;
  const q = new URL(req.url).searchParams;
  return handle(async () => {
    const body = (await readJson(req, { optional: true })) ?? { confirm: q.get('confirm') ?? undefined, dryRun: q.get('dryRun') === 'true' };
    return deleteSnapshot(host, vm, name, body);
  });
}

export const { DELETE } = api('/api/hosts/[host]/domains/[vm]/snapshots/[name]', { DELETE: onDelete });
