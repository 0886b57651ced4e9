/**
 * Next calls `register` once when a server process starts: the place for the console's own
 * background work. Node runtime only (the edge runtime has no database).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startAuditRetention } = await import('./server/audit/retention');
  startAuditRetention();
}
