import { handle, type Params } from '@/server/http';
import { getDomain } from '@/server/domains/read';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(() => getDomain(host, vm));
}
