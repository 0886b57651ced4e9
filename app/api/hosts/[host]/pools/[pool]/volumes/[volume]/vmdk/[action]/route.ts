import { NextResponse } from 'next/server';
import { notFound } from '@/server/errors';
import { errorResponse, readJson, type Params } from '@/server/http';
import { compareVmdk, convertVmdk } from '@/server/volumes/vmdk';

export const dynamic = 'force-dynamic';

const ACTIONS: Record<string, (h: string, p: string, v: string, body: unknown) => Promise<unknown>> = { convert: convertVmdk, compare: compareVmdk };

/** POST …/volumes/{vol}/vmdk/convert (202 with the job, or the plan with dryRun) | compare */
export async function POST(req: Request, { params }: Params<'host' | 'pool' | 'volume' | 'action'>) {
  const { host, pool, volume, action } = await params;
  const fn = ACTIONS[action];
  if (!fn) return errorResponse(notFound(`vmdk action “${action}”`));
  try {
    const body = await readJson(req, { optional: true });
    const r = (await fn(host, pool, volume, body ?? {})) as { jobId?: string };
    return NextResponse.json(r, { status: r.jobId ? 202 : 200, headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return errorResponse(e);
  }
}
