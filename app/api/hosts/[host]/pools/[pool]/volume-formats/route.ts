import { handle, type Params } from '@/server/http';
import { volumeFormats } from '@/server/volumes/formats';

export const dynamic = 'force-dynamic';

/** Formats and preallocation modes a new volume in this pool can have (the host's qemu-img × the pool type). */
export async function GET(_req: Request, { params }: Params<'host' | 'pool'>) {
  const { host, pool } = await params;
  return handle(() => volumeFormats(host, pool));
}
