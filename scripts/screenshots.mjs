// Screenshots of the real UI on the lab for the README and docs: node scripts/screenshots.mjs [baseURL]
// (a console must be serving the lab's inventory there, e.g. `npm run demo`).
import { mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const shots = [
  ['overview', '/'],
  ['host', '/hosts/lab'],
  ['pool', '/hosts/lab/pools/vm'],
  ['volume', '/hosts/lab/pools/vm/volumes/oa-disk0.qcow2'],
];
for (const [name, path] of shots) {
  await page.goto(base + path, { waitUntil: 'networkidle', timeout: 120_000 });
  // Pages stream: wait until no skeleton and no "Loading …" text is left.
  await page.waitForFunction(() => !document.querySelector('.animate-pulse') && !/Loading hosts/.test(document.body.innerText), null, { timeout: 120_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/${name}.png` });
  console.log(`${out}/${name}.png`);
}
await browser.close();
