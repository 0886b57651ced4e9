import 'server-only';
import { PassThrough, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { VolumeName } from '@/lib/schemas';
import { runChecked } from '../commands/run';
import { renderInvocation } from '../commands/shell';
import { call, virsh } from '../commands/virsh';
import { AppError, badRequest } from '../errors';
import { guard } from '../operations/guards';
import { invalidate } from '../hosts/storage-cache';
import { startJob, waitForJob } from '../jobs/jobs';
import type { Transport } from '../transport/types';
import { parseKeyValues } from '../virsh/output';
import { findPool, hostContext, volumeContext } from './context';
import { guardOverlays, refuseIfRunning } from './guards';
import { refreshStep } from './steps';

/**
 * Upload and download through the browser, streamed: the HTTP body is piped into
 * `virsh vol-upload … /dev/stdin` on the SSH channel (and `vol-download … /dev/stdout` back
 * into the HTTP response), with backpressure end to end — no file is held in memory. Each
 * transfer is a job with byte counts; cancelling it (or the browser going away) kills virsh.
 *
 * An upload must fit: before a byte is read or written the pool is refreshed and its free space
 * read fresh (`pool-info --bytes`); an upload that cannot fit answers 507 `pool-full` with the
 * bytes needed and available (checked again when a queued job gets its turn). If the pool still
 * fills during the copy (someone else wrote to it), virsh fails with ENOSPC: the job fails with
 * `pool-full`, the request body is no longer read, and a volume the upload created is deleted.
 */
const DAY = 24 * 3600_000;

function counter(onBytes: (n: number) => void, seen?: { bytes: number }): Transform {
  let n = 0;
  let last = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (seen) seen.bytes = n;
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

/** Refresh the pool (libvirt recomputes sizes only then) and read its free bytes. */
async function freeBytes(t: Transport, uri: string, pool: string, signal?: AbortSignal): Promise<number> {
  const refresh = refreshStep(uri, pool);
  await runChecked(t, refresh.inv, refresh.title, { timeoutMs: 120_000, ...(signal ? { signal } : {}) });
  const info = virsh(uri, call('pool-info', '--bytes', '--', pool));
  const r = await runChecked(t, info, `Read the free space of pool ${pool}`, { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
  const available = Number(parseKeyValues(r.stdout).get('Available'));
  if (!Number.isSafeInteger(available))
    throw new AppError('bad-host-output', `pool-info of ${pool} did not report the free space`, { status: 502, detail: { command: renderInvocation(info), stdout: r.stdout.trim() } });
  return available;
}

const poolFull = (pool: string, name: string, needed: number, available: number, during?: { command: string; stderr: string; exitCode: number | null }) =>
  new AppError(
    'pool-full',
    during
      ? `Pool “${pool}” filled up while uploading ${name}: the upload needs ${needed} B, the pool had ${available} B free when it started`
      : `Pool “${pool}” has ${available} B free; uploading ${name} needs ${needed} B`,
    { status: 507, detail: { pool, needed, available, ...during } },
  );

const ENOSPC = /No space left on device|ENOSPC|not enough space|insufficient free space/i;

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
  // The bytes the pool must still provide: all of them for a new volume, the part not yet allocated for an existing one.
  let needed = opts.length;
  if (exists) {
    const ctx = await volumeContext(hostId, pool, name);
    refuseIfRunning(ctx, `Uploading into ${name}`);
    guardOverlays(ctx, `Uploading into ${name}`, opts.confirm);
    guard({ hazard: 'overwrite-volume', name, confirm: opts.confirm, message: `Uploading into ${name} replaces its content`, affected: { path: ctx.volume.path } });
    if (ctx.volume.capacity < opts.length) throw badRequest(`${name} holds ${ctx.volume.capacity} bytes; the upload is ${opts.length}`);
    needed = Math.max(0, opts.length - ctx.volume.allocation);
  } else {
    steps.push({ title: `Create ${name} (${opts.length} bytes)`, inv: virsh(host.uri, call('vol-create-as', '--pool', pool, '--name', name, '--capacity', String(opts.length), '--format', 'raw')) });
  }
  const upload = { title: `Upload into ${name}`, inv: virsh(host.uri, call('vol-upload', '--pool', pool, '--length', String(opts.length), '--', name, '/dev/stdin')) };
  const refresh = refreshStep(host.uri, p.name);
  const available = await freeBytes(t, host.uri, p.name, opts.signal);
  if (needed > available) {
    await body.cancel().catch(() => {});
    throw poolFull(p.name, name, needed, available);
  }
  const source = Readable.fromWeb(body);
  const job = startJob(
    { kind: 'upload', title: upload.title, hostId, target: { pool, volume: name }, command: renderInvocation(upload.inv), bytesTotal: opts.length },
    async (job) => {
      const onAbort = () => source.destroy();
      job.signal.addEventListener('abort', onAbort, { once: true });
      opts.signal?.addEventListener('abort', () => source.destroy(), { once: true });
      let created = false;
      let ok = false;
      try {
        if (opts.signal?.aborted) throw new AppError('cancelled', 'The browser went away before the upload started');
        // A queued upload waited for its turn: the pool may have filled meanwhile.
        const free = job.waited ? await freeBytes(t, host.uri, p.name, job.signal) : available;
        if (needed > free) throw poolFull(p.name, name, needed, free);
        for (const s of steps) {
          await runChecked(t, s.inv, s.title, { timeoutMs: 120_000, signal: job.signal });
          created = true;
        }
        const sent = { bytes: 0 };
        const counted = source.pipe(counter((n) => job.progress({ bytesDone: n, percent: (n / opts.length!) * 100 }), sent));
        const r = await t.exec(upload.inv, { timeoutMs: DAY, signal: job.signal, stdinStream: counted });
        if (r.exitCode !== 0 && !r.aborted && ENOSPC.test(r.stderr))
          throw poolFull(p.name, name, needed, available, { command: renderInvocation(upload.inv), stderr: r.stderr.trim(), exitCode: r.exitCode });
        if (r.exitCode !== 0 || r.aborted || r.timedOut)
          throw new AppError(r.aborted ? 'cancelled' : 'command-failed', `Uploading into ${name} failed`, { status: 502, detail: { command: renderInvocation(upload.inv), stderr: r.stderr.trim(), exitCode: r.exitCode } });
        // A body that broke off (the browser went away) reaches virsh as an early end of input,
        // and virsh then exits 0 with part of the data: count what went through.
        if (opts.signal?.aborted || sent.bytes < opts.length!)
          throw new AppError('upload-incomplete', `The upload into ${name} ended after ${sent.bytes} of ${opts.length} bytes`, { status: 400, detail: { received: sent.bytes, expected: opts.length } });
        await runChecked(t, refresh.inv, refresh.title, { timeoutMs: 120_000 });
        ok = true;
        return { pool, name, bytes: opts.length };
      } finally {
        job.signal.removeEventListener('abort', onAbort);
        // Stop reading the request body: nothing more goes anywhere.
        if (!ok) source.destroy();
        // A half-made volume is worse than none: remove the one this upload created.
        if (!ok && created)
          await t.exec(virsh(host.uri, call('vol-delete', '--pool', pool, '--', name)), { timeoutMs: 60_000 }).catch(() => {});
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
