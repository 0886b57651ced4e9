/**
 * Every API route file and the permission table, side by side: what the route-table unit test
 * and the role matrix (test/integration/role-matrix.test.ts) are generated from.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROUTE_PERMISSIONS } from '@/lib/auth/permissions';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Entries of the table whose routes are being built on a branch: reported as todo while no route file exists (empty when every route has landed). */
export const PENDING_ROUTES: ReadonlySet<string> = new Set<string>([]);

/** Every app/api/**\/route.ts: its file and the URL pattern its path makes (`/api/hosts/[host]`). */
export function routeFiles(): Array<{ file: string; pattern: string }> {
  const out: Array<{ file: string; pattern: string }> = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'route.ts') out.push({ file: p, pattern: `/${path.relative(path.join(REPO, 'app'), dir).split(path.sep).join('/')}` });
    }
  };
  walk(path.join(REPO, 'app/api'));
  return out.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** The table's entries as [method, pattern]. */
export const tableEntries = (): Array<[string, string]> =>
  Object.keys(ROUTE_PERMISSIONS).map((k) => {
    const i = k.indexOf(' ');
    return [k.slice(0, i), k.slice(i + 1)];
  });

/** The route file of a pattern. */
export const fileOf = (pattern: string) => path.join(REPO, 'app', ...pattern.split('/').filter(Boolean), 'route.ts');
