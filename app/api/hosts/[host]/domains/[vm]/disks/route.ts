import { handle, readJson, type Params } from '@/server/http';
import { attachDisk } from '@/server/domains/disks';
import { requireNamed } from '@/server/hosts/lookup';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** Attach a disk (existing volume, new volume or path); `dryRun` previews the XML and command. */
async function onPost(req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(async () => (await requireNamed(host, { vm }), attachDisk(host, vm, await readJson(req))));
}

export const { POST } = api('/api/hosts/[host]/domains/[vm]/disks', { POST: onPost });
