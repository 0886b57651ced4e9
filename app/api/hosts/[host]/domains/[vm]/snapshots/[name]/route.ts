import { handle, readJson, type Params } from '@/server/http';
import { deleteSnapshot } from '@/server/domains/snapshots';

export const dynamic = 'force-dynamic';

/** Body (or query): `confirm` = the snapshot's name, `dryRun`. */
export async function DELETE(req: Request, { params }: Params<'host' | 'vm' | 'name'>) {
  const { host, vm, name } = await params;
  const q = new URL(req.url).searchParams;
  return handle(async () => {
    const body = (await readJson(req, { optional: true })) ?? { confirm: q.get('confirm') ?? undefined, dryRun: q.get('dryRun') === 'true' };
    return deleteSnapshot(host, vm, name, body);
  });
}
