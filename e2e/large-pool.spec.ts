import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';

/**
 * A real pool on the lab host with thousands of volumes (sparse files in a dir pool, made here
 * and removed afterwards): the table must stay virtualized, keyboard-navigable and filterable at
 * that size, and awkward names (space, #, ?, unicode) must survive the round trip through the URL.
 */
const POOL = 'ksc-e2e-big';
const DIR = '/var/lib/ksc-e2e-big';
const SPECIAL = ['disk #1 ?.qcow2', 'ünïcode 名前.img', 'a b c.raw'];
const N = 3000;
const TOTAL = N + SPECIAL.length;
const sh = (script: string, ...args: string[]) => execFileSync('sh', ['-c', script, 'sh', ...args], { encoding: 'utf8', stdio: 'pipe' });

test.beforeAll(() => {
  sh(
    `virsh -q pool-destroy "$1" >/dev/null 2>&1; virsh -q pool-undefine "$1" >/dev/null 2>&1; rm -rf "$2"; mkdir -p "$2" && cd "$2" &&
     i=0; while [ $i -lt "$3" ]; do : > "vol$i.img"; i=$((i+1)); done &&
     truncate -s 1M "$4" "$5" "$6" &&
     virsh -q pool-define-as "$1" dir --target "$2" >/dev/null && virsh -q pool-start "$1" >/dev/null`,
    POOL, DIR, String(N), ...SPECIAL,
  );
});

test.afterAll(() => {
  sh('virsh -q pool-destroy "$1" >/dev/null 2>&1; virsh -q pool-undefine "$1" >/dev/null 2>&1; rm -rf "$2"', POOL, DIR);
});

test('thousands of real volumes stay virtualized, sortable, filterable and keyboard-navigable', async ({ page }) => {
  await page.goto(`/hosts/lab/pools/${POOL}`);
  const table = page.getByRole('table', { name: `Volumes in pool ${POOL}` });
  await expect(table).toHaveAttribute('aria-rowcount', String(TOTAL + 1), { timeout: 90_000 });
  const drawn = await table.locator('[role=row][data-index]').count();
  expect(drawn).toBeGreaterThan(5);
  expect(drawn).toBeLessThan(80);

  // Natural order: vol2 before vol10.
  const first = await table.locator('[role=row][data-index] [role=cell]:first-child').allInnerTexts();
  expect(first.slice(0, 5)).toEqual(['a b c.raw', 'disk #1 ?.qcow2', 'vol0.img', 'vol1.img', 'vol2.img']);

  // Keyboard: focus the first name, End jumps to the last row, ArrowUp steps back.
  await table.getByRole('link', { name: 'a b c.raw', exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator(':focus')).toHaveText('disk #1 ?.qcow2');
  await page.keyboard.press('End');
  await expect(page.locator(':focus')).toHaveText('ünïcode 名前.img');
  await expect(page.locator(':focus').locator('xpath=ancestor::*[@role="row"]')).toHaveAttribute('aria-rowindex', String(TOTAL + 1));
  await page.keyboard.press('ArrowUp');
  await expect(page.locator(':focus')).toHaveText(`vol${N - 1}.img`);

  // Filter: vol99 and vol990–vol999.
  await page.getByRole('searchbox', { name: 'Filter volumes' }).fill('vol99');
  await expect(table).toHaveAttribute('aria-rowcount', String(1 + 10 + 1));

  // Sort by name, descending.
  await page.getByRole('searchbox', { name: 'Filter volumes' }).fill('');
  await table.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
  await expect(table.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
  await expect(table.locator('[role=row][data-index="0"] [role=cell]').first()).toHaveText('ünïcode 名前.img');

  await page.getByRole('searchbox', { name: 'Filter volumes' }).fill('');
  for (const [w, h] of [[1440, 900], [1024, 768]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: test.info().outputPath(`big-pool-${w}x${h}.png`) });
  }
});

test('names with space, # and ? are encoded in links and decoded on the page', async ({ page }) => {
  await page.goto(`/hosts/lab/pools/${POOL}?q=${encodeURIComponent('#1')}`);
  const link = page.getByRole('table', { name: `Volumes in pool ${POOL}` }).getByRole('link', { name: 'disk #1 ?.qcow2', exact: true });
  // A cold read of a host with thousands of volumes takes a while on a loaded 2-core box.
  await expect(link).toHaveAttribute('href', `/hosts/lab/pools/${POOL}/volumes/${encodeURIComponent('disk #1 ?.qcow2')}`, { timeout: 90_000 });
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: 'disk #1 ?.qcow2' })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('disk #1 ?.qcow2');

  // A fresh load of the same URL (server render, then browser fetch) decodes the same way.
  await page.goto(`/hosts/lab/pools/${POOL}/volumes/${encodeURIComponent('ünïcode 名前.img')}`);
  await expect(page.getByRole('heading', { level: 1, name: 'ünïcode 名前.img' })).toBeVisible({ timeout: 90_000 });
});
