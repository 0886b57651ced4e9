import { handle, type Params } from '@/server/http';
import { getDomain } from '@/server/domains/read';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(() => getDomain(host, vm));
}

export const { GET } = api('/api/hosts/[host]/domains/[vm]', { GET: onGet });
