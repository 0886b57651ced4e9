import { NextResponse } from 'next/server';
import { errorResponse, handle, readJson, type Params } from '@/server/http';
import { listPools } from '@/server/hosts/service';
import { createPool } from '@/server/hosts/pool-service';
import { api, noteAudit } from '@/server/route';

export const dynamic = 'force-dynamic';

async function onGet(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => listPools(host));
}

/**
 * Create a pool (server/virsh/pool-create.ts, an operation run as a short job). With
 * `Prefer: respond-async` the answer is 202 `{jobId, xml, steps}` at once and the steps' results
 * arrive on the job's event stream (`/api/jobs/{id}/events`): the wizard's live progress.
 * Without it the request waits: 200 with the result, or the operation's failure (502, the step
 * list in detail). A refusal (validation, duplicate name, path policy, guard) comes before any
 * step runs, either way.
 */
async function onPost(req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  const async = /\brespond-async\b/.test(req.headers.get('prefer') ?? '');
  try {
    const body = await readJson(req);
    // The audit record names the new pool (the URL names only the host), so it is in the pool's history.
    const name = (body as { name?: unknown } | null)?.name;
    if (typeof name === 'string') noteAudit({ objectKind: 'pool', object: name });
    const r = async ? await createPool(host, body, { async: true }) : await createPool(host, body);
    return NextResponse.json(r, { status: 'jobId' in r ? 202 : 200, headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return errorResponse(e);
  }
}

export const { GET, POST } = api('/api/hosts/[host]/pools', { GET: onGet, POST: onPost });
