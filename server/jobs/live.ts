import 'server-only';
import { EventEmitter } from 'node:events';
import type { JobDto, JobState } from '@/lib/schemas';
import { saveJob } from './store';

/**
 * The jobs this process runs (or ran in the last minute), in memory: fresher than their rows,
 * which are written at most once a second and at each change of state. Saves of one job are
 * written one after another, the newest record last (a slow early write never lands after the
 * final one), and coalesced while one is in flight.
 */
export interface Live {
  dto: JobDto;
  controller: AbortController;
  events: EventEmitter;
  lastSaved: number;
  /** Settles when the job has ended and its final row is written. */
  done: Promise<void>;
  /** The save in flight, and the record waiting to be written after it. */
  saving: Promise<void> | null;
  next: JobDto | null;
}

export const TERMINAL: ReadonlySet<JobState> = new Set<JobState>(['succeeded', 'failed', 'cancelled', 'interrupted']);

const g = globalThis as { __kscJobs?: Map<string, Live> };
export const live: Map<string, Live> = (g.__kscJobs ??= new Map());

export function newLive(dto: JobDto): Live {
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const l: Live = { dto, controller: new AbortController(), events, lastSaved: 0, done: Promise.resolve(), saving: null, next: null };
  live.set(dto.id, l);
  return l;
}

/** Write the live record (after any write in flight); resolves when the newest record is written. */
export function persist(l: Live): Promise<void> {
  l.lastSaved = Date.now();
  l.next = l.dto;
  if (!l.saving)
    l.saving = (async () => {
      while (l.next) {
        const dto = l.next;
        l.next = null;
        await saveJob(dto).catch((e: unknown) => console.error(`[ksc] saving job ${dto.id} failed:`, e));
      }
      l.saving = null;
    })();
  return l.saving;
}

/** Tell subscribers now; write the row at most once a second, or now with `force`. */
export function emit(l: Live, force = false): void {
  l.events.emit('update', l.dto);
  if (force || Date.now() - l.lastSaved >= 1000) void persist(l);
}
