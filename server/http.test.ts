import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { VirshBatchError } from './commands/virsh';
import { AppError } from './errors';
import { errorResponse, handle, MAX_JSON_BYTES, readJson } from './http';

// Bounded request bodies and error hygiene: what a route answers, whatever the route.
const big = () => JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }); // ≈ 2 MiB

/** A body that counts how many bytes the server pulled from it. */
function countedBody(total: number, chunk = 64 * 1024) {
  const seen = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (seen.pulled >= total) return c.close();
      const n = Math.min(chunk, total - seen.pulled);
      seen.pulled += n;
      c.enqueue(new Uint8Array(n).fill(0x20));
    },
  });
  return { stream, seen };
}

afterEach(() => vi.restoreAllMocks());

describe('readJson: bodies are capped at 1 MiB', () => {
  it('a 2 MiB JSON body with its Content-Length is refused with 413 body-too-large, unread', async () => {
    const { stream, seen } = countedBody(2 * 1024 * 1024);
    const req = new Request('http://x/api', { method: 'POST', body: stream, duplex: 'half', headers: { 'content-length': String(2 * 1024 * 1024) } } as RequestInit);
    const err = await readJson(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'body-too-large', status: 413 });
    expect(seen.pulled).toBeLessThanOrEqual(64 * 1024); // at most what the stream had queued up front
  });

  it('without a Content-Length (chunked) the read stops just past the cap', async () => {
    const { stream, seen } = countedBody(16 * 1024 * 1024);
    const req = new Request('http://x/api', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    await expect(readJson(req)).rejects.toMatchObject({ code: 'body-too-large', status: 413 });
    expect(seen.pulled).toBeLessThan(MAX_JSON_BYTES + 256 * 1024);
  });

  it('a lying (small) Content-Length changes nothing', async () => {
    const { stream } = countedBody(3 * 1024 * 1024);
    const req = new Request('http://x/api', { method: 'POST', body: stream, duplex: 'half', headers: { 'content-length': '10' } } as RequestInit);
    await expect(readJson(req)).rejects.toMatchObject({ code: 'body-too-large' });
  });

  it('through handle(): the answer is 413 {error: {code: body-too-large}}', async () => {
    const res = await handle(async () => readJson(new Request('http://x/api', { method: 'POST', body: big() })));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('body-too-large');
  });

  it('a body just under the cap parses; empty and malformed ones are 422 as before', async () => {
    const ok = JSON.stringify({ pad: 'y'.repeat(MAX_JSON_BYTES - 20) });
    expect(((await readJson(new Request('http://x/api', { method: 'POST', body: ok }))) as { pad: string }).pad.length).toBe(MAX_JSON_BYTES - 20);
    await expect(readJson(new Request('http://x/api', { method: 'POST', body: '{' }))).rejects.toMatchObject({ status: 422 });
    await expect(readJson(new Request('http://x/api', { method: 'POST' }))).rejects.toMatchObject({ status: 422 });
    expect(await readJson(new Request('http://x/api', { method: 'POST' }), { optional: true })).toBeUndefined();
  });
});

describe('errorResponse: unknown errors never show their message', () => {
  it('answers 500 internal with a generic message and an id; the log has the id, the message and the stack', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = errorResponse(new Error('ENOENT: /etc/ksc/secret-path/root.key at host 10.1.2.3'));
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string; id: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.id).toMatch(/^[0-9a-f]{8}$/);
    expect(body.error.message).toBe(`Internal error (id ${body.error.id})`);
    expect(JSON.stringify(body)).not.toMatch(/secret-path|10\.1\.2\.3|ENOENT/);
    const logged = log.mock.calls.map((c) => c.map((x) => (x instanceof Error ? `${x.message}\n${x.stack}` : String(x))).join(' ')).join('\n');
    expect(logged).toContain(body.error.id);
    expect(logged).toContain('secret-path');
    expect(logged).toMatch(/at .*http\.test\.ts/); // the stack
  });

  it('a thrown non-Error gets the same treatment; AppError and ZodError keep their shape', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const s = await handle(async () => {
      throw 'a string with /root/.ssh/id_rsa';
    });
    const sBody = (await s.json()) as { error: { code: string; message: string; id: string } };
    expect(sBody.error).toEqual({ code: 'internal', message: `Internal error (id ${sBody.error.id})`, id: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(JSON.stringify(sBody)).not.toContain('id_rsa');
    const a = errorResponse(new AppError('command-failed', 'virsh failed', { status: 502, detail: { stderr: 'error: pool not found' } }));
    expect(a.status).toBe(502);
    expect(await a.json()).toEqual({ error: { code: 'command-failed', message: 'virsh failed', detail: { stderr: 'error: pool not found' } } });
    const z422 = errorResponse(z.object({ a: z.number() }).safeParse({ a: 'x' }).error);
    expect(z422.status).toBe(422);
  });

  it('an AppError from another copy of the module (Next loads one per bundle) keeps its shape; a Node system error does not pass for one', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const foreign = Object.assign(new Error('Pool “x” is not running'), { name: 'AppError', code: 'pool-inactive', status: 409, detail: undefined, toJSON: () => ({ code: 'pool-inactive', message: 'Pool “x” is not running' }) });
    const f = errorResponse(foreign);
    expect(f.status).toBe(409);
    expect(await f.json()).toEqual({ error: { code: 'pool-inactive', message: 'Pool “x” is not running' } });
    const sys = Object.assign(new Error("ENOENT: no such file or directory, open '/srv/keys/k'"), { code: 'ENOENT', errno: -2 });
    const r = errorResponse(sys);
    expect(r.status).toBe(500);
    expect(JSON.stringify(await r.json())).not.toContain('/srv/keys');
  });

  it('virsh’s own words (a batch that ran nothing) stay visible: 502 libvirt-error with the stderr in detail', async () => {
    const msg = 'error: failed to connect to the hypervisor\nerror: Failed to connect socket to /var/run/libvirt/libvirt-sock';
    const res = errorResponse(new VirshBatchError(msg, msg));
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { code: 'libvirt-error', message: 'virsh failed: error: failed to connect to the hypervisor', detail: { stderr: msg } } });
  });
});
