import 'server-only';
import { NextResponse } from 'next/server';
import { ZodError } from 'zod';
import { AppError, internalError, knownError, notFound } from './errors';

/**
 * Route handlers stay thin: parse params, call one server function, answer JSON. Every failure
 * becomes `{ error: { code, message, detail } }` with a fitting status — never a bare 500 page.
 */
export async function handle<T>(fn: () => Promise<T>, init?: { status?: number }): Promise<NextResponse> {
  try {
    const body = await fn();
    return NextResponse.json(body, { status: init?.status ?? 200, headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return errorResponse(e);
  }
}

export function errorResponse(e: unknown): NextResponse {
  const known = knownError(e);
  if (known) return NextResponse.json({ error: known.toJSON() }, { status: known.status });
  if (e instanceof ZodError)
    return NextResponse.json(
      {
        error: {
          code: 'invalid-input',
          message: 'The request is invalid',
          detail: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      },
      { status: 422 },
    );
  // Anything else is a bug or an unforeseen failure: its message may hold paths, hosts or
  // library internals, so the client gets an id and the log gets the real error next to it.
  return NextResponse.json({ error: internalError(e) }, { status: 500 });
}

/** The cap on a JSON request body (every JSON route reads through readJson). */
export const MAX_JSON_BYTES = 1 << 20;

const tooLarge = (max: number) =>
  new AppError('body-too-large', `The request body is larger than ${max} bytes`, { status: 413, detail: { maxBytes: max } });

/**
 * The body as text, at most `max` bytes: a Content-Length above the cap is refused before
 * reading; otherwise the stream is read with a running count and abandoned (cancelled) as soon
 * as it passes the cap — a missing or lying Content-Length changes nothing.
 */
export async function readBodyText(req: Request, max = MAX_JSON_BYTES): Promise<string> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    await req.body?.cancel().catch(() => {});
    throw tooLarge(max);
  }
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** The request's JSON body (≤ 1 MiB, else 413); a malformed one is a 422, an absent one an error unless optional. */
export async function readJson(req: Request, opts: { optional?: boolean } = {}): Promise<unknown> {
  const text = await readBodyText(req);
  if (!text.trim()) {
    if (opts.optional) return undefined;
    throw new AppError('invalid-input', 'The request needs a JSON body', { status: 422 });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError('invalid-input', `The request body is not valid JSON: ${(e as Error).message}`, { status: 422 });
  }
}

/** A named action on a volume (`POST …/volumes/{vol}/{name}`): host, pool, volume, JSON body. */
export type VolumeAction = (host: string, pool: string, volume: string, body: unknown) => Promise<unknown>;

/**
 * Run the action `name` of `table` with the request's (optional) JSON body: 404 for a name the
 * table lacks; 202 Accepted when the answer names a started job, 200 otherwise.
 */
export async function volumeActionResponse(req: Request, table: Record<string, VolumeAction>, name: string, what: string, target: { host: string; pool: string; volume: string }): Promise<NextResponse> {
  const fn = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!fn) return errorResponse(notFound(`${what} “${name}”`));
  try {
    const body = await readJson(req, { optional: true });
    const r = (await fn(target.host, target.pool, target.volume, body ?? {})) as { jobId?: string };
    return NextResponse.json(r, { status: r.jobId ? 202 : 200, headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return errorResponse(e);
  }
}

/** Next gives dynamic segments URL-decoded; they name libvirt objects verbatim. */
export type Params<K extends string> = { params: Promise<Record<K, string>> };
