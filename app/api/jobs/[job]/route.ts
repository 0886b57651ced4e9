import { handle, type Params } from '@/server/http';
import { cancelJob, getJob } from '@/server/jobs/jobs';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'job'>) {
  const { job } = await params;
  return handle(async () => getJob(job));
}

/** Cancel: the job's process on the host is killed; answers the job as it ended. */
export async function DELETE(_req: Request, { params }: Params<'job'>) {
  const { job } = await params;
  return handle(() => cancelJob(job));
}
