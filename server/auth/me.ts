import 'server-only';
import { consoleRole, roleOn, type Role } from '@/lib/auth/roles';
import type { MeDto } from '@/lib/schemas';
import { loadInventory } from '../hosts/inventory';
import type { Principal } from './principal';

/** GET /api/me's answer (also prefetched by the console's layout): who, how, and the role on each visible host. */
export function describeMe(p: Principal): MeDto {
  return {
    user: { id: p.userId, username: p.username, displayName: p.displayName },
    via: p.kind === 'token' ? { kind: 'token', tokenId: p.tokenId } : { kind: 'session', sessionId: p.sessionId },
    groups: p.groups,
    grants: p.grants,
    consoleRole: consoleRole(p.grants),
    hosts: loadInventory()
      .hosts.map((h) => ({ id: h.id, role: roleOn(p.grants, h.id) }))
      .filter((h): h is { id: string; role: Role } => h.role !== null),
  };
}
