import { handle, type Params } from '@/server/http';
import { poolAction } from '@/server/hosts/pool-service';

export const dynamic = 'force-dynamic';

/** POST …/pools/{pool}/start | stop | refresh | build */
export async function POST(_req: Request, { params }: Params<'host' | 'pool' | 'action'>) {
  const { host, pool, action } = await params;
  return handle(() => poolAction(host, pool, action));
}
