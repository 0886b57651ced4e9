import { handle, type Params } from '@/server/http';
import { findPoolSources } from '@/server/hosts/pool-service';
import { requireNamed } from '@/server/hosts/lookup';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET ?type=netfs|logical|iscsi|iscsi-direct…&host=…&port=…&initiator=… */
async function onGet(req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  const q = new URL(req.url).searchParams;
  return handle(async () => (await requireNamed(host), findPoolSources(host, q.get('type') ?? '', q.get('host') ?? undefined, { port: q.get('port') ?? undefined, initiator: q.get('initiator') ?? undefined })));
}

export const { GET } = api('/api/hosts/[host]/pool-sources', { GET: onGet });
