import { handle, type Params } from '@/server/http';
import { listBlockDevices } from '@/server/hosts/pool-service';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => listBlockDevices(host));
}
