/**
 * Signed-in callers for tests that call route handlers or a server directly: a user with one
 * grant and an API token for it, made in the database the server code uses now ($DATABASE_URL,
 * else $KSC_DATA_DIR/ksc.sqlite). `authHeaders('operator', ['lab'])` → `{authorization: 'Bearer …'}`.
 */
import { randomBytes } from 'node:crypto';
import type { HostScope, Role } from '@/lib/auth/roles';
import { createToken } from '@/server/auth/tokens';
import { addUser, setUserGrant } from '@/server/auth/users';
import { generatePassword } from '@/server/auth/secrets';

const made = new Map<string, Promise<string>>();

async function make(role: Role, hosts: HostScope): Promise<string> {
  const name = `t-${role}-${randomBytes(4).toString('hex')}`;
  const u = await addUser({ username: name, password: generatePassword() });
  await setUserGrant(u.id, role, hosts);
  return (await createToken({ userId: u.id, ownerRole: role, name: 'test', role })).token;
}

export async function authHeaders(role: Role = 'admin', hosts: HostScope = '*'): Promise<Record<string, string>> {
  const key = JSON.stringify([process.env.DATABASE_URL ?? process.env.KSC_DATA_DIR ?? '', role, hosts]);
  let p = made.get(key);
  if (!p) made.set(key, (p = make(role, hosts)));
  return { authorization: `Bearer ${await p}` };
}
