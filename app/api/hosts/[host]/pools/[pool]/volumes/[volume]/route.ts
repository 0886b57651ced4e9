import { handle, type Params } from '@/server/http';
import { getVolume } from '@/server/hosts/service';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host' | 'pool' | 'volume'>) {
  const { host, pool, volume } = await params;
  return handle(() => getVolume(host, pool, volume));
}
