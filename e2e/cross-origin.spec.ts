import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, expect, test, type Page } from '@playwright/test';
import { quiet, virsh } from '../test/helpers/virsh';

/**
 * Another site attacks the console through its user's browser. An attacker page is served from
 * another loopback address (its own origin) and tries what the hardening issue found working:
 * a text/plain form POST, a no-cors fetch, an <img> to discovery, framing, and a DNS-rebound
 * Host. Each attempt must get the gate's refusal, and the host must be unchanged (virsh says so).
 */
const POOL = 'ksc-x-canary';
const DIR = `/var/lib/libvirt/images/${POOL}`;
const VOL = 'canary.qcow2';
const EVIL_POOL = 'ksc-x-evil';
const ATTACKER = '127.0.0.3';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const poolState = (name: string) => /State:\s+(\S+)/.exec(virsh('pool-info', name))?.[1];
const poolNames = () => virsh('pool-list', '--all', '--name').split('\n').map((s) => s.trim()).filter(Boolean);

function dropCanary() {
  for (const p of [POOL, EVIL_POOL]) {
    quiet('pool-destroy', p);
    quiet('pool-undefine', p);
  }
  rmSync(DIR, { recursive: true, force: true });
}

let attacker: Server;
let attackerOrigin = '';
let console_ = '';
let before = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  console_ = baseURL!;
  dropCanary();
  mkdirSync(DIR, { recursive: true });
  virsh('pool-define-as', POOL, 'dir', '--target', DIR);
  virsh('pool-start', POOL);
  virsh('vol-create-as', POOL, VOL, '16M', '--format', 'qcow2');
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 1M', `${DIR}/${VOL}`]);
  before = sha(`${DIR}/${VOL}`);

  // The attacker's site: one page with every attempt ready to fire, served from another origin.
  const page = `<!doctype html><title>free screensavers</title>
<form id="stop" method="POST" enctype="text/plain" action="${console_}/api/hosts/lab/pools/${POOL}/stop"><input name='{"x":"' value='"}'></form>
<form id="create" method="POST" enctype="text/plain" action="${console_}/api/hosts/lab/pools"><input name='{"name":"${EVIL_POOL}","type":"dir","target":{"path":"/root/.ssh"},"build":true,"start":true,"x":"' value='"}'></form>
<script>
  window.noCors = () => fetch(${JSON.stringify(`${console_}/api/hosts/lab/pools/${POOL}/volumes/${VOL}/wipe`)},
    { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ confirm: ${JSON.stringify(VOL)} }) }).then(() => 'sent', (e) => String(e));
  window.img = () => new Promise((r) => { const i = new Image(); i.onload = () => r('loaded'); i.onerror = () => r('error');
    i.src = ${JSON.stringify(`${console_}/api/hosts/lab/pool-sources?type=netfs&host=127.0.0.9`)}; });
  window.download = () => new Promise((r) => { const i = new Image(); i.onload = () => r('loaded'); i.onerror = () => r('error');
    i.src = ${JSON.stringify(`${console_}/api/hosts/lab/pools/${POOL}/volumes/${VOL}/content`)}; });
  window.frame = () => new Promise((r) => { const f = document.createElement('iframe'); f.src = ${JSON.stringify(`${console_}/hosts/lab`)};
    f.onload = () => r('load'); document.body.appendChild(f); });
</script>`;
  attacker = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
  });
  await new Promise<void>((r) => attacker.listen(0, ATTACKER, () => r()));
  attackerOrigin = `http://${ATTACKER}:${(attacker.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((r) => attacker?.close(r));
  dropCanary();
});

test('a form POST with enctype=text/plain from another site is refused and runs nothing', async ({ page }) => {
  await page.goto(attackerOrigin);
  for (const form of ['stop', 'create']) {
    await page.goto(attackerOrigin);
    const answer = page.waitForResponse((r) => r.url().startsWith(console_) && r.request().method() === 'POST');
    await page.evaluate((id) => (document.getElementById(id) as HTMLFormElement).submit(), form);
    const res = await answer;
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross-origin');
  }
  expect(poolState(POOL)).toBe('running');
  expect(poolNames()).not.toContain(EVIL_POOL);
});

/**
 * The raw status of every response the page's network saw, by URL — also of responses the browser
 * then blocks from the page (Cross-Origin-Resource-Policy), which Playwright's events do not report.
 */
async function rawStatuses(page: Page): Promise<(fragment: string) => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // By request id: the two events of one request may come in either order.
  const urls = new Map<string, string>();
  const statuses = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.responseReceivedExtraInfo', (e) => statuses.set(e.requestId, e.statusCode));
  const find = (fragment: string) => [...statuses].find(([id]) => (urls.get(id) ?? '').includes(fragment))?.[1] ?? 0;
  return async (fragment) => {
    await expect.poll(() => find(fragment)).toBeGreaterThan(0);
    return find(fragment);
  };
}

test('a no-cors fetch, an <img> to discovery and a frame are refused', async ({ page }) => {
  const statusOf = await rawStatuses(page);
  await page.goto(attackerOrigin);
  // The browser also withholds the answer from the page (CORP same-origin): the fetch fails.
  expect(await page.evaluate(() => (window as unknown as { noCors: () => Promise<string> }).noCors())).toBe('TypeError: Failed to fetch');
  expect(await statusOf(`/volumes/${VOL}/wipe`)).toBe(403);

  expect(await page.evaluate(() => (window as unknown as { img: () => Promise<string> }).img())).toBe('error');
  expect(await statusOf('/pool-sources')).toBe(403);

  // Volume content is the one path proxy.ts leaves to its route (uploads must stream): the route gates itself.
  expect(await page.evaluate(() => (window as unknown as { download: () => Promise<string> }).download())).toBe('error');
  expect(await statusOf(`/volumes/${VOL}/content`)).toBe(403);

  // frame-ancestors 'none': the console's page never renders inside another site's frame.
  const framed = page.waitForResponse((r) => r.url() === `${console_}/hosts/lab`);
  await page.evaluate(() => (window as unknown as { frame: () => Promise<string> }).frame());
  expect((await framed).headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  const frame = page.frames().find((f) => f !== page.mainFrame());
  expect(await frame?.evaluate(() => document.body?.innerText ?? '').catch(() => '')).not.toContain('Storage pools');

  expect(sha(`${DIR}/${VOL}`)).toBe(before);
});

test('a DNS-rebound host name (Host: rebind.test) gets 421 for pages, reads and writes', async ({ baseURL }) => {
  // The rebinding page's name resolves to the console's address, as after a rebinding attack.
  // Chromium's own Local Network Access checks would stop the rebound page's requests before they
  // reach the console; Firefox, Safari and older Chromium have no such check, so they are turned
  // off here: the console's own Host allowlist is what must refuse.
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...LAUNCH_ARGS, '--host-resolver-rules=MAP rebind.test 127.0.0.1', '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks'] });
  try {
    const page = await browser.newPage();
    const url = baseURL!.replace('127.0.0.1', 'rebind.test');
    const res = await page.goto(`${url}/hosts/lab`);
    expect(res?.status()).toBe(421);
    expect(await page.textContent('body')).toContain('bad-host');
    // The rebinding itself: the first answer for rebind.test is the attacker's page (served here by
    // the test, as the attacker's DNS would point there first); then the name resolves to the
    // console, and the page's same-origin requests reach it.
    await page.route(`${url}/`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>rebound</title>' }));
    await page.goto(`${url}/`);
    await page.unrouteAll();
    const answers = await page.evaluate(
      async ({ pool, vol }) => {
        const json = { 'content-type': 'application/json' };
        const tries = [
          fetch('/api/hosts'),
          fetch(`/api/hosts/lab/pools/${pool}/stop`, { method: 'POST', headers: json, body: '{}' }),
          // the upload route (not behind proxy.ts) and a volume name that decodes to “…/content”
          fetch(`/api/hosts/lab/pools/${pool}/volumes/evil.img/content`, { method: 'PUT', headers: { 'x-ksc-upload': '1' }, body: 'x'.repeat(1000) }),
          fetch(`/api/hosts/lab/pools/${pool}/volumes/${vol}%2Fcontent`, { method: 'DELETE', headers: json, body: JSON.stringify({ confirm: vol }) }),
        ];
        return Promise.all(tries.map(async (t) => { const r = await t; return [r.status, (await r.json()).error.code]; }));
      },
      { pool: POOL, vol: VOL },
    );
    expect(answers).toEqual([[421, 'bad-host'], [421, 'bad-host'], [421, 'bad-host'], [421, 'bad-host']]);
    expect(virsh('vol-list', POOL)).not.toContain('evil.img');
  } finally {
    await browser.close();
  }
  expect(poolState(POOL)).toBe('running');
});

test('the console itself still writes: a same-origin refresh from its own page works', async ({ page }) => {
  await page.goto(`/hosts/lab/pools/${POOL}`);
  const status = await page.evaluate(async (pool) => {
    const r = await fetch(`/api/hosts/lab/pools/${pool}/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return r.status;
  }, POOL);
  expect(status).toBe(200);
  // and the headers are on pages and API answers alike
  const page_ = await page.request.get(`/hosts/lab/pools/${POOL}`);
  const api = await page.request.get('/api/hosts');
  for (const r of [page_, api]) {
    const h = r.headers();
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('same-origin');
    expect(h['cross-origin-opener-policy']).toBe('same-origin');
  }
  expect(page_.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic';/);
  expect(page_.headers()['content-security-policy']).not.toContain('unsafe-eval');
});
