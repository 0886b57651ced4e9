import 'server-only';
import { PassThrough, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { VolumeName, type OperationFailureDetail } from '@/lib/schemas';
import { runChecked } from '../commands/run';
import { renderInvocation } from '../commands/shell';
import { call, virsh } from '../commands/virsh';
import { AppError, badRequest, isAppError } from '../errors';
import { guard } from '../operations/guards';
import { planOf, type Plan, type Step } from '../operations/plan';
import { runPlan } from '../operations/run';
import { invalidate } from '../hosts/storage-cache';
import { startJob, waitForJob } from '../jobs/jobs';
import type { Transport } from '../transport/types';
import { parseKeyValues } from '../virsh/output';
import { findPool, hostContext, volumeContext, type VolumeRead } from './context';
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

/**
 * The plan of an upload (pure): for a new volume `vol-create-as` (raw, the upload's size; undone by
 * `vol-delete` if anything after it fails), then `vol-upload` reading the request body (a
 * `streamIn` step), then a pool refresh. An existing volume (`target`: its context) is the
 * `overwrite-volume` hazard, refused while a running VM holds it. `needed`: the bytes the pool
 * must still provide.
 */
export function planUpload(read: { uri: string; pool: string }, upload: { name: string; length: number; confirm?: string }, target: VolumeRead | null): { plan: Plan; needed: number } {
  const { uri, pool } = read;
  const { name, length } = upload;
  const steps: Step[] = [];
  // The bytes the pool must still provide: all of them for a new volume, the part not yet allocated for an existing one.
  let needed = length;
  if (target) {
    refuseIfRunning(target, `Uploading into ${name}`);
    guardOverlays(target, `Uploading into ${name}`, upload.confirm);
    guard({ hazard: 'overwrite-volume', name, confirm: upload.confirm, message: `Uploading into ${name} replaces its content`, affected: { path: target.volume.path } });
    if (target.volume.capacity < length) throw badRequest(`${name} holds ${target.volume.capacity} bytes; the upload is ${length}`);
    needed = Math.max(0, length - target.volume.allocation);
  } else {
    steps.push({
      id: 'create',
      title: `Create ${name} (${length} bytes)`,
      inv: virsh(uri, call('vol-create-as', '--pool', pool, '--name', name, '--capacity', String(length), '--format', 'raw')),
      timeoutMs: 120_000,
      // A half-made volume is worse than none: remove the one this upload created.
      undo: { title: `Remove the half-uploaded ${name}`, inv: virsh(uri, call('vol-delete', '--pool', pool, '--', name)) },
    });
  }
  steps.push({ id: 'upload', title: `Upload into ${name}`, inv: virsh(uri, call('vol-upload', '--pool', pool, '--length', String(length), '--', name, '/dev/stdin')), streamIn: true, timeoutMs: DAY });
  steps.push({ ...refreshStep(uri, pool), timeoutMs: 120_000 });
  return { plan: planOf(`Upload into ${name}`, steps), needed };
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
  const length = opts.length;
  const { host, t, storage } = await hostContext(hostId);
  const p = findPool(storage, hostId, pool);
  const exists = (storage.volumes.get(pool) ?? []).some((v) => v.name === name);
  const { plan, needed } = planUpload({ uri: host.uri, pool: p.name }, { name, length, ...(opts.confirm !== undefined ? { confirm: opts.confirm } : {}) }, exists ? await volumeContext(hostId, pool, name) : null);
  const upload = plan.steps.find((s) => s.id === 'upload')!;
  const available = await freeBytes(t, host.uri, p.name, opts.signal);
  if (needed > available) {
    await body.cancel().catch(() => {});
    throw poolFull(p.name, name, needed, available);
  }
  const source = Readable.fromWeb(body);
  const job = startJob(
    { kind: 'upload', title: upload.title, hostId, target: { pool, volume: name }, command: renderInvocation(upload.inv), bytesTotal: length },
    async (job) => {
      const onAbort = () => source.destroy();
      job.signal.addEventListener('abort', onAbort, { once: true });
      opts.signal?.addEventListener('abort', () => source.destroy(), { once: true });
      let ok = false;
      const sent = { bytes: 0 };
      let incomplete = false;
      try {
        if (opts.signal?.aborted) throw new AppError('cancelled', 'The browser went away before the upload started');
        // A queued upload waited for its turn: the pool may have filled meanwhile.
        const free = job.waited ? await freeBytes(t, host.uri, p.name, job.signal) : available;
        if (needed > free) throw poolFull(p.name, name, needed, free);
        await runPlan(t, plan, {
          signal: job.signal,
          stdinStream: () => source.pipe(counter((n) => job.progress({ bytesDone: n, percent: (n / length) * 100 }), sent)),
          // A body that broke off (the browser went away) reaches virsh as an early end of input,
          // and virsh then exits 0 with part of the data: count what went through.
          onExec: (s, r) => {
            if (s.id !== 'upload' || r.exitCode !== 0 || r.aborted || r.timedOut || (!opts.signal?.aborted && sent.bytes >= length)) return;
            incomplete = true;
            return { ...r, exitCode: 1, stderr: `the upload ended after ${sent.bytes} of ${length} bytes` };
          },
        }).catch((e: unknown) => {
          const d = isAppError(e) ? (e.detail as OperationFailureDetail | undefined) : undefined;
          if (d?.failedStep?.id !== 'upload') throw e;
          if (incomplete)
            throw new AppError('upload-incomplete', `The upload into ${name} ended after ${sent.bytes} of ${length} bytes`, { status: 400, detail: { received: sent.bytes, expected: length } });
          if (isAppError(e) && e.code === 'command-failed' && ENOSPC.test(d.stderr)) throw poolFull(p.name, name, needed, available, { command: d.command, stderr: d.stderr, exitCode: d.exitCode });
          throw e;
        });
        ok = true;
        return { pool, name, bytes: length };
      } finally {
        job.signal.removeEventListener('abort', onAbort);
        // Stop reading the request body: nothing more goes anywhere.
        if (!ok) source.destroy();
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
          audit: { title: `Download ${name}` },
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
