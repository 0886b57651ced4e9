import { handle, readJson, type Params } from '@/server/http';
import { poolAction } from '@/server/hosts/pool-service';

export const dynamic = 'force-dynamic';

/** POST …/pools/{pool}/start | stop | refresh | build; body `{"dryRun": true}` previews the command. */
export async function POST(req: Request, { params }: Params<'host' | 'pool' | 'action'>) {
  const { host, pool, action } = await params;
  return handle(async () => poolAction(host, pool, action, await readJson(req, { optional: true })));
}
