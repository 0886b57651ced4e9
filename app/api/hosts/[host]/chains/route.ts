import { handle, type Params } from '@/server/http';
import { hostChains } from '@/server/volumes/chains';

export const dynamic = 'force-dynamic';

/** Every backing chain of the host: bases, overlays across pools, the VMs using each. */
export async function GET(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => hostChains(host));
}
