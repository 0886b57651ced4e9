import { handle, readJson, type Params } from '@/server/http';
import { revertSnapshot } from '@/server/domains/snapshots';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** Body: `confirm` = the VM's name (its current state is discarded), `dryRun`. */
async function onPost(req: Request, { params }: Params<'host' | 'vm' | 'name'>) {
  const { host, vm, name } = await params;
  return handle(async () => revertSnapshot(host, vm, name, await readJson(req, { optional: true })));
}

export const { POST } = api('/api/hosts/[host]/domains/[vm]/snapshots/[name]/revert', { POST: onPost });
