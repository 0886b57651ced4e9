import { handle, type Params } from '@/server/http';
import { listDomains } from '@/server/hosts/service';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => listDomains(host));
}

export const { GET } = api('/api/hosts/[host]/domains', { GET: onGet });
