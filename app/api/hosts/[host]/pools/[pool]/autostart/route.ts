import { handle, readJson, type Params } from '@/server/http';
import { setPoolAutostart } from '@/server/hosts/pool-service';
import { requireNamed } from '@/server/hosts/lookup';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** PUT {"enabled": true|false} */
async function onPut(req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(async () => (await requireNamed(host, { pool }), setPoolAutostart(host, pool, await readJson(req))));
}

export const { PUT } = api('/api/hosts/[host]/pools/[pool]/autostart', { PUT: onPut });
