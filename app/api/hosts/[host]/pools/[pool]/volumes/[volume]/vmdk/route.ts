import { handle, type Params } from '@/server/http';
import { inspectVmdk } from '@/server/volumes/vmdk-migration';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET …/volumes/{vol}/vmdk: what the VMware-migration flow knows about a vmdk (subformat, extents, measure, problems). */
async function onGet(_req: Request, { params }: Params<'host' | 'pool' | 'volume'>) {
  const { host, pool, volume } = await params;
  return handle(() => inspectVmdk(host, pool, volume));
}

export const { GET } = api('/api/hosts/[host]/pools/[pool]/volumes/[volume]/vmdk', { GET: onGet });
