import { volumeActionResponse, type Params, type VolumeAction } from '@/server/http';
import { compareVmdk, convertVmdk } from '@/server/volumes/vmdk';

export const dynamic = 'force-dynamic';

const ACTIONS: Record<string, VolumeAction> = { convert: convertVmdk, compare: compareVmdk };

/** POST …/volumes/{vol}/vmdk/convert (202 with the job, or the plan with dryRun) | compare */
export async function POST(req: Request, { params }: Params<'host' | 'pool' | 'volume' | 'action'>) {
  const { host, pool, volume, action } = await params;
  return volumeActionResponse(req, ACTIONS, action, 'vmdk action', { host, pool, volume });
}
