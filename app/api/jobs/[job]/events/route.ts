import type { JobDto } from '@/lib/schemas';
import { errorResponse, type Params } from '@/server/http';
import { getJob, subscribe } from '@/server/jobs/jobs';
import { openStream } from '@/server/jobs/streams';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/**
 * Server-sent events: `event: job` with the job as JSON now and on every change (progress
 * about four times a second at most), then the stream ends when the job does. Open streams
 * are capped (429 `too-many-streams`, see server/jobs/streams.ts); the slot is released when
 * the stream closes, whichever side closes it.
 */
async function onGet(req: Request, { params }: Params<'job'>) {
  const { job } = await params;
  let release: () => void;
  let first: JobDto;
  try {
    first = await getJob(job);
    release = openStream(req);
  } catch (e) {
    return errorResponse(e);
  }
  const enc = new TextEncoder();
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let subscribed = false;
      let ended = false;
      let last = 0;
      let pending: ReturnType<typeof setTimeout> | null = null;
      let latest: unknown = null;
      let unsubscribe = () => {};
      const send = (dto: unknown) => {
        if (closed) return;
        controller.enqueue(enc.encode(`event: job\ndata: ${JSON.stringify(dto)}\n\n`));
        last = Date.now();
      };
      const heartbeat = setInterval(() => !closed && controller.enqueue(enc.encode(': keep-alive\n\n')), 15_000);
      close = () => {
        if (closed) return;
        closed = true;
        release();
        clearInterval(heartbeat);
        if (pending) clearTimeout(pending);
        unsubscribe();
        try {
          controller.close();
        } catch {
          /* already cancelled by the reader */
        }
      };
      unsubscribe = subscribe(
        first,
        (dto) => {
          latest = dto;
          if (Date.now() - last >= 250) send(dto);
          else if (!pending) pending = setTimeout(() => ((pending = null), send(latest)), 250);
        },
        (dto) => {
          if (pending) clearTimeout(pending);
          pending = null;
          send(dto);
          ended = true;
          // onEnd may run inside subscribe() itself (a finished job): close after it returned.
          if (subscribed) close();
        },
      );
      subscribed = true;
      if (ended) close();
      req.signal.addEventListener('abort', () => close(), { once: true });
    },
    cancel() {
      close();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
}

export const { GET } = api('/api/jobs/[job]/events', { GET: onGet });
