import { handle, type Params } from '@/server/http';
import { hostChains } from '@/server/volumes/chains';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** Every backing chain of the host: bases, overlays across pools, the VMs using each. */
async function onGet(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => hostChains(host));
}

export const { GET } = api('/api/hosts/[host]/chains', { GET: onGet });
