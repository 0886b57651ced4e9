import 'server-only';
import { PassThrough, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { VolumeName } from '@/lib/schemas';
import { runChecked } from '../commands/run';
import { renderInvocation } from '../commands/shell';
import { call, virsh } from '../commands/virsh';
import { AppError, badRequest } from '../errors';
import { requireConfirmation } from '../guards';
import { invalidate } from '../hosts/storage-cache';
import { startJob, waitForJob } from '../jobs/jobs';
import { findPool, hostContext, volumeContext } from './context';
import { guardOverlays, refuseIfRunning } from './guards';
import { refreshStep } from './steps';

/**
 * Upload and download through the browser, streamed: the HTTP body is piped into
 * `virsh vol-upload … /dev/stdin` on the SSH channel (and `vol-download … /dev/stdout` back
 * into the HTTP response), with backpressure end to end — no file is held in memory. Each
 * transfer is a job with byte counts; cancelling it (or the browser going away) kills virsh.
 */
const DAY = 24 * 3600_000;

function counter(onBytes: (n: number) => void): Transform {
  let n = 0;
  let last = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (Date.now() - last > 250) {
        last = Date.now();
        onBytes(n);
      }
      cb(null, chunk);
    },
    flush(cb) {
      onBytes(n);
      cb();
    },
  });
}

export async function uploadVolume(
  hostId: string,
  pool: string,
  name: string,
  body: WebReadableStream<Uint8Array> | null,
  opts: { length: number | null; confirm?: string; signal?: AbortSignal },
) {
  VolumeName.parse(name);
  if (!body) throw badRequest('the upload has no body');
  if (opts.length === null || !Number.isSafeInteger(opts.length) || opts.length <= 0) throw badRequest('an upload needs a Content-Length (the volume is sized by it)');
  const { host, t, storage } = await hostContext(hostId);
  const p = findPool(storage, hostId, pool);
  const exists = (storage.volumes.get(pool) ?? []).some((v) => v.name === name);
  const steps: Array<{ title: string; inv: ReturnType<typeof virsh> }> = [];
  if (exists) {
    const ctx = await volumeContext(hostId, pool, name);
    refuseIfRunning(ctx, `Uploading into ${name}`);
    guardOverlays(ctx, `Uploading into ${name}`, opts.confirm);
    requireConfirmation({ hazard: 'overwrite-volume', name, confirm: opts.confirm, message: `Uploading into ${name} replaces its content`, detail: { path: ctx.volume.path } });
    if (ctx.volume.capacity < opts.length) throw badRequest(`${name} holds ${ctx.volume.capacity} bytes; the upload is ${opts.length}`);
  } else {
    steps.push({ title: `Create ${name} (${opts.length} bytes)`, inv: virsh(host.uri, call('vol-create-as', '--pool', pool, '--name', name, '--capacity', String(opts.length), '--format', 'raw')) });
  }
  const upload = { title: `Upload into ${name}`, inv: virsh(host.uri, call('vol-upload', '--pool', pool, '--length', String(opts.length), '--', name, '/dev/stdin')) };
  const refresh = refreshStep(host.uri, p.name);
  const source = Readable.fromWeb(body);
  const job = startJob(
    { kind: 'upload', title: upload.title, hostId, target: { pool, volume: name }, command: renderInvocation(upload.inv), bytesTotal: opts.length },
    async (job) => {
      const onAbort = () => source.destroy();
      job.signal.addEventListener('abort', onAbort, { once: true });
      opts.signal?.addEventListener('abort', () => source.destroy(), { once: true });
      try {
        for (const s of steps) await runChecked(t, s.inv, s.title, { timeoutMs: 120_000, signal: job.signal });
        const counted = source.pipe(counter((n) => job.progress({ bytesDone: n, percent: (n / opts.length!) * 100 })));
        const r = await t.exec(upload.inv, { timeoutMs: DAY, signal: job.signal, stdinStream: counted });
        if (r.exitCode !== 0 || r.aborted || r.timedOut)
          throw new AppError(r.aborted ? 'cancelled' : 'command-failed', `Uploading into ${name} failed`, { status: 502, detail: { command: renderInvocation(upload.inv), stderr: r.stderr.trim(), exitCode: r.exitCode } });
        await runChecked(t, refresh.inv, refresh.title, { timeoutMs: 120_000 });
        return { pool, name, bytes: opts.length };
      } finally {
        job.signal.removeEventListener('abort', onAbort);
        invalidate(hostId);
      }
    },
  );
  // The HTTP request stays open until its body is consumed: answer with the outcome.
  return waitForJob(job.id, DAY);
}

/** A download: the response body streams while the job runs; returns the stream and the job id. */
export async function downloadVolume(hostId: string, pool: string, name: string, opts: { signal?: AbortSignal } = {}) {
  const ctx = await volumeContext(hostId, pool, name);
  refuseIfRunning(ctx, `Downloading ${name}`);
  const cmd = virsh(ctx.host.uri, call('vol-download', '--pool', pool, '--', name, '/dev/stdout'));
  const sink = new PassThrough({ highWaterMark: 1 << 20 });
  const total = ctx.volume.physical ?? ctx.volume.allocation;
  const job = startJob(
    { kind: 'download', title: `Download ${name}`, hostId, target: { pool, volume: name }, command: renderInvocation(cmd), bytesTotal: total },
    async (job) => {
      opts.signal?.addEventListener('abort', () => (job.signal.aborted ? undefined : sink.destroy()), { once: true });
      let n = 0;
      let last = 0;
      try {
        const r = await ctx.t.exec(cmd, {
          timeoutMs: DAY,
          signal: AbortSignal.any([job.signal, ...(opts.signal ? [opts.signal] : [])]),
          stdoutSink: sink,
          onStdout: (b) => {
            n += b.length;
            if (Date.now() - last > 250) {
              last = Date.now();
              job.progress({ bytesDone: n, percent: total ? (n / total) * 100 : null });
            }
          },
        });
        job.progress({ bytesDone: n });
        if (r.exitCode !== 0 || r.aborted)
          throw new AppError(r.aborted ? 'cancelled' : 'command-failed', `Downloading ${name} failed`, { status: 502, detail: { command: renderInvocation(cmd), stderr: r.stderr.trim(), exitCode: r.exitCode } });
        sink.end();
        return { bytes: n };
      } catch (e) {
        sink.destroy(e as Error);
        throw e;
      }
    },
  );
  return { jobId: job.id, stream: sink, size: total, fileName: name };
}
