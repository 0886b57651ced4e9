import { handle, readJson, type Params } from '@/server/http';
import { createSnapshot, listSnapshots } from '@/server/domains/snapshots';
import { requireNamed } from '@/server/hosts/lookup';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(() => listSnapshots(host, vm));
}

async function onPost(req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(async () => (await requireNamed(host, { vm }), createSnapshot(host, vm, await readJson(req))));
}

export const { GET, POST } = api('/api/hosts/[host]/domains/[vm]/snapshots', { GET: onGet, POST: onPost });
