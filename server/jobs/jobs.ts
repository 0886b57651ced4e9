import 'server-only';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { JobDto, JobState } from '@/lib/schemas';
import { AppError, notFound } from '../errors';
import { db } from './db';

/**
 * Long operations (convert, wipe, clone, check, upload, download) run as jobs: started by a
 * request that answers at once with the job id; progress is pushed to subscribers (the SSE
 * route) and written to the database at most once a second and at the end, so the Jobs page
 * shows it after a reload or a restart. Each job runs on its own promise: one failure or a
 * hung host never blocks the others. Cancelling aborts the job's signal, which kills the
 * remote process group (see SshTransport).
 */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  progress(p: { percent?: number | null; bytesDone?: number | null; bytesTotal?: number | null }): void;
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

const g = globalThis as { __kscJobs?: Map<string, Live> };
const live: Map<string, Live> = (g.__kscJobs ??= new Map());

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
  progress: r.progress,
  bytesDone: r.bytes_done,
  bytesTotal: r.bytes_total,
  command: r.command,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error ? (JSON.parse(r.error) as JobDto['error']) : null,
  result: r.result ? (JSON.parse(r.result) as unknown) : null,
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
      ...dto,
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

/** Start a job; answers at once. `run` gets the abort signal and a progress reporter. */
export function startJob(spec: JobSpec, run: (ctx: JobContext) => Promise<unknown>): JobDto {
  const now = new Date().toISOString();
  const dto: JobDto = {
    id: randomUUID(),
    kind: spec.kind,
    title: spec.title,
    hostId: spec.hostId,
    target: spec.target,
    state: 'running',
    progress: null,
    bytesDone: null,
    bytesTotal: spec.bytesTotal ?? null,
    command: spec.command,
    createdAt: now,
    startedAt: now,
    finishedAt: null,
    error: null,
    result: null,
  };
  const controller = new AbortController();
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const l: Live = { dto, controller, events, lastSaved: 0, done: Promise.resolve() };
  live.set(dto.id, l);
  save(dto);
  const ctx: JobContext = {
    id: dto.id,
    signal: controller.signal,
    progress(p) {
      if (TERMINAL.has(l.dto.state)) return;
      l.dto = {
        ...l.dto,
        ...(p.percent !== undefined ? { progress: p.percent === null ? null : Math.max(l.dto.progress ?? 0, Math.min(100, p.percent)) } : {}),
        ...(p.bytesDone !== undefined ? { bytesDone: p.bytesDone } : {}),
        ...(p.bytesTotal !== undefined ? { bytesTotal: p.bytesTotal } : {}),
      };
      emit(l);
    },
  };
  l.done = (async () => {
    let state: JobState = 'succeeded';
    let error: JobDto['error'] = null;
    let result: unknown = null;
    try {
      result = (await run(ctx)) ?? null;
      if (controller.signal.aborted) state = 'cancelled';
    } catch (e) {
      if (controller.signal.aborted) {
        state = 'cancelled';
        error = { code: 'cancelled', message: 'Cancelled: the process on the host was killed' };
      } else {
        state = 'failed';
        const err = e as Partial<AppError> & Error;
        error = { code: typeof err.code === 'string' ? err.code : 'internal', message: err.message ?? String(e), ...(err.detail !== undefined ? { detail: err.detail } : {}) };
      }
    }
    l.dto = {
      ...l.dto,
      state,
      error,
      result: state === 'succeeded' ? result : null,
      progress: state === 'succeeded' && l.dto.progress !== null ? 100 : l.dto.progress,
      finishedAt: new Date().toISOString(),
    };
    emit(l, true);
    l.events.emit('end', l.dto);
    // Keep finished jobs in memory a little while for late subscribers, then the db answers.
    setTimeout(() => live.delete(dto.id), 60_000).unref?.();
  })();
  return dto;
}

export function listJobs(opts: { limit?: number; hostId?: string } = {}): JobDto[] {
  const rows = db()
    .prepare(`SELECT * FROM jobs ${opts.hostId ? 'WHERE host_id = ?' : ''} ORDER BY created_at DESC LIMIT ${Math.min(500, opts.limit ?? 200)}`)
    .all(...(opts.hostId ? [opts.hostId] : [])) as Row[];
  // Running jobs: the in-memory record is fresher than the throttled row.
  return rows.map((r) => live.get(r.id)?.dto ?? fromRow(r));
}

export function getJob(id: string): JobDto {
  const l = live.get(id);
  if (l) return l.dto;
  const row = db().prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
  if (!row) throw notFound(`Job ${id}`);
  return fromRow(row);
}

/** DELETE /api/jobs/{id}: kill a running job's process; a finished job answers 409. */
export async function cancelJob(id: string): Promise<JobDto> {
  const l = live.get(id);
  const dto = getJob(id);
  if (!l || TERMINAL.has(l.dto.state))
    throw new AppError('job-finished', `Job ${id} is not running (${dto.state})`, { status: 409, detail: { state: dto.state } });
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

/** For tests: wait until a job is finished. */
export async function waitForJob(id: string, timeoutMs = 120_000): Promise<JobDto> {
  const l = live.get(id);
  if (l) await Promise.race([l.done, new Promise((r) => setTimeout(r, timeoutMs))]);
  return getJob(id);
}
