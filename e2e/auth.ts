/**
 * Signed-in browsers for the specs. The `setup` project (e2e/auth.setup.ts) makes one user per
 * role with `npm run user` in the database the console under test uses, signs each in, and keeps
 * their cookies in e2e/.auth/ROLE.json; every spec runs as `e2e-admin` unless it asks for
 * another role with `test.use({ storageState: stateOf('viewer') })` or signs in itself with
 * `credentials('viewer')`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '@/lib/auth/roles';

export const AUTH_DIR = path.join(import.meta.dirname, '.auth');
/** The console under test keeps its database here (playwright.config.ts), apart from the demo's `data/`. */
export const E2E_DATA_DIR = path.resolve(import.meta.dirname, '../data/e2e');
export const E2E_ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];
export const stateOf = (role: Role) => path.join(AUTH_DIR, `${role}.json`);
export const userOf = (role: Role) => `e2e-${role}`;

export function credentials(role: Role): { username: string; password: string } {
  const all = JSON.parse(readFileSync(path.join(AUTH_DIR, 'credentials.json'), 'utf8')) as Record<string, string>;
  return { username: userOf(role), password: all[role]! };
}
