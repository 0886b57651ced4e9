import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache';

/** A read the test finishes by hand, on a clock the test moves by hand. */
function harness(ttlMs = 2000) {
  let clock = 1_000_000;
  const cache = new TtlCache<string, string>({ ttlMs, now: () => clock });
  const reads: Array<{ resolve: (v: string) => void; reject: (e: Error) => void }> = [];
  const load = () =>
    new Promise<string>((resolve, reject) => {
      reads.push({ resolve, reject });
    });
  const settle = () => new Promise<void>((r) => setImmediate(r));
  return {
    cache,
    reads,
    load,
    settle,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('TtlCache', () => {
  it('a read that takes longer than the TTL is shared by every caller that arrives while it runs', async () => {
    const h = harness(2000);
    const first = h.cache.get('host', h.load);
    h.advance(1500);
    const second = h.cache.get('host', h.load);
    h.advance(5000); // 6.5 s into the read: far past the TTL, still in flight
    const third = h.cache.get('host', h.load);
    expect(h.reads).toHaveLength(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
    h.reads[0]!.resolve('v1');
    expect(await Promise.all([first, second, third])).toEqual(['v1', 'v1', 'v1']);
  });

  it('counts the TTL from when the value arrived, not from when its read started', async () => {
    const h = harness(2000);
    const p = h.cache.get('host', h.load);
    h.advance(10_000); // a slow read
    h.reads[0]!.resolve('v1');
    await p;
    await h.settle();
    h.advance(1999);
    expect(await h.cache.get('host', h.load)).toBe('v1');
    expect(h.reads).toHaveLength(1);
    h.advance(1);
    const again = h.cache.get('host', h.load);
    expect(h.reads).toHaveLength(2);
    h.reads[1]!.resolve('v2');
    expect(await again).toBe('v2');
  });

  it('invalidate during a read: its callers get their result, but it is not kept and later callers read again', async () => {
    const h = harness(2000);
    const before = h.cache.get('host', h.load);
    h.cache.invalidate('host');
    const after = h.cache.get('host', h.load);
    expect(h.reads).toHaveLength(2);
    expect(after).not.toBe(before);
    h.reads[0]!.resolve('stale');
    expect(await before).toBe('stale');
    await h.settle();
    // the stale result was not stored: still the new read in flight
    expect(h.cache.get('host', h.load)).toBe(after);
    h.reads[1]!.resolve('new');
    expect(await after).toBe('new');
    await h.settle();
    expect(await h.cache.get('host', h.load)).toBe('new');
    expect(h.reads).toHaveLength(2);
  });

  it('invalidate during a read with nothing after it: the result is not kept', async () => {
    const h = harness(2000);
    const p = h.cache.get('host', h.load);
    h.cache.invalidate('host');
    h.reads[0]!.resolve('stale');
    expect(await p).toBe('stale');
    await h.settle();
    void h.cache.get('host', h.load);
    expect(h.reads).toHaveLength(2);
  });

  it('does not keep errors: the callers sharing the read get it, the next caller reads again', async () => {
    const h = harness(2000);
    const a = h.cache.get('host', h.load);
    const b = h.cache.get('host', h.load);
    h.reads[0]!.reject(new Error('ssh down'));
    await expect(a).rejects.toThrow('ssh down');
    await expect(b).rejects.toThrow('ssh down');
    await h.settle();
    const c = h.cache.get('host', h.load);
    expect(h.reads).toHaveLength(2);
    h.reads[1]!.resolve('ok');
    expect(await c).toBe('ok');
  });

  it('a synchronous throw in the loader is a failed read, not kept', async () => {
    const h = harness(2000);
    await expect(
      h.cache.get('host', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await h.settle();
    const p = h.cache.get('host', h.load);
    expect(h.reads).toHaveLength(1);
    h.reads[0]!.resolve('ok');
    expect(await p).toBe('ok');
  });

  it('a failure does not evict a good value still within its TTL', async () => {
    const h = harness(2000);
    const p = h.cache.get('host', h.load);
    h.reads[0]!.resolve('good');
    await p;
    const f = h.cache.get('host', h.load, { fresh: true });
    h.reads[1]!.reject(new Error('flaky'));
    await expect(f).rejects.toThrow('flaky');
    await h.settle();
    expect(await h.cache.get('host', h.load)).toBe('good');
  });

  it('fresh starts a new read even with a value stored or a plain read in flight, and concurrent fresh callers share it', async () => {
    const h = harness(2000);
    const stored = h.cache.get('host', h.load);
    h.reads[0]!.resolve('old');
    await stored;
    await h.settle();
    const f0 = h.cache.get('host', h.load, { fresh: true }); // a fresh read…
    const f1 = h.cache.get('host', h.load, { fresh: true }); // …shared by the next fresh caller
    expect(h.reads).toHaveLength(2);
    expect(f1).toBe(f0);
    // a plain caller within the TTL still takes the stored value
    expect(await h.cache.get('host', h.load)).toBe('old');
    h.reads[1]!.resolve('fresh');
    expect(await f1).toBe('fresh');
    await h.settle();
    // the fresh result replaced the stored one
    expect(await h.cache.get('host', h.load)).toBe('fresh');
    // a fresh caller after the read finished reads again (no stored value is fresh enough)
    void h.cache.get('host', h.load, { fresh: true });
    expect(h.reads).toHaveLength(3);
  });

  it('fresh does not share a plain read in flight (it may have started before the change the caller needs to see)', async () => {
    const h = harness(2000);
    const plain = h.cache.get('host', h.load);
    const fresh = h.cache.get('host', h.load, { fresh: true });
    const fresh2 = h.cache.get('host', h.load, { fresh: true });
    expect(h.reads).toHaveLength(2);
    expect(fresh).not.toBe(plain);
    expect(fresh2).toBe(fresh);
    // plain callers from now on share the newest read in flight
    expect(h.cache.get('host', h.load)).toBe(fresh);
    // the later read finishes first; the earlier read's late result must not replace it
    h.reads[1]!.resolve('newer');
    await fresh;
    await h.settle();
    h.reads[0]!.resolve('older');
    await plain;
    await h.settle();
    expect(await h.cache.get('host', h.load)).toBe('newer');
  });

  it('keys are independent', async () => {
    const h = harness(2000);
    const a = h.cache.get('a', h.load);
    const b = h.cache.get('b', h.load);
    expect(h.reads).toHaveLength(2);
    h.cache.invalidate('a');
    h.reads[1]!.resolve('B');
    h.reads[0]!.resolve('A');
    await Promise.all([a, b]);
    await h.settle();
    expect(await h.cache.get('b', h.load)).toBe('B');
    void h.cache.get('a', h.load);
    expect(h.reads).toHaveLength(3);
  });

  it('reads the TTL each time when given a function', async () => {
    let ttl = 2000;
    let clock = 0;
    const cache = new TtlCache<string, number>({ ttlMs: () => ttl, now: () => clock });
    let n = 0;
    const load = async () => ++n;
    expect(await cache.get('k', load)).toBe(1);
    await new Promise((r) => setImmediate(r));
    clock += 5000;
    ttl = 60_000;
    expect(await cache.get('k', load)).toBe(1);
    ttl = 0;
    expect(await cache.get('k', load)).toBe(2);
  });
});
