import { handle, readJson, type Params } from '@/server/http';
import { listPools } from '@/server/hosts/service';
import { createPool } from '@/server/hosts/pool-service';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => listPools(host));
}

export async function POST(req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(async () => createPool(host, await readJson(req)));
}
