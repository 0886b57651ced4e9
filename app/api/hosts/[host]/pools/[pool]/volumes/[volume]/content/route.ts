import { Readable } from 'node:stream';
import { NextResponse } from 'next/server';
import { errorResponse, handle, type Params } from '@/server/http';
import { downloadVolume, uploadVolume } from '@/server/volumes/transfer';
import { requireNamed } from '@/server/hosts/lookup';
import { gated } from '@/server/security/gate';

export const dynamic = 'force-dynamic';

type P = Params<'host' | 'pool' | 'volume'>;

/**
 * proxy.ts does not front this route (a proxy would buffer uploads whole): both handlers pass
 * the request gate themselves first.
 */

/** Download: `virsh vol-download` streamed into the response (a job with byte counts). */
export async function GET(req: Request, { params }: P) {
  return gated(req, async () => {
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
  });
}

/** Upload: the request body (Content-Length required) streamed into `virsh vol-upload`; `?confirm=NAME` to overwrite. */
export async function PUT(req: Request, { params }: P) {
  return gated(req, async () => {
    const { host, pool, volume } = await params;
    const q = new URL(req.url).searchParams;
    const len = req.headers.get('content-length');
    return handle(async () =>
      (await requireNamed(host, { pool }), uploadVolume(host, pool, volume, req.body as never, { length: len === null ? null : Number(len), confirm: q.get('confirm') ?? undefined, signal: req.signal })),
    );
  });
}
