import { expect, test, type Route } from '@playwright/test';
import type { PoolDto, VolumeDto } from '../lib/schemas';

/**
 * 10,000 volumes without touching the lab: the browser's API calls for a pool that does not
 * exist on host `lab` are answered here (the server-side prefetch finds nothing, so the page
 * fetches in the browser). Guards the table's virtualization, keyboard navigation, sort and
 * filter at a size no lab pool is worth creating for every run.
 */
const POOL = 'mock-10k';
const N = 10_000;

function volume(name: string, i: number): VolumeDto {
  return {
    name,
    pool: POOL,
    key: `/mock/${name}`,
    path: `/mock/${name}`,
    type: 'file',
    format: 'qcow2',
    capacity: (1 + (i % 50)) * 1024 ** 3,
    allocation: (i % 7) * 64 * 1024 ** 2,
    physical: null,
    backingStore: i % 10 === 0 ? { path: '/mock/base.qcow2', format: 'qcow2' } : null,
    usedBy: i % 97 === 0 ? [`vm${i}`] : [],
  };
}

const volumes = Array.from({ length: N }, (_, i) => volume(`vol${i}.qcow2`, i));
const pool: PoolDto = {
  name: POOL,
  uuid: '00000000-0000-4000-8000-000000000000',
  type: 'dir',
  state: 'running',
  autostart: true,
  persistent: true,
  capacity: 2 * 1024 ** 4,
  allocation: 1024 ** 4,
  available: 1024 ** 4,
  source: { hosts: [], devices: [] },
  target: { path: '/mock' },
  volumeCount: N,
  volumeCapacity: volumes.reduce((s, v) => s + v.capacity, 0),
};

test('10,000 volumes: virtualized, keyboard-navigable, sortable, filterable', async ({ page }) => {
  const prefix = `/api/hosts/lab/pools/${POOL}`;
  await page.route(
    (url) => url.pathname.startsWith(prefix),
    (route: Route) => {
      const path = new URL(route.request().url()).pathname;
      const body = path === prefix ? { pool, xml: `<pool type='dir'><name>${POOL}</name></pool>` } : volumes;
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    },
  );
  await page.goto(`/hosts/lab/pools/${POOL}`);
  const table = page.getByRole('table', { name: `Volumes in pool ${POOL}` });
  await expect(table).toHaveAttribute('aria-rowcount', String(N + 1));
  const drawn = await table.locator('[role=row][data-index]').count();
  expect(drawn).toBeGreaterThan(5);
  expect(drawn).toBeLessThan(80);

  const first = await table.locator('[role=row][data-index] [role=cell]:first-child').allInnerTexts();
  expect(first.slice(0, 3)).toEqual(['vol0.qcow2', 'vol1.qcow2', 'vol2.qcow2']);

  await table.getByRole('link', { name: 'vol0.qcow2', exact: true }).focus();
  await page.keyboard.press('End');
  await expect(page.locator(':focus')).toHaveText('vol9999.qcow2');
  await expect(page.locator(':focus').locator('xpath=ancestor::*[@role="row"]')).toHaveAttribute('aria-rowindex', String(N + 1));
  await page.keyboard.press('PageUp');
  await page.keyboard.press('Home');
  await expect(page.locator(':focus')).toHaveText('vol0.qcow2');

  const t0 = Date.now();
  await page.getByRole('searchbox', { name: 'Filter volumes' }).fill('vol99');
  await expect(table).toHaveAttribute('aria-rowcount', String(1 + 10 + 100 + 1));
  // Generous (a loaded 2-core box): this guards against quadratic work, not milliseconds.
  expect(Date.now() - t0).toBeLessThan(5000);

  await page.getByRole('searchbox', { name: 'Filter volumes' }).fill('');
  const cap = table.getByRole('columnheader', { name: 'Capacity' });
  await cap.getByRole('button').click();
  await cap.getByRole('button').click();
  await expect(cap).toHaveAttribute('aria-sort', 'descending');
  await expect(table.locator('[role=row][data-index="0"] [role=cell]').nth(2)).toHaveText('50.0 GiB');
});
