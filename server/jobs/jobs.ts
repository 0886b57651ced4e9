import 'server-only';
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import type { JobDto, JobState, StepResult } from '@/lib/schemas';
import { currentContext, jobEnded as reportJobEnded } from '../auth/context';
import { AppError, internalError, knownError, notFound } from '../errors';
import { clampInt } from './limits';
import { emit, live, newLive, persist, TERMINAL } from './live';
import { acquireSlot } from './queue';
import { readJob, readJobs } from './store';

export { hostJobCounts } from './queue';
export { pruneJobs } from './store';

/**
 * Long operations (convert, wipe, clone, check, upload, download, pool create) run as jobs:
 * started by a request that answers at once with the job id; progress is pushed to subscribers
 * (the SSE route) and written to the console's database at most once a second and at every change
 * of state (./live.ts), so the Jobs page shows it after a reload, a restart, or on another
 * replica. Each job runs on its own promise: one failure or a hung host never blocks the others.
 * Cancelling aborts the job's signal, which kills the remote process group (see SshTransport).
 * Per host, jobs beyond `KSC_JOBS_PER_HOST` wait `queued` (./queue.ts). Rows: ./store.ts.
 *
 * Reads are async: a job this process runs answers from memory, any other from the database.
 */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** True when the job waited in the queue before it ran (what was checked at the request may be stale). */
  readonly waited: boolean;
  progress(p: { percent?: number | null; bytesDone?: number | null; bytesTotal?: number | null; step?: StepResult }): void;
}

export interface JobSpec {
  kind: string;
  title: string;
  hostId: string;
  target: Record<string, string>;
  command: string;
  bytesTotal?: number | null;
}

/** What a job's failure records: an AppError as it is; anything else the generic internal error (logged with an id). */
function jobError(e: unknown, id: string): NonNullable<JobDto['error']> {
  const known = knownError(e);
  if (known) return known.toJSON();
  if (e instanceof ZodError)
    return { code: 'invalid-input', message: 'The request is invalid', detail: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  const { id: errorId, ...rest } = internalError(e, `job ${id}`);
  return { ...rest, detail: { id: errorId } };
}

/**
 * Start a job; answers at once, with the job `running` or, when the host already runs its
 * limit of jobs, `queued`. `run` gets the abort signal and a progress reporter once it has a slot.
 */
export function startJob(spec: JobSpec, run: (ctx: JobContext) => Promise<unknown>): JobDto {
  const now = new Date().toISOString();
  const dto: JobDto = {
    id: randomUUID(),
    kind: spec.kind,
    title: spec.title,
    hostId: spec.hostId,
    target: spec.target,
    state: 'queued',
    queuedAhead: null,
    progress: null,
    bytesDone: null,
    bytesTotal: spec.bytesTotal ?? null,
    command: spec.command,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    error: null,
    result: null,
    steps: [],
  };
  // The request that started the job keeps its audit record open until the job ends.
  const requestCtx = currentContext();
  if (requestCtx) requestCtx.pendingJobs++;
  const l = newLive(dto);
  const { controller } = l;
  let waited = false;
  const ctx: JobContext = {
    id: dto.id,
    signal: controller.signal,
    get waited() {
      return waited;
    },
    progress(p) {
      if (TERMINAL.has(l.dto.state)) return;
      l.dto = {
        ...l.dto,
        ...(p.percent !== undefined ? { progress: p.percent === null ? null : Math.max(l.dto.progress ?? 0, Math.min(100, p.percent)) } : {}),
        ...(p.bytesDone !== undefined ? { bytesDone: p.bytesDone } : {}),
        ...(p.bytesTotal !== undefined ? { bytesTotal: p.bytesTotal } : {}),
        ...(p.step ? { steps: [...l.dto.steps, p.step] } : {}),
      };
      emit(l);
    },
  };
  const place = (ahead: number) => {
    if (l.dto.queuedAhead !== ahead && l.dto.state === 'queued') {
      l.dto = { ...l.dto, queuedAhead: ahead };
      emit(l);
    }
  };
  // Queued or running at once: decided synchronously, so the answer to the request is exact.
  const slot = acquireSlot(spec.hostId, dto.id, controller.signal, place);
  waited = slot instanceof Promise;
  if (!waited) l.dto = { ...l.dto, state: 'running', startedAt: now };
  void persist(l);
  l.done = (async () => {
    let state: JobState = 'succeeded';
    let error: JobDto['error'] = null;
    let result: unknown = null;
    let release: (() => void) | null = null;
    try {
      try {
        release = await slot;
      } catch {
        state = 'cancelled';
        error = { code: 'cancelled', message: 'Cancelled while queued: nothing ran on the host' };
      }
      if (release && waited) {
        l.dto = { ...l.dto, state: 'running', queuedAhead: null, startedAt: new Date().toISOString() };
        emit(l, true);
      }
      if (release) {
        try {
          result = (await run(ctx)) ?? null;
          if (controller.signal.aborted) state = 'cancelled';
        } catch (e) {
          if (controller.signal.aborted) {
            state = 'cancelled';
            error = { code: 'cancelled', message: 'Cancelled: the process on the host was killed' };
          } else {
            state = 'failed';
            error = jobError(e, dto.id);
          }
        }
      }
    } finally {
      release?.();
    }
    l.dto = {
      ...l.dto,
      state,
      queuedAhead: null,
      error,
      result: state === 'succeeded' ? result : null,
      progress: state === 'succeeded' && l.dto.progress !== null ? 100 : l.dto.progress,
      finishedAt: new Date().toISOString(),
    };
    l.events.emit('update', l.dto);
    await persist(l); // the outcome is in the database before anyone is told the job ended
    l.events.emit('end', l.dto);
    reportJobEnded(requestCtx, { state, error, jobId: dto.id });
    // Keep finished jobs in memory a little while for late subscribers, then the database answers.
    setTimeout(() => live.delete(dto.id), 60_000).unref?.();
  })();
  return l.dto;
}

export const JOB_LIST_DEFAULT = 200;
export const JOB_LIST_MAX = 500;

/** Jobs, newest first; `limit` is clamped to 1..500 (a negative LIMIT means "all" to SQLite). */
export async function listJobs(opts: { limit?: number; hostId?: string; /** only jobs on these hosts (the caller's) */ hosts?: readonly string[] } = {}): Promise<JobDto[]> {
  const limit = clampInt(opts.limit, { min: 1, max: JOB_LIST_MAX, fallback: JOB_LIST_DEFAULT });
  // A job started a moment ago may not have its row yet: this process's writes land first.
  await Promise.all([...live.values()].map((l) => l.saving));
  const rows = await readJobs({ limit, hostId: opts.hostId, hosts: opts.hosts });
  // Running jobs: the in-memory record is fresher than the throttled row.
  return rows.map((r) => live.get(r.id)?.dto ?? r);
}

/** The host a job runs on, or null for no such job (permission checks). */
export async function findJobHost(id: string): Promise<string | null> {
  const l = live.get(id);
  if (l) return l.dto.hostId;
  return (await readJob(id))?.hostId ?? null;
}

export async function getJob(id: string): Promise<JobDto> {
  const l = live.get(id);
  if (l) return l.dto;
  const dto = await readJob(id);
  if (!dto) throw notFound(`Job ${id}`);
  return dto;
}

/**
 * DELETE /api/jobs/{id}: take a queued job out of the line, or kill a running job's process; a
 * finished job answers 409, and so does one that another console replica runs (its process is
 * that replica's to kill).
 */
export async function cancelJob(id: string): Promise<JobDto> {
  const l = live.get(id);
  const dto = await getJob(id);
  if (!l && !TERMINAL.has(dto.state))
    throw new AppError('job-elsewhere', `Job ${id} runs in another console process; cancel it there`, { status: 409, detail: { state: dto.state } });
  if (!l || TERMINAL.has(l.dto.state))
    throw new AppError('job-finished', `Job ${id} is not running or queued (${dto.state})`, { status: 409, detail: { state: dto.state } });
  l.controller.abort();
  // The transport reports back within a few seconds even if the host does not answer.
  await Promise.race([l.done, new Promise((r) => setTimeout(r, 8000))]);
  return l.dto;
}

/** How often a job that runs in another process is re-read for its subscribers. */
const POLL_MS = 1000;

/**
 * Follow a job (`first`: as getJob() answered it): `onUpdate` now and on every change, `onEnd`
 * once it is finished; returns an unsubscribe function. A job of this process is followed live;
 * one that another replica runs is re-read from the database every second.
 */
export function subscribe(first: JobDto, onUpdate: (dto: JobDto) => void, onEnd: (dto: JobDto) => void): () => void {
  const l = live.get(first.id);
  const dto = l?.dto ?? first;
  onUpdate(dto);
  if (TERMINAL.has(dto.state)) {
    onEnd(dto);
    return () => {};
  }
  if (!l) return poll(dto, onUpdate, onEnd);
  l.events.on('update', onUpdate);
  l.events.once('end', onEnd);
  return () => {
    l.events.off('update', onUpdate);
    l.events.off('end', onEnd);
  };
}

function poll(first: JobDto, onUpdate: (dto: JobDto) => void, onEnd: (dto: JobDto) => void): () => void {
  let last = JSON.stringify(first);
  let stopped = false;
  const timer = setInterval(() => {
    void getJob(first.id).then(
      (dto) => {
        if (stopped) return;
        const text = JSON.stringify(dto);
        if (text !== last) {
          last = text;
          onUpdate(dto);
        }
        if (TERMINAL.has(dto.state)) {
          stopped = true;
          clearInterval(timer);
          onEnd(dto);
        }
      },
      (e: unknown) => console.error(`[ksc] following job ${first.id} failed:`, e),
    );
  }, POLL_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

/** Wait until a job is finished (no time limit): a request that runs a short job and answers its outcome. */
export async function jobEnded(id: string): Promise<JobDto> {
  const l = live.get(id);
  if (l) await l.done;
  return getJob(id);
}

/** For tests: wait until a job is finished. */
export async function waitForJob(id: string, timeoutMs = 120_000): Promise<JobDto> {
  const l = live.get(id);
  if (l) await Promise.race([l.done, new Promise((r) => setTimeout(r, timeoutMs))]);
  return getJob(id);
}

/** The in-memory record of a job this process runs or ran in the last minute (synchronous: for watchers that sample). */
export const localJob = (id: string): JobDto | undefined => live.get(id)?.dto;
