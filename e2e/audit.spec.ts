import path from 'node:path';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { shot } from './shots';
import { E2E_DATA_DIR, userOf } from './auth';
import { virsh } from '../test/helpers/virsh';

// The Audit page and a History tab on real records: a volume made and deleted in the lab's
// `default` pool through the API as the signed-in admin, then the page lists each write with the
// user's name and its exact commands in order; the CSV export holds them; a record edited in the
// database turns the chain state red (and back once restored).
const POOL = 'default';
const DIR = '/var/lib/libvirt/images';
const VOL = `ksc-audit-e2e-${Date.now().toString(36)}.qcow2`;
// The server under test keeps its database in E2E_DATA_DIR (playwright.config.ts).
const DB_FILE = path.join(E2E_DATA_DIR, 'ksc.sqlite');

function removeVolume() {
  try {
    virsh('vol-delete', '--pool', POOL, VOL);
  } catch {
    /* not there */
  }
}

test.beforeAll(removeVolume);
test.afterAll(removeVolume);

/** A write through the API as the page's signed-in user (the browser context's session cookie). */
async function api(page: Page, method: 'POST' | 'DELETE', url: string, data: unknown) {
  const origin = new URL(page.url()).origin;
  return page.request.fetch(url, { method, data, headers: { origin, 'content-type': 'application/json' } });
}

test('writes appear in the audit log with the user and their commands; a History tab; CSV export; a tampered record turns the chain red', async ({ page }) => {
  test.setTimeout(240_000);
  const admin = userOf('admin');
  await page.goto('/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();

  // Three writes: create, a delete refused for want of the typed name, then the delete.
  expect((await api(page, 'POST', `/api/hosts/lab/pools/${POOL}/volumes`, { name: VOL, capacity: '16M', format: 'qcow2' })).status()).toBe(200);
  expect((await api(page, 'DELETE', `/api/hosts/lab/pools/${POOL}/volumes/${VOL}`, {})).status()).toBe(409);

  // The volume's History tab, while it exists.
  await page.goto(`/hosts/lab/pools/${POOL}/volumes/${VOL}?tab=history`);
  await expect(page.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
  const history = page.getByRole('table', { name: `History of ${POOL}/${VOL}` });
  await expect(history.getByRole('row')).toHaveCount(3, { timeout: 30_000 }); // header + 2 records
  await history.getByRole('button', { name: /Show the commands of record/ }).last().click();
  await expect(page.getByRole('list', { name: /Commands of record/ })).toContainText(`qemu-img create -f qcow2 -- ${DIR}/${VOL} 16M`);
  await page.screenshot({ path: shot('audit-volume-history') });

  expect((await api(page, 'DELETE', `/api/hosts/lab/pools/${POOL}/volumes/${VOL}`, { confirm: VOL })).status()).toBe(200);

  // The Audit page, filtered to this volume by URL: three records, newest first, by the admin.
  await page.goto(`/audit?object=${encodeURIComponent(`${POOL}/${VOL}`)}`);
  await expect(page.getByLabel('Object')).toHaveValue(`${POOL}/${VOL}`);
  const table = page.getByRole('table', { name: 'Audit records' });
  await expect(table.getByRole('row')).toHaveCount(4, { timeout: 30_000 });
  const rows = table.getByRole('row');
  await expect(rows.nth(1)).toContainText('DELETE /pools/[pool]/volumes/[volume]');
  await expect(rows.nth(1)).toContainText('ok');
  await expect(rows.nth(2)).toContainText('refused');
  await expect(rows.nth(3)).toContainText('POST /pools/[pool]/volumes');
  for (const i of [1, 2, 3]) await expect(rows.nth(i)).toContainText(admin);
  const deleteSeq = Number(/record (\d+)/.exec((await rows.nth(1).getByRole('button', { name: /Show the commands/ }).getAttribute('aria-label')) ?? '')?.[1]);
  expect(deleteSeq).toBeGreaterThan(0);
  await expect(page.getByRole('status', { name: 'Chain state' })).toContainText(/Chain intact · \d+ records/);

  // The create, opened: its three steps in order, each exit 0.
  await rows.nth(3).getByRole('button', { name: /Show the commands/ }).click();
  const steps = page.getByRole('list', { name: /Commands of record/ }).getByRole('listitem');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText(`test '!' -e ${DIR}/${VOL}`);
  await expect(steps.nth(1)).toContainText(`Create ${VOL} (qcow2)`);
  await expect(steps.nth(1)).toContainText(`qemu-img create -f qcow2 -- ${DIR}/${VOL} 16M`);
  await expect(steps.nth(2)).toContainText(`virsh -q -c qemu:///system pool-refresh -- ${POOL}`);
  for (const i of [0, 1, 2]) await expect(steps.nth(i)).toContainText('exit 0');
  // The refused delete: the guard's message, no command.
  await rows.nth(2).getByRole('button', { name: /Show the commands/ }).click();
  await expect(page.getByText(`Deleting ${VOL} destroys its data`)).toBeVisible();
  await page.screenshot({ path: shot('audit-page'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: shot('audit-page-1024') });
  await page.setViewportSize({ width: 1440, height: 900 });

  // A filter typed in the form goes to the URL and narrows the list.
  await page.getByLabel('Result').selectOption('refused');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(page).toHaveURL(/result=refused/);

  // CSV export of what is shown.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^ksc-audit-\d{8}T\d{6}Z\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
  expect(csv[0]).toMatch(/^seq,at,actor_kind,actor,/);
  expect(csv.filter((l) => l.includes(VOL))).toHaveLength(1);

  // A record edited in the database: the page says where the chain breaks, in red.
  const seq = deleteSeq;
  const db = new Database(DB_FILE);
  try {
    const before = db.prepare('SELECT actor FROM audit WHERE seq = ?').get(seq) as { actor: string };
    db.prepare('UPDATE audit SET actor = ? WHERE seq = ?').run('someone-else', seq);
    try {
      await page.reload();
      const broken = page.getByRole('alert', { name: 'Chain state' });
      await expect(broken).toContainText(`Chain broken at record ${seq}: its content was changed after it was written`);
      await page.screenshot({ path: shot('audit-chain-broken') });
    } finally {
      db.prepare('UPDATE audit SET actor = ? WHERE seq = ?').run(before.actor, seq);
    }
  } finally {
    db.close();
  }
  await page.getByRole('button', { name: 'Verify again' }).click();
  await expect(page.getByRole('status', { name: 'Chain state' })).toContainText('Chain intact');

  // The pool's History tab lists the volume's records too.
  await page.goto(`/hosts/lab/pools/${POOL}?tab=history`);
  await expect(page.getByRole('table', { name: `History of ${POOL}` }).getByRole('row').filter({ hasText: VOL }).first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: shot('audit-pool-history') });

  // A VM's History tab (vm001: nothing recorded in this database, or its own records).
  await page.goto('/hosts/lab/vms/vm001?tab=history');
  await expect(page.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('No recorded changes').or(page.getByRole('table', { name: 'History of vm001' }))).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: shot('audit-vm-history') });
});

test('a pool, a volume in it attached to a VM and detached, all deleted: the Audit page lists each write in order, by the user, with its commands', async ({ page }) => {
  test.setTimeout(300_000);
  const admin = userOf('admin');
  const P = `ksc-audit-pool-${Date.now().toString(36)}`;
  const V = 'data.qcow2';
  const T = 'vdy';
  const cleanup = () => {
    for (const args of [['detach-disk', 'vm002', T, '--config'], ['vol-delete', '--pool', P, V], ['pool-destroy', P], ['pool-delete', P], ['pool-undefine', P]])
      try {
        virsh(...args);
      } catch {
        /* not there */
      }
  };
  cleanup();
  try {
    await page.goto('/audit');
    const ok = async (r: Promise<import('@playwright/test').APIResponse>) => {
      const res = await r;
      expect(res.status(), await res.text()).toBeLessThan(300);
    };
    await ok(api(page, 'POST', '/api/hosts/lab/pools', { name: P, type: 'dir', target: { path: `${DIR}/${P}` }, build: true, start: true, autostart: false }));
    await ok(api(page, 'POST', `/api/hosts/lab/pools/${P}/volumes`, { name: V, capacity: '16M', format: 'qcow2' }));
    await ok(api(page, 'POST', '/api/hosts/lab/domains/vm002/disks', { source: { pool: P, volume: V }, target: T, live: false, persistent: true }));
    await ok(api(page, 'DELETE', `/api/hosts/lab/domains/vm002/disks/${T}`, { live: false, persistent: true }));
    await ok(api(page, 'DELETE', `/api/hosts/lab/pools/${P}/volumes/${V}`, { confirm: V }));
    await ok(api(page, 'DELETE', `/api/hosts/lab/pools/${P}`, { deleteStorage: true, confirm: P }));

    await page.goto(`/audit?user=${admin}`);
    const table = page.getByRole('table', { name: 'Audit records' });
    const rows = table.getByRole('row');
    await expect(rows.nth(6)).toBeVisible({ timeout: 30_000 });
    // Newest first: the six writes, each by the admin, each ok, each with the commands that ran.
    const expected: Array<[string, string, string[]]> = [
      ['DELETE /pools/[pool]', P, ['pool-destroy', 'pool-delete', 'pool-undefine']],
      ['DELETE /pools/[pool]/volumes/[volume]', `${P}/${V}`, [`vol-delete --pool ${P} -- ${V}`]],
      ['DELETE /domains/[vm]/disks/[target]', `vm002/${T}`, [`detach-disk --config -- vm002 ${T}`]],
      ['POST /domains/[vm]/disks', 'vm002', ['attach-device --file /dev/stdin --config -- vm002']],
      ['POST /pools/[pool]/volumes', `${P}/${V}`, [`qemu-img create -f qcow2 -- ${DIR}/${P}/${V} 16M`]],
      ['POST /pools', P, ['pool-define', 'pool-build', 'pool-start']],
    ];
    for (const [i, [op, object, commands]] of expected.entries()) {
      const row = rows.nth(i + 1);
      await expect(row).toContainText(op);
      await expect(row).toContainText(object);
      await expect(row).toContainText(admin);
      await expect(row).toContainText('ok');
      await row.getByRole('button', { name: /Show the commands/ }).click();
      const list = page.getByRole('list', { name: /Commands of record/ }).last();
      const text = (await list.innerText()).replace(/\s+/g, ' ');
      let at = -1;
      for (const c of commands) {
        const next = text.indexOf(c, at + 1);
        expect(next, `${op}: "${c}" after position ${at} in: ${text}`).toBeGreaterThan(at);
        at = next;
      }
      await row.getByRole('button', { name: /Hide the commands|Show the commands/ }).click();
    }
    await page.screenshot({ path: shot('audit-journey'), fullPage: true });
  } finally {
    cleanup();
  }
});
