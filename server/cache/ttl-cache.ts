import 'server-only';

/**
 * The one TTL + in-flight cache of the server (the host read, qemu-img's capabilities).
 *
 * - A value is kept for `ttlMs` counted from when it ARRIVED, not from when its read started:
 *   a read that takes longer than the TTL still serves the callers after it for the full TTL.
 * - A read in flight is shared by every caller that arrives while it runs, whatever its age
 *   (a large host's read may take longer than the TTL: starting a second one helps no one).
 * - `fresh: true` never takes a stored value, nor a read that was started by a non-fresh call
 *   (it may have started long ago); it starts a new read, which later fresh callers (and plain
 *   ones) share while it runs.
 * - `invalidate(key)` drops the value and detaches the reads in flight: their callers still get
 *   their results, but those results are not stored, and later callers start a new read (the
 *   thing read changed while it ran).
 * - A failed read is not stored; the next caller tries again. Of two reads that finish out of
 *   order, the one started later wins.
 */
export interface TtlCacheOptions {
  /** Time to live in ms, counted from arrival; a function is asked each time (env-configured TTLs). */
  ttlMs: number | (() => number);
  /** The clock (tests inject their own). */
  now?: () => number;
}

export interface GetOptions {
  /** Do not use a stored value or a non-fresh read in flight; share only a fresh read in flight. */
  fresh?: boolean;
}

interface Flight<V> {
  /** Order of starting, per cache: a later read's result replaces an earlier one's, never the reverse. */
  seq: number;
  promise: Promise<V>;
}

interface Entry<V> {
  /** The newest read in flight (plain callers share it). */
  flight?: Flight<V>;
  /** The newest fresh read in flight (fresh callers share only this). */
  freshFlight?: Flight<V>;
  stored?: { value: V; arrivedAt: number; seq: number };
}

export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private seq = 0;
  private readonly now: () => number;
  private readonly ttl: () => number;

  constructor(opts: TtlCacheOptions) {
    this.now = opts.now ?? Date.now;
    const ttl = opts.ttlMs;
    this.ttl = typeof ttl === 'function' ? ttl : () => ttl;
  }

  /** The value for `key`: stored and younger than the TTL, shared from a read in flight, or read now by `load`. */
  get(key: K, load: () => Promise<V>, opts: GetOptions = {}): Promise<V> {
    const e = this.entries.get(key);
    if (e && opts.fresh && e.freshFlight) return e.freshFlight.promise;
    if (e && !opts.fresh) {
      if (e.stored && this.now() - e.stored.arrivedAt < this.ttl()) return Promise.resolve(e.stored.value);
      if (e.flight) return e.flight.promise;
    }
    return this.start(key, load, opts.fresh ?? false);
  }

  /**
   * The thing behind `key` changed: forget the value and the reads in flight. Their callers
   * still get their results, but a read finds its entry gone (or replaced) and stores nothing.
   */
  invalidate(key: K): void {
    this.entries.delete(key);
  }

  /** Forget everything (tests). */
  clear(): void {
    this.entries.clear();
  }

  private start(key: K, load: () => Promise<V>, fresh: boolean): Promise<V> {
    const seq = ++this.seq;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {};
      this.entries.set(key, entry);
    }
    const e = entry;
    // `load` may throw synchronously: that is a failed read like any other.
    let promise: Promise<V>;
    try {
      promise = load();
    } catch (err) {
      promise = Promise.reject(err);
    }
    const flight: Flight<V> = { seq, promise };
    e.flight = flight;
    if (fresh) e.freshFlight = flight;
    const settle = (value?: { v: V }) => {
      if (e.flight === flight) e.flight = undefined;
      if (e.freshFlight === flight) e.freshFlight = undefined;
      if (this.entries.get(key) !== e) return; // invalidated meanwhile
      if (value && (!e.stored || e.stored.seq < seq)) e.stored = { value: value.v, arrivedAt: this.now(), seq };
      if (!e.flight && !e.freshFlight && !e.stored) this.entries.delete(key);
    };
    promise.then(
      (v) => settle({ v }),
      () => settle(),
    );
    return promise;
  }
}
