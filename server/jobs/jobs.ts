import 'server-only';
import { currentContext, jobEnded as reportJobEnded } from '../auth/context';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ZodError } from 'zod';
import type { JobDto, JobState, StepResult } from '@/lib/schemas';
import { AppError, internalError, knownError, notFound } from '../errors';
import { db } from './db';
import { clampInt, jobsPerHost } from './limits';

/**
 * Long operations (convert, wipe, clone, check, upload, download) run as jobs: started by a
 * request that answers at once with the job id; progress is pushed to subscribers (the SSE
 * route) and written to the database at most once a second and at the end, so the Jobs page
 * shows it after a reload or a restart. Each job runs on its own promise: one failure or a
 * hung host never blocks the others. Cancelling aborts the job's signal, which kills the
 * remote process group (see SshTransport).
 *
 * At most `jobsPerHost()` jobs of one host run at once (`KSC_JOBS_PER_HOST`, default 4, at most
 * 7): a job holds an SSH channel for its whole run and a host has 8 (one spare for a kill), so
 * without this cap eight jobs would leave no channel for reads. Extra jobs wait in state
 * `queued` (FIFO, `queuedAhead` says how many are before them) and can be cancelled there.
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

interface Live {
  dto: JobDto;
  controller: AbortController;
  events: EventEmitter;
  lastSaved: number;
  done: Promise<void>;
}

const g = globalThis as { __kscJobs?: Map<string, Live>; __kscJobQueues?: Map<string, HostQueue> };
const live: Map<string, Live> = (g.__kscJobs ??= new Map());

/** Per host: how many jobs hold a slot, and the queued ones in arrival order. */
interface HostQueue {
  running: number;
  waiting: Array<{ id: string; start: () => void }>;
}
const queues: Map<string, HostQueue> = (g.__kscJobQueues ??= new Map());

const queueOf = (hostId: string): HostQueue => {
  let q = queues.get(hostId);
  if (!q) queues.set(hostId, (q = { running: 0, waiting: [] }));
  return q;
};

/** Tell every queued job of the host its new place in line. */
function renumber(q: HostQueue): void {
  q.waiting.forEach((w, i) => {
    const l = live.get(w.id);
    if (l && l.dto.queuedAhead !== i) {
      l.dto = { ...l.dto, queuedAhead: i };
      emit(l);
    }
  });
}

/**
 * A run slot of the host: the release function at once when one is free, else a promise of it
 * (the job waits in line; the promise rejects, leaving the line, when `signal` aborts first).
 */
function acquireSlot(hostId: string, id: string, signal: AbortSignal): (() => void) | Promise<() => void> {
  const q = queueOf(hostId);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    q.running--;
    pump(q);
  };
  if (q.running < jobsPerHost() && q.waiting.length === 0) {
    q.running++;
    return release;
  }
  return new Promise((resolve, reject) => {
    const entry = {
      id,
      start: () => {
        signal.removeEventListener('abort', onAbort);
        q.running++;
        resolve(release);
      },
    };
    const onAbort = () => {
      const i = q.waiting.indexOf(entry);
      if (i >= 0) q.waiting.splice(i, 1);
      renumber(q);
      reject(new AppError('cancelled', 'Cancelled while queued: nothing ran on the host'));
    };
    q.waiting.push(entry);
    signal.addEventListener('abort', onAbort, { once: true });
    renumber(q);
  });
}

function pump(q: HostQueue): void {
  while (q.running < jobsPerHost() && q.waiting.length) q.waiting.shift()!.start();
  renumber(q);
}

/** The running and queued job counts of a host (for tests and the Jobs page). */
export function hostJobCounts(hostId: string): { running: number; queued: number } {
  const q = queues.get(hostId);
  return { running: q?.running ?? 0, queued: q?.waiting.length ?? 0 };
}

const TERMINAL = new Set<JobState>(['succeeded', 'failed', 'cancelled', 'interrupted']);

type Row = {
  id: string;
  kind: string;
  title: string;
  host_id: string;
  target: string;
  state: string;
  progress: number | null;
  bytes_done: number | null;
  bytes_total: number | null;
  command: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  result: string | null;
};

const fromRow = (r: Row): JobDto => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  hostId: r.host_id,
  target: JSON.parse(r.target) as Record<string, string>,
  state: r.state as JobState,
  queuedAhead: null,
  progress: r.progress,
  bytesDone: r.bytes_done,
  bytesTotal: r.bytes_total,
  command: r.command,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error ? (JSON.parse(r.error) as JobDto['error']) : null,
  result: r.result ? (JSON.parse(r.result) as unknown) : null,
  steps: [],
});

function save(dto: JobDto): void {
  db()
    .prepare(
      `INSERT INTO jobs (id, kind, title, host_id, target, state, progress, bytes_done, bytes_total, command, created_at, started_at, finished_at, error, result)
       VALUES (@id, @kind, @title, @hostId, @target, @state, @progress, @bytesDone, @bytesTotal, @command, @createdAt, @startedAt, @finishedAt, @error, @result)
       ON CONFLICT(id) DO UPDATE SET state = @state, progress = @progress, bytes_done = @bytesDone, bytes_total = @bytesTotal,
         started_at = @startedAt, finished_at = @finishedAt, error = @error, result = @result`,
    )
    .run({
      id: dto.id,
      kind: dto.kind,
      title: dto.title,
      hostId: dto.hostId,
      state: dto.state,
      progress: dto.progress,
      bytesDone: dto.bytesDone,
      bytesTotal: dto.bytesTotal,
      command: dto.command,
      createdAt: dto.createdAt,
      startedAt: dto.startedAt,
      finishedAt: dto.finishedAt,
      target: JSON.stringify(dto.target),
      error: dto.error ? JSON.stringify(dto.error) : null,
      result: dto.result === null || dto.result === undefined ? null : JSON.stringify(dto.result),
    });
}

function emit(l: Live, force = false): void {
  l.events.emit('update', l.dto);
  if (force || Date.now() - l.lastSaved >= 1000) {
    l.lastSaved = Date.now();
    save(l.dto);
  }
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
  const controller = new AbortController();
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const l: Live = { dto, controller, events, lastSaved: 0, done: Promise.resolve() };
  live.set(dto.id, l);
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
  // Queued or running at once: decided synchronously, so the answer to the request is exact.
  const slot = acquireSlot(spec.hostId, dto.id, controller.signal);
  waited = slot instanceof Promise;
  if (!waited) l.dto = { ...l.dto, state: 'running', startedAt: now };
  save(l.dto);
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
    emit(l, true);
    l.events.emit('end', l.dto);
    reportJobEnded(requestCtx, { state, error, jobId: dto.id });
    // Keep finished jobs in memory a little while for late subscribers, then the db answers.
    setTimeout(() => live.delete(dto.id), 60_000).unref?.();
  })();
  return l.dto;
}

export const JOB_LIST_DEFAULT = 200;
export const JOB_LIST_MAX = 500;

/** Jobs, newest first; `limit` is clamped to 1..500 (a negative LIMIT means "all" to SQLite). */
export function listJobs(opts: { limit?: number; hostId?: string; /** only jobs on these hosts (the caller's) */ hosts?: readonly string[] } = {}): JobDto[] {
  const limit = clampInt(opts.limit, { min: 1, max: JOB_LIST_MAX, fallback: JOB_LIST_DEFAULT });
  const where: string[] = [];
  const args: unknown[] = [];
  if (opts.hostId) {
    where.push('host_id = ?');
    args.push(opts.hostId);
  }
  if (opts.hosts) {
    where.push(`host_id IN (${opts.hosts.map(() => '?').join(', ') || 'NULL'})`);
    args.push(...opts.hosts);
  }
  const rows = db()
    .prepare(`SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC LIMIT ?`)
    .all(...args, limit) as Row[];
  // Running jobs: the in-memory record is fresher than the throttled row.
  return rows.map((r) => live.get(r.id)?.dto ?? fromRow(r));
}

/** The host a job runs on, or null for no such job (permission checks). */
export async function findJobHost(id: string): Promise<string | null> {
  try {
    return getJob(id).hostId;
  } catch {
    return null;
  }
}

export function getJob(id: string): JobDto {
  const l = live.get(id);
  if (l) return l.dto;
  const row = db().prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
  if (!row) throw notFound(`Job ${id}`);
  return fromRow(row);
}

/** DELETE /api/jobs/{id}: take a queued job out of the line, or kill a running job's process; a finished job answers 409. */
export async function cancelJob(id: string): Promise<JobDto> {
  const l = live.get(id);
  const dto = getJob(id);
  if (!l || TERMINAL.has(l.dto.state))
    throw new AppError('job-finished', `Job ${id} is not running or queued (${dto.state})`, { status: 409, detail: { state: dto.state } });
  l.controller.abort();
  // The transport reports back within a few seconds even if the host does not answer.
  await Promise.race([l.done, new Promise((r) => setTimeout(r, 8000))]);
  return l.dto;
}

/** Follow a job: `onUpdate` now and on every change; returns an unsubscribe function. */
export function subscribe(id: string, onUpdate: (dto: JobDto) => void, onEnd: (dto: JobDto) => void): () => void {
  const l = live.get(id);
  const dto = getJob(id);
  onUpdate(dto);
  if (!l || TERMINAL.has(dto.state)) {
    onEnd(dto);
    return () => {};
  }
  l.events.on('update', onUpdate);
  l.events.once('end', onEnd);
  return () => {
    l.events.off('update', onUpdate);
    l.events.off('end', onEnd);
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
