import { auditExportResponse, auditPage, auditScope, parseAuditParams } from '@/server/audit/read';
import { loadInventory } from '@/server/hosts/inventory';
import { errorResponse, handle } from '@/server/http';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/**
 * The audit log, newest first: `?host=&user=&object=&kind=&op=&result=&since=&until=&limit=&before=`
 * answers a page `{records, nextBefore}`; `&format=csv|json` a download of every matching record
 * (at most `limit`). Each caller sees the records of the hosts they can read (server/audit/read.ts).
 */
async function onGet(req: Request) {
  let parsed;
  try {
    parsed = parseAuditParams(new URL(req.url).searchParams);
  } catch (e) {
    return errorResponse(e);
  }
  const scope = auditScope(loadInventory().hosts.map((h) => h.id));
  if (parsed.format !== 'page') return auditExportResponse(parsed, scope);
  return handle(() => auditPage(parsed, scope));
}

export const { GET } = api('/api/audit', { GET: onGet });
