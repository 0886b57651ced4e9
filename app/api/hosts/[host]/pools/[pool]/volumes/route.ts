import { handle, readJson, type Params } from '@/server/http';
import { listVolumes } from '@/server/hosts/service';
import { createVolume } from '@/server/volumes/create';
import { requireNamed } from '@/server/hosts/lookup';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(() => listVolumes(host, pool));
}

/** Create a volume (or a differencing disk); `"dryRun": true` answers the exact commands/XML. */
export async function POST(req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(async () => {
    await requireNamed(host, { pool });
    const body = await readJson(req);
    const r = await createVolume(host, pool, body);
    return r;
  });
}
