import { handle, readJson, type Params } from '@/server/http';
import { getPoolXml, putPoolXml } from '@/server/hosts/pool-xml-service';
import { requireNamed } from '@/server/hosts/lookup';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** The pool's XML: live and persistent (`pool-dumpxml [--inactive]`). */
async function onGet(_req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(() => getPoolXml(host, pool));
}

/** Body `{xml, dryRun?}`: redefine the pool from edited XML (`pool-define` on stdin). */
async function onPut(req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(async () => (await requireNamed(host, { pool }), putPoolXml(host, pool, await readJson(req))));
}

export const { GET, PUT } = api('/api/hosts/[host]/pools/[pool]/xml', { GET: onGet, PUT: onPut });
