import { Readable } from 'node:stream';
import { NextResponse } from 'next/server';
import { errorResponse, handle, type Params } from '@/server/http';
import { downloadVolume, uploadVolume } from '@/server/volumes/transfer';
import { requireNamed } from '@/server/hosts/lookup';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

type P = Params<'host' | 'pool' | 'volume'>;

/**
 * proxy.ts does not front this route (a proxy would buffer uploads whole): both handlers pass
 * the request gate first (`api(…, { gate: true })`).
 */

/** Download: `virsh vol-download` streamed into the response (a job with byte counts). */
async function onGet(req: Request, { params }: P) {
  const { host, pool, volume } = await params;
  try {
    const d = await downloadVolume(host, pool, volume, { signal: req.signal });
    return new NextResponse(Readable.toWeb(d.stream) as ReadableStream, {
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(d.fileName)}`,
        'x-ksc-job': d.jobId,
        'cache-control': 'no-store',
      },
    });
  } catch (e) {
    return errorResponse(e);
  }
}

/** Upload: the request body (Content-Length required) streamed into `virsh vol-upload`; `?confirm=NAME` to overwrite. */
async function onPut(req: Request, { params }: P) {
  const { host, pool, volume } = await params;
  const q = new URL(req.url).searchParams;
  const len = req.headers.get('content-length');
  return handle(async () =>
    (await requireNamed(host, { pool }), uploadVolume(host, pool, volume, req.body as never, { length: len === null ? null : Number(len), confirm: q.get('confirm') ?? undefined, signal: req.signal })),
  );
}

export const { GET, PUT } = api('/api/hosts/[host]/pools/[pool]/volumes/[volume]/content', { GET: onGet, PUT: onPut }, { gate: true });
