import { handle, type Params } from '@/server/http';
import { findPoolSources } from '@/server/hosts/pool-service';

export const dynamic = 'force-dynamic';

/** GET ?type=netfs|logical|iscsi…&host=… */
export async function GET(req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  const q = new URL(req.url).searchParams;
  return handle(() => findPoolSources(host, q.get('type') ?? '', q.get('host') ?? undefined));
}
