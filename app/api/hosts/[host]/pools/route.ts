import { errorResponse, handle, readJson, type Params } from '@/server/http';
import { listPools } from '@/server/hosts/service';
import { createPool } from '@/server/hosts/pool-service';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  return handle(() => listPools(host));
}

/**
 * Create a pool. With `Accept: application/x-ndjson` the answer streams one JSON line per step
 * as it finishes (`{"step": …}`), then `{"result": …}` — the wizard's live progress. A refusal
 * (validation, duplicate name, guard) happens before any step runs and is a plain JSON error.
 */
export async function POST(req: Request, { params }: Params<'host'>) {
  const { host } = await params;
  if (!(req.headers.get('accept') ?? '').includes('application/x-ndjson')) return handle(async () => createPool(host, await readJson(req)));
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (e) {
    return errorResponse(e);
  }
  const enc = new TextEncoder();
  let push: (line: unknown) => void = () => {};
  const buffered: unknown[] = [];
  let firstStep!: () => void;
  const started = new Promise<void>((resolve) => (firstStep = resolve));
  const run = createPool(host, body, (step) => {
    buffered.push({ step });
    push({ step });
    firstStep();
  });
  // Wait until either a step has run (stream from here) or the call ended (refusal or dry run).
  const early = await Promise.race([started.then(() => null), run.then((r) => ({ r }), (e: unknown) => ({ e }))]);
  if (early && 'e' in early) return errorResponse(early.e);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (line: unknown) => controller.enqueue(enc.encode(JSON.stringify(line) + '\n'));
      for (const l of buffered) write(l);
      push = write;
      run.then(
        (result) => {
          write({ result });
          controller.close();
        },
        (e: unknown) => {
          const res = errorResponse(e);
          void res.json().then((j: unknown) => {
            write(j);
            controller.close();
          });
        },
      );
    },
  });
  return new Response(stream, { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
}
