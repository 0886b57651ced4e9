import { handle, readJson, type Params } from '@/server/http';
import { createSnapshot, listSnapshots } from '@/server/domains/snapshots';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(() => listSnapshots(host, vm));
}

export async function POST(req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(async () => createSnapshot(host, vm, await readJson(req)));
}
