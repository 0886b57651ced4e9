import { expect, test, type Locator, type Page } from '@playwright/test';
import { formatBytes } from '../lib/format';
import { backingPath, poolInfo, volumeFormat, volumeInfo, volumeNames, volumePath, vmsUsing } from '../test/helpers/virsh';

/** The cells of the row whose name link is `name`, keyed by column header. */
async function rowCells(table: Locator, name: string): Promise<Record<string, Locator>> {
  const headers = await table.getByRole('columnheader').allInnerTexts();
  const row = table.getByRole('row').filter({ has: table.page().getByRole('link', { name, exact: true }) });
  await expect(row).toHaveCount(1);
  const cells = row.getByRole('cell').or(row.getByRole('rowheader'));
  return Object.fromEntries(headers.map((h, i) => [h.replace(/[▲▼]/g, '').trim(), cells.nth(i)]));
}

const volumeTable = (page: Page, pool: string) => page.getByRole('table', { name: `Volumes in pool ${pool}` });

test('Overview → host lab → pool vm → volume table → oa-disk0.qcow2 shows what virsh says', async ({ page }) => {
  const pool = poolInfo('vm');
  const names = volumeNames('vm');
  expect(names.length).toBeGreaterThan(0);

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const card = page.getByRole('listitem', { name: 'lab', exact: true });
  await expect(card.getByText('Connected')).toBeVisible();
  await card.getByRole('link', { name: 'lab', exact: true }).click();

  // Host page: the pools table lists vm with virsh's capacity.
  await expect(page.getByRole('heading', { level: 1, name: 'lab' })).toBeVisible();
  const pools = page.getByRole('table', { name: 'Storage pools on lab' });
  const vmRow = pools.getByRole('row').filter({ has: page.getByRole('link', { name: 'vm', exact: true }) });
  await expect(vmRow).toContainText(`of ${formatBytes(pool.capacity)}`);
  await expect((await rowCells(pools, 'vm'))['Volumes']!).toHaveText(String(names.length));
  await vmRow.getByRole('link', { name: 'vm', exact: true }).click();

  // Pool page header: capacity bar against virsh pool-info.
  await expect(page.getByRole('heading', { level: 1, name: 'vm' })).toBeVisible();
  await expect(page.getByRole('meter', { name: 'Pool vm capacity' })).toHaveAttribute('aria-valuetext', new RegExp(`of ${escape(formatBytes(pool.capacity))} `));
  await expect(page.getByRole('tab', { name: 'Volumes' })).toHaveAttribute('aria-selected', 'true');

  // Volume table: one row per `virsh vol-list vm` entry, capacities as formatBytes(vol-info).
  const table = volumeTable(page, 'vm');
  await expect(table).toHaveAttribute('aria-rowcount', String(names.length + 1));
  await expect(table.getByRole('row')).toHaveCount(names.length + 1);
  await expect(page.getByText(`${names.length} volumes`, { exact: false })).toBeVisible();
  for (const name of names) {
    const cells = await rowCells(table, name);
    await expect(cells['Capacity']!).toHaveText(formatBytes(volumeInfo('vm', name).capacity));
  }

  const oaBacking = backingPath('vm', 'oa-disk0.qcow2');
  expect(oaBacking).toMatch(/base-centos7\.qcow2$/);
  await expect((await rowCells(table, 'oa-disk0.qcow2'))['Backing file']!).toHaveText('base-centos7.qcow2');

  expect(vmsUsing('/kvm-vm/centos7-vm001.qcow2')).toEqual(['vm001']);
  await expect((await rowCells(table, 'centos7-vm001.qcow2'))['Used by']!).toHaveText('vm001');

  // Natural sort is the default order: names as virsh lists them, sorted like people read.
  const shown = await table.getByRole('row').locator('[role=cell]:first-child').allInnerTexts();
  expect(shown).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' })));

  // Into the volume.
  await table.getByRole('link', { name: 'oa-disk0.qcow2', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'oa-disk0.qcow2' })).toBeVisible();
  const facts = page.getByRole('region', { name: 'Image (qemu-img info)' });
  await expect(facts.getByRole('definition').filter({ hasText: 'base-centos7.qcow2' })).toHaveCount(1);
  await expect(facts).toContainText(formatBytes(volumeInfo('vm', 'oa-disk0.qcow2').capacity));
  const chain = page.getByRole('list', { name: 'Backing chain' });
  await expect(chain.getByRole('listitem')).toHaveCount(2);
  await expect(chain.getByRole('listitem').nth(0)).toContainText('/kvm-vm/oa-disk0.qcow2');
  await expect(chain.getByRole('listitem').nth(1)).toContainText(oaBacking!);
  await expect(page.getByRole('list', { name: 'Used by VMs' })).toContainText(vmsUsing('/kvm-vm/oa-disk0.qcow2').join(''));
  await expect(page.getByRole('region', { name: 'Volume XML' })).toContainText('<volume');
});

test('the filter box filters and survives a reload', async ({ page }) => {
  const names = volumeNames('vm');
  // The filter matches name, format, path, backing file and VM names; compute that from virsh.
  const expected = names.filter((n) => {
    const path = volumePath('vm', n);
    const text = [n, volumeFormat('vm', n) ?? '', path, backingPath('vm', n) ?? '', ...vmsUsing(path)].join(' ').toLowerCase();
    return text.includes('centos');
  });
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(names.length);

  await page.goto('/hosts/lab/pools/vm');
  const filter = page.getByRole('searchbox', { name: 'Filter volumes' });
  await filter.fill('centos');
  const table = volumeTable(page, 'vm');
  await expect(table).toHaveAttribute('aria-rowcount', String(expected.length + 1));
  await expect(page).toHaveURL(/[?&]q=centos(&|$)/);

  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Filter volumes' })).toHaveValue('centos');
  await expect(volumeTable(page, 'vm')).toHaveAttribute('aria-rowcount', String(expected.length + 1));
  for (const n of expected) await expect(volumeTable(page, 'vm').getByRole('link', { name: n, exact: true })).toBeVisible();
  await expect(volumeTable(page, 'vm').getByRole('row')).toHaveCount(expected.length + 1);

  await page.getByRole('searchbox', { name: 'Filter volumes' }).fill('');
  await expect(volumeTable(page, 'vm')).toHaveAttribute('aria-rowcount', String(names.length + 1));
  await expect(page).not.toHaveURL(/[?&]q=/);
});

test('sorting by capacity and back, with the order in the URL', async ({ page }) => {
  await page.goto('/hosts/lab/pools/vm');
  const table = volumeTable(page, 'vm');
  const header = table.getByRole('columnheader', { name: 'Capacity' });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/sort=capacity&dir=desc/);
  const sizes = volumeNames('vm').map((n) => volumeInfo('vm', n).capacity).sort((a, b) => b - a);
  const shown = await table.locator('[role=row][data-index] [role=cell]:nth-child(3)').allInnerTexts();
  expect(shown).toEqual(sizes.map(formatBytes));
});

test('host lab2 shows its pool images', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('listitem', { name: 'lab2', exact: true }).getByRole('link', { name: 'lab2', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'lab2' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Storage pools on lab2' }).getByRole('link', { name: 'images', exact: true })).toBeVisible();
  // And the sidebar lists it under the expanded host.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('list', { name: 'Pools on lab2' })).toContainText('images');
});

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
