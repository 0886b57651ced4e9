import { handle, type Params } from '@/server/http';
import { getHost } from '@/server/hosts/service';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => getHost(host));
}

export const { GET } = api('/api/hosts/[host]', { GET: onGet });
