import { handle, readJson, type Params } from '@/server/http';
import { changeMedia } from '@/server/domains/disks';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** CD-ROM media: `{source: "/path.iso"}` inserts, `{source: null}` ejects; `live`, `persistent`, `dryRun`. */
async function onPut(req: Request, { params }: Params<'host' | 'vm' | 'target'>) {
  const { host, vm, target } = await params;
  return handle(async () => changeMedia(host, vm, target, await readJson(req)));
}

export const { PUT } = api('/api/hosts/[host]/domains/[vm]/disks/[target]/media', { PUT: onPut });
