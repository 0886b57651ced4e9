import 'server-only';
import { AppError } from '../errors';
import { jobsPerHost } from './limits';

/**
 * The per-host run slots. At most `jobsPerHost()` jobs of one host run at once
 * (`KSC_JOBS_PER_HOST`, default 4, at most 7): a job holds an SSH channel for its whole run and a
 * host has 8 (one spare for a kill), so without this cap eight jobs would leave no channel for
 * reads. Extra jobs wait in line (FIFO); each is told its place (`queuedAhead`) whenever it
 * changes, and can leave the line by aborting. Per process: a replica's slots count its own jobs.
 */
interface Waiting {
  id: string;
  start: () => void;
  /** Told the number of jobs ahead in line. */
  place: (ahead: number) => void;
}

/** Per host: how many jobs hold a slot, and the queued ones in arrival order. */
interface HostQueue {
  running: number;
  waiting: Waiting[];
}

const g = globalThis as { __kscJobQueues?: Map<string, HostQueue> };
const queues: Map<string, HostQueue> = (g.__kscJobQueues ??= new Map());

const queueOf = (hostId: string): HostQueue => {
  let q = queues.get(hostId);
  if (!q) queues.set(hostId, (q = { running: 0, waiting: [] }));
  return q;
};

/** Tell every queued job of the host its place in line. */
const renumber = (q: HostQueue) => q.waiting.forEach((w, i) => w.place(i));

function pump(q: HostQueue): void {
  while (q.running < jobsPerHost() && q.waiting.length) q.waiting.shift()!.start();
  renumber(q);
}

/**
 * A run slot of the host: the release function at once when one is free, else a promise of it
 * (the job waits in line; the promise rejects, leaving the line, when `signal` aborts first).
 */
export function acquireSlot(hostId: string, id: string, signal: AbortSignal, place: (ahead: number) => void): (() => void) | Promise<() => void> {
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
    const entry: Waiting = {
      id,
      place,
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

/** The running and queued job counts of a host in this process (for tests and the Jobs page). */
export function hostJobCounts(hostId: string): { running: number; queued: number } {
  const q = queues.get(hostId);
  return { running: q?.running ?? 0, queued: q?.waiting.length ?? 0 };
}
