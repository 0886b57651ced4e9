import { notFound } from '@/server/errors';
import { errorResponse, handle, volumeActionResponse, type Params, type VolumeAction } from '@/server/http';
import { checkVolumeJob, cloneVolume, convertVolume, wipeVolume } from '@/server/volumes/job-operations';
import { amendVolume, checkVolume, commitVolume, compareVolumes, mapVolume, rebaseVolume, resizeVolume, volumeInfo } from '@/server/volumes/operations';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

type P = Params<'host' | 'pool' | 'volume' | 'op'>;

/** GET …/volumes/{vol}/info | map */
async function onGet(_req: Request, { params }: P) {
  const { host, pool, volume, op } = await params;
  if (op === 'info') return handle(() => volumeInfo(host, pool, volume));
  if (op === 'map') return handle(() => mapVolume(host, pool, volume));
  return errorResponse(notFound(`Volume operation GET “${op}”`));
}

const POSTS: Record<string, VolumeAction> = {
  resize: resizeVolume,
  clone: cloneVolume,
  convert: convertVolume,
  wipe: wipeVolume,
  check: (h, p, v, body) => ((body as { job?: boolean } | undefined)?.job ? checkVolumeJob(h, p, v, body) : checkVolume(h, p, v, body)),
  rebase: rebaseVolume,
  commit: commitVolume,
  amend: amendVolume,
  compare: compareVolumes,
};

/** POST …/volumes/{vol}/resize | clone | convert | wipe | check | rebase | commit | amend | compare (202 when a job started) */
async function onPost(req: Request, { params }: P) {
  const { host, pool, volume, op } = await params;
  return volumeActionResponse(req, POSTS, op, 'Volume operation', { host, pool, volume });
}

export const { GET, POST } = api('/api/hosts/[host]/pools/[pool]/volumes/[volume]/[op]', { GET: onGet, POST: onPost });
