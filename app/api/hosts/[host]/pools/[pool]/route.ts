import { handle, type Params } from '@/server/http';
import { getPool } from '@/server/hosts/service';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(() => getPool(host, pool));
}
