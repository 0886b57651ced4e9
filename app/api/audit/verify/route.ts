import { verifyAuditShared } from '@/server/audit/read';
import { handle } from '@/server/http';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** Walk the audit chain from its anchor to its head: `{intact, records, firstSeq, lastSeq, brokenAt?: {seq, reason}}`. */
async function onGet() {
  return handle(() => verifyAuditShared());
}

export const { GET } = api('/api/audit/verify', { GET: onGet });
