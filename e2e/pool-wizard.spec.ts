import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { shot } from './shots';
import { virsh } from '../test/helpers/virsh';
import { allPools, createAndWait, next, openWizard, poolInfo as info, poolsTagged, removePools, slow, step } from './wizard';

/**
 * The pool wizard and the pool lifecycle on a dir pool, driven in the browser against the lab host
 * `lab`, each result checked with virsh on the same libvirt: create, a duplicate name, stop/start/
 * refresh/autostart/XML edit/delete, a failing start rolled back, hostile input. Block-device
 * pools (fs on a loop device, iscsi-direct) are in pool-wizard-devices.spec.ts. Everything here is
 * named ksc-wizard-… and lives under /var/lib/libvirt/images/ksc-wizard; leftovers of a crashed run are removed first.
 */
// Inside /var/lib/libvirt/images: the path policy's default root (a target elsewhere is refused).
const BASE = '/var/lib/libvirt/images/ksc-wizard';
const MARKER = '/tmp/ksc-wizard-pwned';
const DIR_POOL = 'ksc-wizard-dir';
const FAIL_POOL = 'ksc-wizard-fail';
const HOSTILE_POOL = `-ksc-wizard-h'";$(touch ${'${IFS}'}ksc-wizard-pwned)\`id\``;
// kscadmin's home: where a `touch` in the pool name would land if the remote shell ran it.
const HOME = '/var/lib/ksc-lab/admin';
const HOSTILE_PATH = `${BASE}/x$(touch ${MARKER});y'"\`touch ${MARKER}\`&|<>*`;
const mine = () => poolsTagged('ksc-wizard-');

function cleanup() {
  removePools('ksc-wizard-');
  rmSync(BASE, { recursive: true, force: true });
  rmSync(MARKER, { force: true });
  rmSync(`${HOME}/ksc-wizard-pwned`, { force: true });
}

// Each action re-reads the whole lab host (shared by several test runs): allow minutes per test.
test.describe.configure({ mode: 'serial', timeout: 360_000 });

test.beforeAll(() => {
  cleanup();
  mkdirSync(BASE, { recursive: true });
  // The failure case: a target path that is a file.
  writeFileSync(`${BASE}/afile`, 'not a directory\n');
});

test.afterAll(() => {
  cleanup();
  expect(mine()).toEqual([]);
});

async function runDialogAction(page: Page, button: string, title: string, command: RegExp, confirm: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await slow(dialog.getByRole('region', { name: 'Command' })).toContainText(command);
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  await slow(dialog).toBeHidden({ timeout: 60_000 });
}

test('dir pool: the wizard creates, builds, starts and autostarts it; virsh agrees', async ({ page }) => {
  await openWizard(page);
  // Only the types lab's libvirt supports, each explained.
  const types = page.getByRole('radiogroup', { name: 'Pool type' });
  for (const t of ['dir', 'fs', 'netfs', 'logical', 'iscsi', 'iscsi-direct', 'disk', 'scsi', 'mpath']) await slow(types.locator(`input[value="${t}"]`)).toHaveCount(1);
  for (const t of ['rbd', 'gluster', 'zfs']) await slow(types.locator(`input[value="${t}"]`)).toHaveCount(0);
  await slow(types).toContainText('simplest pool');
  await page.getByLabel('Pool name').fill(DIR_POOL);
  await slow(page.getByRole('complementary', { name: 'Preview' }).getByRole('region', { name: 'Pool XML' })).toContainText(`<name>${DIR_POOL}</name>`);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.screenshot({ path: shot('pool-wizard-type') });
  await page.setViewportSize({ width: 1440, height: 900 });
  await next(page);
  await step(page, 2);
  await slow(page.getByText('A directory pool has no source')).toBeVisible();
  await next(page);
  await step(page, 3);
  await page.getByLabel('Target path').fill(`${BASE}/dir-pool`);
  await page.getByLabel('Mode').fill('0750');
  await slow(page.getByLabel('Build the pool')).toBeChecked();
  // The live preview beside the form follows the typing.
  await slow(page.getByRole('complementary', { name: 'Preview' }).getByRole('region', { name: 'Pool XML' })).toContainText(`<path>${BASE}/dir-pool</path>`);
  await next(page);
  await step(page, 4);
  await slow(page.getByRole('region', { name: 'Pool XML' })).toContainText('<mode>0750</mode>');
  const cmds = page.getByRole('region', { name: 'virsh commands, in order' });
  await slow(cmds).toContainText('virsh -q -c qemu:///system pool-define --file /dev/stdin');
  await slow(cmds).toContainText(`pool-build -- ${DIR_POOL}`);
  await slow(cmds).toContainText(`pool-start -- ${DIR_POOL}`);
  await slow(cmds).toContainText(`pool-autostart -- ${DIR_POOL}`);
  await page.screenshot({ path: shot('pool-wizard-review'), fullPage: true });
  await createAndWait(page, DIR_POOL);
  await slow(page.getByRole('listitem', { name: /Start the pool: ok/ })).toBeVisible();

  expect(info(DIR_POOL)).toMatch(/State:\s+running[\s\S]*Autostart:\s+yes/);
  const xml = virsh('pool-dumpxml', DIR_POOL);
  expect(xml).toContain(`<path>${BASE}/dir-pool</path>`);
  expect(xml).toContain('<mode>0750</mode>');
  expect(existsSync(`${BASE}/dir-pool`)).toBe(true);
});

test('a duplicate name is refused on step 1, before anything runs', async ({ page }) => {
  await openWizard(page);
  await page.getByLabel('Pool name').fill(DIR_POOL);
  await next(page);
  await slow(page.getByText(`A pool named “${DIR_POOL}” already exists on this host`)).toBeVisible();
  await step(page, 1);
});

test('lifecycle on the pool page: stop, start, refresh, autostart off, XML edit with diff, delete with typed name', async ({ page }) => {
  await page.goto(`/hosts/lab/pools/${DIR_POOL}`);
  await slow(page.getByRole('heading', { level: 1, name: DIR_POOL })).toBeVisible();
  await runDialogAction(page, 'Stop', `Stop pool ${DIR_POOL}`, new RegExp(`pool-destroy -- ${DIR_POOL}$`), `Stop ${DIR_POOL}`);
  await expect.poll(() => info(DIR_POOL)).toMatch(/State:\s+inactive/);
  await runDialogAction(page, 'Start', `Start pool ${DIR_POOL}`, new RegExp(`pool-start -- ${DIR_POOL}$`), `Start ${DIR_POOL}`);
  await expect.poll(() => info(DIR_POOL)).toMatch(/State:\s+running/);
  await runDialogAction(page, 'Refresh', `Refresh pool ${DIR_POOL}`, new RegExp(`pool-refresh -- ${DIR_POOL}$`), `Refresh ${DIR_POOL}`);
  await slow(page.getByRole('status').filter({ hasText: `Pool ${DIR_POOL} refreshed.` })).toBeVisible();
  await runDialogAction(page, 'Autostart: on', `Turn off autostart for ${DIR_POOL}`, new RegExp(`pool-autostart --disable -- ${DIR_POOL}$`), 'Turn off autostart');
  await expect.poll(() => info(DIR_POOL)).toMatch(/Autostart:\s+no/);
  await slow(page.getByRole('button', { name: 'Autostart: off' })).toBeVisible();

  // XML: edit the mode, see the diff and the restart note, apply; a renamed pool is refused.
  await page.getByRole('tab', { name: 'XML' }).click();
  await page.getByRole('button', { name: 'Edit XML' }).click();
  const editor = page.getByLabel('Pool XML');
  const original = await editor.inputValue();
  await editor.fill(original.replace(`<name>${DIR_POOL}</name>`, '<name>ksc-wizard-renamed</name>'));
  await page.getByRole('button', { name: 'Review changes' }).click();
  await slow(page.getByRole('alert').filter({ hasText: 'must stay' })).toContainText(`<name> must stay “${DIR_POOL}”`);
  await editor.fill(original.replace('<mode>0750</mode>', '<mode>0700</mode>'));
  const changes = page.getByRole('region', { name: 'Changes' });
  await slow(changes).toContainText('- <mode>0750</mode>');
  await slow(changes).toContainText('+ <mode>0700</mode>');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await slow(page.getByText(/is running: libvirt saves the new definition now/)).toBeVisible();
  await page.getByRole('button', { name: 'Apply (pool-define)' }).click();
  await slow(page.getByRole('status').filter({ hasText: 'The new definition was saved.' })).toBeVisible();
  expect(virsh('pool-dumpxml', '--inactive', DIR_POOL)).toContain('<mode>0700</mode>');

  // Delete with the storage: typed name required; the dir pool's empty directory goes too.
  await page.getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete pool ${DIR_POOL}` });
  await dialog.getByLabel('Also delete the storage (pool-delete)').check();
  await slow(dialog.getByRole('region', { name: 'Commands, in order' })).toContainText(`pool-delete -- ${DIR_POOL}`);
  await slow(dialog).toContainText('only if it is empty');
  await page.screenshot({ path: shot('pool-lifecycle'), fullPage: false });
  const del = dialog.getByRole('button', { name: `Delete pool ${DIR_POOL}` });
  await dialog.getByLabel(/Type the pool name/).fill('ksc-wizard-wrong');
  await slow(del).toBeDisabled();
  await dialog.getByLabel(/Type the pool name/).fill(DIR_POOL);
  await del.click();
  await slow(page.getByRole('heading', { level: 1, name: 'lab' })).toBeVisible({ timeout: 60_000 });
  expect(allPools()).not.toContain(DIR_POOL);
  expect(existsSync(`${BASE}/dir-pool`)).toBe(false);
});

test('a target outside the host’s path policy: the roots are said up front, the preview says why, nothing is defined', async ({ page }) => {
  await openWizard(page);
  await page.getByLabel('Pool name').fill('ksc-wizard-out');
  await next(page);
  await next(page);
  await slow(page.getByRole('note', { name: 'Path policy' })).toContainText('/var/lib/libvirt/images');
  await page.getByLabel('Target path').fill('/etc/ksc-wizard-out');
  const preview = page.getByRole('complementary', { name: 'Preview' });
  await slow(preview).toContainText('The server refuses this pool');
  await slow(preview).toContainText('/etc/ksc-wizard-out');
  await slow(preview).toContainText('is not inside the path policy of lab');
  expect(allPools()).not.toContain('ksc-wizard-out');
});

test('a failing start shows libvirt’s error, undoes the define and keeps the form filled', async ({ page }) => {
  await openWizard(page);
  await page.getByLabel('Pool name').fill(FAIL_POOL);
  await next(page);
  await next(page);
  await page.getByLabel('Target path').fill(`${BASE}/afile`);
  await next(page);
  await page.getByRole('button', { name: `Create pool ${FAIL_POOL}` }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'the pool was not created' });
  await slow(alert).toContainText(`cannot open directory '${BASE}/afile': Not a directory`, { timeout: 90_000 });
  await slow(alert).toContainText('What had been done was undone');
  await slow(page.getByRole('listitem', { name: /Undo: Undefine the half-made pool: ok/ })).toBeVisible();
  await alert.getByText('Details').click();
  await page.screenshot({ path: shot('pool-wizard-failure'), fullPage: true });
  expect(allPools()).not.toContain(FAIL_POOL);
  await page.getByRole('button', { name: 'Back' }).click();
  await slow(page.getByLabel('Target path')).toHaveValue(`${BASE}/afile`);
});

test('hostile text in wizard fields is rejected or passed literally — nothing is executed', async ({ page }) => {
  rmSync(MARKER, { force: true });
  await openWizard(page);
  // "/" is not allowed in a pool name: refused with the reason.
  await page.getByLabel('Pool name').fill(`ksc-wizard-$(touch ${MARKER})`);
  await next(page);
  await slow(page.getByText('a pool name cannot contain “/”')).toBeVisible();
  // Quotes, ;, $(), backticks and a leading "-" are legal in a libvirt name: they go through literally.
  await page.getByLabel('Pool name').fill(HOSTILE_POOL);
  await next(page);
  await next(page);
  await page.getByLabel('Target path').fill(HOSTILE_PATH);
  await page.getByLabel('Mode').fill('0755; touch /tmp/x');
  await next(page);
  await slow(page.getByText('an octal mode such as 0755')).toBeVisible();
  await page.getByLabel('Mode').fill('');
  await page.getByLabel('Start on boot (autostart)').uncheck();
  await next(page);
  await createAndWait(page, HOSTILE_POOL);
  expect(allPools()).toContain(HOSTILE_POOL);
  const path = /<path>([^<]*)<\/path>/.exec(virsh('pool-dumpxml', '--', HOSTILE_POOL))?.[1] ?? '';
  const unescaped = path.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');
  expect(unescaped).toBe(HOSTILE_PATH);
  expect(existsSync(HOSTILE_PATH)).toBe(true);
  expect(existsSync(MARKER)).toBe(false);

  // Newlines cannot be typed into a one-line field; sent to the API they are refused with the reason.
  const r = await page.request.post('/api/hosts/lab/pools', { data: { name: 'ksc-wizard-nl\ntouch /tmp/x', type: 'dir', dryRun: true }, headers: { origin: new URL(page.url()).origin } });
  expect(r.status()).toBe(422);
  expect(JSON.stringify(await r.json())).toContain('control characters');

  // And the hostile pool is deleted through the UI by its literal name.
  await page.getByRole('link', { name: `Open pool ${HOSTILE_POOL}` }).click();
  await slow(page.getByRole('heading', { level: 1, name: HOSTILE_POOL })).toBeVisible();
  await page.getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete pool ${HOSTILE_POOL}` });
  await dialog.getByLabel('Also delete the storage (pool-delete)').check();
  await dialog.getByLabel(/Type the pool name/).fill(HOSTILE_POOL);
  await dialog.getByRole('button', { name: `Delete pool ${HOSTILE_POOL}` }).click();
  await slow(page.getByRole('heading', { level: 1, name: 'lab' })).toBeVisible({ timeout: 60_000 });
  expect(allPools()).not.toContain(HOSTILE_POOL);
  expect(existsSync(HOSTILE_PATH)).toBe(false);
  expect(existsSync(MARKER)).toBe(false);
  expect(existsSync(`${HOME}/ksc-wizard-pwned`)).toBe(false);
});
