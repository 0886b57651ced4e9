import { consoleRole, roleOn } from '@/lib/auth/roles';
import { loadInventory } from '@/server/hosts/inventory';
import { handle } from '@/server/http';
import { api, currentPrincipal } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET /api/me: who I am, how I signed in, and my role on each host I can see. */
async function onGet() {
  return handle(async () => {
    const p = currentPrincipal()!;
    const hosts = loadInventory()
      .hosts.map((h) => ({ id: h.id, role: roleOn(p.grants, h.id) }))
      .filter((h) => h.role !== null);
    return {
      user: { id: p.userId, username: p.username, displayName: p.displayName },
      via: p.kind === 'token' ? { kind: 'token', tokenId: p.tokenId } : { kind: 'session', sessionId: p.sessionId },
      groups: p.groups,
      grants: p.grants,
      consoleRole: consoleRole(p.grants),
      hosts,
    };
  });
}

export const { GET } = api('/api/me', { GET: onGet });
