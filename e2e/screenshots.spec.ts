import { expect, test } from '@playwright/test';
import { shot } from './shots';

/**
 * The README's browsing screenshots (overview, host, pool, volume) of the real UI on the lab.
 * Tagged @screenshots: playwright.config.ts leaves them out of ordinary runs (`npm test`); `npm
 * run screenshots` runs them, with the specs whose flows take the other docs screenshots.
 */
const PAGES: Array<[name: string, path: string]> = [
  ['overview', '/'],
  ['host', '/hosts/lab'],
  ['pool', '/hosts/lab/pools/vm'],
  ['volume', '/hosts/lab/pools/vm/volumes/oa-disk0.qcow2'],
];

test.describe('README pages', { tag: '@screenshots' }, () => {
  for (const [name, path] of PAGES) {
    test(`${name}: ${path}`, async ({ page }) => {
      // A cold read of every lab host (thousands of volumes in some pools) on a busy machine.
      test.setTimeout(360_000);
      await page.goto(path, { waitUntil: 'networkidle' });
      // Pages stream: wait until no skeleton and no "Loading …" text is left.
      await expect(page.locator('.animate-pulse')).toHaveCount(0, { timeout: 300_000 });
      await expect(page.getByText(/^Loading\b/)).toHaveCount(0, { timeout: 60_000 });
      await page.screenshot({ path: shot(name), animations: 'disabled' });
    });
  }
});
