import { handle, readJson, type Params } from '@/server/http';
import { createSnapshot, listSnapshots } from '@/server/domains/snapshots';
import { requireNamed } from '@/server/hosts/lookup';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(() => listSnapshots(host, vm));
}

export async function POST(req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(async () => (await requireNamed(host, { vm }), createSnapshot(host, vm, await readJson(req))));
}
