import 'server-only';
import { openedDatabase } from '../db';
import { pruneAudit } from './log';

/**
 * Audit retention in the server: records older than `KSC_AUDIT_DAYS` (default 365) are cut at
 * start-up and every 6 hours (pruneAudit moves the chain's anchor and records the cut, so the
 * chain stays verifiable). Started once per process from instrumentation.ts; the timer does not
 * keep the process alive. Several replicas pruning at once is harmless: each cut takes the
 * chain head's lock, and the second finds nothing old left.
 */
export const PRUNE_EVERY_MS = 6 * 3600_000;

export function auditDays(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.KSC_AUDIT_DAYS?.trim();
  const n = raw ? Number(raw) : 365;
  // A typo must not wipe the log: anything but a positive number keeps the default.
  return Number.isFinite(n) && n > 0 ? n : 365;
}

async function pruneOnce(): Promise<void> {
  try {
    const n = await pruneAudit(auditDays());
    if (n) console.log(`[ksc] audit retention: removed ${n} record(s) older than ${auditDays()} days`);
  } catch (e) {
    console.error('[ksc] audit retention failed:', e);
  }
}

const g = globalThis as { __kscAuditRetention?: ReturnType<typeof setInterval> };

/** Prune now and every 6 h; a second call (dev reloads, another bundle) does nothing. */
export function startAuditRetention(): void {
  if (g.__kscAuditRetention) return;
  // Later runs only on the database this process has open (like the job timers): a timer never opens one.
  g.__kscAuditRetention = setInterval(() => {
    if (openedDatabase()) void pruneOnce();
  }, PRUNE_EVERY_MS);
  g.__kscAuditRetention.unref?.();
  void pruneOnce();
}
