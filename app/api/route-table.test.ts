import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS, permissionKey } from '@/lib/auth/permissions';
import { ROUTE_TAG, type RouteTag } from '@/server/route';
import { fileOf, METHODS, PENDING_ROUTES, routeFiles, tableEntries } from '@/test/helpers/routes';

// Issue 13: one table declares the permission of every API route and method. Every exported HTTP
// handler of every app/api/**/route.ts must be made by api() (its tag), for the pattern its file's
// path makes, with a `METHOD pattern` entry in ROUTE_PERMISSIONS; and every entry needs a route.
const files = routeFiles();

describe('every API route is in the permission table', () => {
  it('finds the route files', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  for (const { file, pattern } of files)
    it(pattern, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const methods = METHODS.filter((m) => m in mod);
      expect(methods.length, `${file} exports no HTTP method`).toBeGreaterThan(0);
      for (const m of methods) {
        const handler = mod[m] as ((...a: unknown[]) => unknown) & { [ROUTE_TAG]?: RouteTag };
        const tag = handler?.[ROUTE_TAG];
        expect(tag, `${m} in ${file} is not made by api() (server/route.ts)`).toBeDefined();
        expect(tag, `${m} in ${file}: api() was given another pattern or method`).toEqual({ pattern, method: m });
        expect(Object.hasOwn(ROUTE_PERMISSIONS, permissionKey(m, pattern)), `${m} ${pattern} is missing from ROUTE_PERMISSIONS`).toBe(true);
      }
    });
});

describe('every entry of the permission table has its route', () => {
  for (const [method, pattern] of tableEntries()) {
    const key = `${method} ${pattern}`;
    if (PENDING_ROUTES.has(key) && !existsSync(fileOf(pattern))) {
      it.todo(`${key} (being built)`);
      continue;
    }
    it(key, async () => {
      expect(existsSync(fileOf(pattern)), `${key}: no ${fileOf(pattern)}`).toBe(true);
      const mod = (await import(fileOf(pattern))) as Record<string, { [ROUTE_TAG]?: RouteTag } | undefined>;
      expect(mod[method]?.[ROUTE_TAG], `${key}: the route exports no ${method} made by api()`).toEqual({ pattern, method });
    });
  }
});
