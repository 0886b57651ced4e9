import { handle, type Params } from '@/server/http';
import { listPools } from '@/server/hosts/service';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => listPools(host));
}
