import { handle, readJson, type Params } from '@/server/http';
import { detachDisk } from '@/server/domains/disks';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** Body (or query): `live`, `persistent`, `waitMs`, `deleteVolume` + `confirm`, `dryRun`. */
async function onDelete(req: Request, { params }: Params<'host' | 'vm' | 'target'>) {
  const { host, vm, target } = await params;
  const q = new URL(req.url).searchParams;
  const bool = (k: string) => (q.has(k) ? q.get(k) === 'true' : undefined);
  return handle(async () => {
    const body = (await readJson(req, { optional: true })) ?? {
      live: bool('live'),
      persistent: bool('persistent'),
      deleteVolume: bool('deleteVolume'),
      dryRun: bool('dryRun'),
      confirm: q.get('confirm') ?? undefined,
    };
    return detachDisk(host, vm, target, body);
  });
}

export const { DELETE } = api('/api/hosts/[host]/domains/[vm]/disks/[target]', { DELETE: onDelete });
