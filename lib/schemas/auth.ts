import { z } from 'zod';
import { ROLES } from '@/lib/auth/roles';

export const RoleDto = z.enum(ROLES);

/** GET /api/me: who is signed in, how, and the role on each host they can see. */
export const MeDto = z.object({
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string().nullable() }),
  via: z.object({ kind: z.enum(['session', 'token']), sessionId: z.string().optional(), tokenId: z.string().optional() }),
  groups: z.array(z.string()),
  grants: z.array(z.object({ role: RoleDto, hosts: z.union([z.literal('*'), z.array(z.string())]) })),
  /** The role on every host (a grant on `*`), which users, grants and the inventory need. */
  consoleRole: RoleDto.nullable(),
  hosts: z.array(z.object({ id: z.string(), role: RoleDto })),
});
export type MeDto = z.infer<typeof MeDto>;
