import { handle, type Params } from '@/server/http';
import { listBlockDevices } from '@/server/hosts/pool-service';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => listBlockDevices(host));
}

export const { GET } = api('/api/hosts/[host]/block-devices', { GET: onGet });
