import { handle, readJson, type Params } from '@/server/http';
import { revertSnapshot } from '@/server/domains/snapshots';

export const dynamic = 'force-dynamic';

/** Body: `confirm` = the VM's name (its current state is discarded), `dryRun`. */
export async function POST(req: Request, { params }: Params<'host' | 'vm' | 'name'>) {
  const { host, vm, name } = await params;
  return handle(async () => revertSnapshot(host, vm, name, await readJson(req, { optional: true })));
}
