import { handle, readJson, type Params } from '@/server/http';
import { listVolumes } from '@/server/hosts/service';
import { createVolume } from '@/server/volumes/create';
import { requireNamed } from '@/server/hosts/lookup';
import { api, noteAudit } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(() => listVolumes(host, pool));
}

/** Create a volume (or a differencing disk); `"dryRun": true` answers the exact commands/XML. */
async function onPost(req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(async () => {
    await requireNamed(host, { pool });
    const body = await readJson(req);
    // The audit record names the new volume (the URL names only its pool), so it is in the volume's history.
    const name = (body as { name?: unknown } | null)?.name;
    if (typeof name === 'string') noteAudit({ objectKind: 'volume', object: `${pool}/${name}` });
    const r = await createVolume(host, pool, body);
    return r;
  });
}

export const { GET, POST } = api('/api/hosts/[host]/pools/[pool]/volumes', { GET: onGet, POST: onPost });
