/**
 * Waiting in tests without fixed sleeps: poll a condition until it holds or a deadline passes.
 * Plain promises (no vitest or Playwright import), so integration suites and e2e specs share it.
 */

export interface UntilOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between two polls (default 100 ms). */
  intervalMs?: number;
  /** What is awaited, for the error message. */
  what?: string;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const show = (v: unknown) => {
  try {
    return JSON.stringify(v)?.slice(0, 500) ?? String(v);
  } catch {
    return String(v);
  }
};

/**
 * Poll `fn` until it returns a truthy value, and return that value. A poll that throws counts as
 * "not yet". After `timeoutMs` it throws, quoting the last value (or error) it saw.
 */
export async function until<T>(fn: () => T | Promise<T>, opts: UntilOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, intervalMs = 100, what = 'the condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e instanceof Error ? `${e.name}: ${e.message}` : e;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${show(last)}`);
    await pause(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Poll `fn` until two polls `settleMs` apart give the same value (compared as JSON), and return
 * it: for "wait until this stops changing" (e.g. bytes read from a stream that was stopped).
 */
export async function settled<T>(fn: () => T | Promise<T>, opts: UntilOptions & { settleMs?: number } = {}): Promise<T> {
  const { settleMs = 300, ...rest } = opts;
  let prev = show(await fn());
  let value!: T;
  await until(
    async () => {
      await pause(settleMs);
      value = await fn();
      const now = show(value);
      const same = now === prev;
      prev = now;
      return same;
    },
    { intervalMs: 0, what: 'the value to stop changing', ...rest },
  );
  return value;
}

/**
 * Check that `fn` stays truthy for the whole of `forMs` (polled every `intervalMs`): the
 * negative counterpart of `until`, for "nothing more happens". Throws at the first falsy poll.
 */
export async function holds(fn: () => unknown, forMs: number, opts: { intervalMs?: number; what?: string } = {}): Promise<void> {
  const { intervalMs = 100, what = 'the condition' } = opts;
  const end = Date.now() + forMs;
  for (;;) {
    const v = await fn();
    if (!v) throw new Error(`${what} stopped holding after ${forMs - (end - Date.now())} ms (value: ${show(v)})`);
    if (Date.now() >= end) return;
    await pause(Math.min(intervalMs, Math.max(0, end - Date.now())));
  }
}
