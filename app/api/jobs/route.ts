import { handle } from '@/server/http';
import { listJobs } from '@/server/jobs/jobs';

export const dynamic = 'force-dynamic';

/** Jobs, newest first (`?host=ID`, `?limit=N`: 1..500, default 200; out-of-range values are clamped). */
export async function GET(req: Request) {
  const q = new URL(req.url).searchParams;
  return handle(async () => listJobs({ hostId: q.get('host') ?? undefined, limit: q.has('limit') ? Number(q.get('limit')) : undefined }));
}
