/** Timing, memory sampling and table helpers for the benchmarks (no project imports). */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gcFn = runInNewContext('gc') as () => void;
export const gc = (): void => gcFn();

export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Run `fn` `reps` times; returns every duration (ms) and the last result. */
export async function timeReps<T>(reps: number, fn: () => Promise<T>): Promise<{ ms: number[]; median: number; last: T }> {
  const ms: number[] = [];
  let last!: T;
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    last = await fn();
    ms.push(now() - t0);
  }
  return { ms, median: median(ms), last };
}

export interface RssPeak {
  baseline: number;
  peak: number;
  samples: number;
}

/**
 * Sample process RSS every `everyMs` while `fn` runs (the timer only fires when the event
 * loop is free, so a final sample is taken before `fn`'s result is released).
 */
export async function withRssSampling<T>(fn: () => Promise<T>, everyMs = 10): Promise<{ result: T; rss: RssPeak }> {
  gc();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let samples = 0;
  const sample = () => {
    const r = process.memoryUsage().rss;
    samples++;
    if (r > peak) peak = r;
  };
  const timer = setInterval(sample, everyMs);
  try {
    const result = await fn();
    sample();
    return { result, rss: { baseline, peak, samples } };
  } finally {
    clearInterval(timer);
  }
}

export const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;
export const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
export const fmtX = (x: number): string => `${x.toFixed(x >= 10 ? 1 : 2)}×`;

export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

/** Fisher–Yates sample of k items. */
export function sample<T>(xs: readonly T[], k: number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}
