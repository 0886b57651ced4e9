import { handle, type Params } from '@/server/http';
import { volumeFormats } from '@/server/volumes/formats';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** Formats and preallocation modes a new volume in this pool can have (the host's qemu-img × the pool type). */
async function onGet(_req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(() => volumeFormats(host, pool));
}

export const { GET } = api('/api/hosts/[host]/pools/[pool]/volume-formats', { GET: onGet });
