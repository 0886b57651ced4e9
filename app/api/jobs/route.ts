import { handle } from '@/server/http';
import { listJobs } from '@/server/jobs/jobs';
import { api } from '@/server/route';
import { visibleHostIds } from '@/server/auth/visible';
import { loadInventory } from '@/server/hosts/inventory';

export const dynamic = 'force-dynamic';

/** Jobs, newest first (`?host=ID`, `?limit=N`: 1..500, default 200; out-of-range values are clamped). */
async function onGet(req: Request) {
  const q = new URL(req.url).searchParams;
  const visible = visibleHostIds(loadInventory().hosts.map((h) => h.id));
  return handle(async () => listJobs({ hostId: q.get('host') ?? undefined, ...(visible === '*' ? {} : { hosts: visible }), limit: q.has('limit') ? Number(q.get('limit')) : undefined }));
}

export const { GET } = api('/api/jobs', { GET: onGet });
