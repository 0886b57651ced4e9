import 'server-only';

/**
 * The console's resource limits, each from an environment variable with a safe default
 * (docs/OPERATIONS.md). Read when used, so a test (or a restart with a new environment) applies.
 */

/** An integer in [min, max]; anything not a finite number gives `fallback`. */
export function clampInt(v: unknown, o: { min: number; max: number; fallback: number }): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return o.fallback;
  return Math.min(o.max, Math.max(o.min, Math.trunc(n)));
}

const env = (name: string, o: { min: number; max: number; fallback: number }) => clampInt(process.env[name], o);

/**
 * `KSC_JOBS_PER_HOST` (default 4): jobs running at once per host. At most 7 — the SSH transport
 * opens 8 channels per host (server/transport/ssh.ts) and a kill needs a spare one — and better
 * well below, so reads keep channels while jobs run.
 */
export const jobsPerHost = () => env('KSC_JOBS_PER_HOST', { min: 1, max: 7, fallback: 4 });

/** `KSC_JOB_HISTORY_DAYS` (default 30): finished jobs older than this are pruned. */
export const jobHistoryDays = () => env('KSC_JOB_HISTORY_DAYS', { min: 1, max: 36_500, fallback: 30 });

/** `KSC_JOB_HISTORY_MAX` (default 1000): at most this many finished jobs are kept (the newest). */
export const jobHistoryMax = () => env('KSC_JOB_HISTORY_MAX', { min: 1, max: 1_000_000, fallback: 1000 });

/** `KSC_SSE_PER_CLIENT` (default 8): open job event streams per client address (behind a trusted proxy). */
export const streamsPerClient = () => env('KSC_SSE_PER_CLIENT', { min: 1, max: 1000, fallback: 8 });

/** `KSC_SSE_MAX` (default 32): open job event streams in all (the cap when clients cannot be told apart). */
export const streamsTotal = () => env('KSC_SSE_MAX', { min: 1, max: 10_000, fallback: 32 });

/** `KSC_TRUST_PROXY=1`: the console sits behind a reverse proxy that sets X-Forwarded-For. */
export const trustProxy = () => /^(1|true|yes)$/i.test(process.env.KSC_TRUST_PROXY ?? '');
