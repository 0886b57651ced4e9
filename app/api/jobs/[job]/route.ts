import { handle, type Params } from '@/server/http';
import { cancelJob, getJob } from '@/server/jobs/jobs';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'job'>) {
  const { job } = await params;
  return handle(async () => getJob(job));
}

/** Cancel: the job's process on the host is killed; answers the job as it ended. */
async function onDelete(_req: Request, { params }: Params<'job'>) {
  const { job } = await params;
  return handle(() => cancelJob(job));
}

export const { GET, DELETE } = api('/api/jobs/[job]', { GET: onGet, DELETE: onDelete });
