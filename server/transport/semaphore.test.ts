import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('Semaphore', () => {
  it('admits up to the limit at once, queues the rest', async () => {
    const s = new Semaphore(2);
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    expect(s.active).toBe(2);
    let third = false;
    const p3 = s.acquire().then((r) => {
      third = true;
      return r;
    });
    await tick();
    expect(third).toBe(false);
    expect(s.queued).toBe(1);
    r1();
    const r3 = await p3;
    expect(third).toBe(true);
    expect(s.active).toBe(2);
    expect(s.queued).toBe(0);
    r2();
    r3();
    expect(s.active).toBe(0);
  });

  it('hands slots over in FIFO order', async () => {
    const s = new Semaphore(1);
    const first = await s.acquire();
    const order: number[] = [];
    const waiters = [0, 1, 2, 3, 4].map((i) =>
      s.acquire().then((release) => {
        order.push(i);
        release();
      }),
    );
    await tick();
    expect(s.queued).toBe(5);
    first();
    await Promise.all(waiters);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(s.active).toBe(0);
  });

  it('ignores a second release of the same slot', async () => {
    const s = new Semaphore(1);
    const r = await s.acquire();
    r();
    r();
    expect(s.active).toBe(0);
    const a = await s.acquire();
    expect(s.active).toBe(1);
    let b = false;
    void s.acquire().then(() => (b = true));
    r(); // stale release must not free a's slot
    await tick();
    expect(b).toBe(false);
    a();
    await tick();
    expect(b).toBe(true);
  });

  it('never holds more than the limit, serves waiters in arrival order, and ends empty', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.record({ hold: fc.integer({ min: 0, max: 3 }), gap: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 40 }),
        async (limit, jobs) => {
          const s = new Semaphore(limit);
          let inside = 0;
          let max = 0;
          const started: number[] = [];
          const queuedAt: number[] = [];
          const all: Promise<void>[] = [];
          for (const [i, job] of jobs.entries()) {
            for (let g = 0; g < job.gap; g++) await tick();
            if (s.active === limit) queuedAt.push(i);
            all.push(
              (async () => {
                const release = await s.acquire();
                inside++;
                max = Math.max(max, inside);
                expect(inside).toBeLessThanOrEqual(limit);
                started.push(i);
                for (let h = 0; h < job.hold; h++) await tick();
                inside--;
                release();
              })(),
            );
          }
          await Promise.all(all);
          expect(max).toBeLessThanOrEqual(limit);
          expect([...started].sort((a, b) => a - b)).toEqual(jobs.map((_, i) => i));
          expect(s.active).toBe(0);
          expect(s.queued).toBe(0);
          // Those that had to wait started in the order they asked.
          const waitedOrder = started.filter((i) => queuedAt.includes(i));
          expect(waitedOrder).toEqual([...waitedOrder].sort((a, b) => a - b));
        },
      ),
      { numRuns: 200 },
    );
  }, 30_000);

  it('reaches the limit when there is demand', async () => {
    const s = new Semaphore(3);
    let inside = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const r = await s.acquire();
        inside++;
        max = Math.max(max, inside);
        await tick();
        inside--;
        r();
      }),
    );
    expect(max).toBe(3);
  });
});
