import { handle, type Params } from '@/server/http';
import { getHost } from '@/server/hosts/service';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => getHost(host));
}
