import { handle, readJson, type Params } from '@/server/http';
import { poolAction } from '@/server/hosts/pool-service';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** POST …/pools/{pool}/start | stop | refresh | build; body `{"dryRun": true}` previews the command. */
async function onPost(req: Request, { params }: Params<'host' | 'pool' | 'action'>) {
  const { host, pool, action } = await params;
  return handle(async () => poolAction(host, pool, action, await readJson(req, { optional: true })));
}

export const { POST } = api('/api/hosts/[host]/pools/[pool]/[action]', { POST: onPost });
