import { volumeActionResponse, type Params, type VolumeAction } from '@/server/http';
import { compareVmdk, convertVmdk, deleteVmdk } from '@/server/volumes/vmdk-migration';
import { requireNamed } from '@/server/hosts/lookup';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** The source vmdk must exist before the body is read (a URL naming nothing is a 404, whatever the body). */
const named =
  (fn: VolumeAction): VolumeAction =>
  async (h, p, v, body) => (await requireNamed(h, { pool: p, volume: v }), fn(h, p, v, body));
const ACTIONS: Record<string, VolumeAction> = { convert: named(convertVmdk), compare: named(compareVmdk), delete: named(deleteVmdk) };

/** POST …/volumes/{vol}/vmdk/convert (202 with the job, or the plan with dryRun) | compare | delete (descriptor + extents, one typed confirmation) */
async function onPost(req: Request, { params }: Params<'host' | 'pool' | 'volume' | 'action'>) {
  const { host, pool, volume, action } = await params;
  return volumeActionResponse(req, ACTIONS, action, 'vmdk action', { host, pool, volume });
}

export const { POST } = api('/api/hosts/[host]/pools/[pool]/volumes/[volume]/vmdk/[action]', { POST: onPost });
