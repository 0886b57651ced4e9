import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { stateOf, userOf } from './auth';
import { shot } from './shots';
import { quiet, virsh } from '../test/helpers/virsh';

/**
 * Roles in the browser (issue 13): a viewer's pages show no write or destructive button, and the
 * API refuses the calls anyway, naming the role; an operator sees an admin's actions disabled with
 * the reason and does what destroys nothing (a grow); an admin sees everything. Then /account
 * (an API token shown once, used, revoked) and /admin/users. The lab objects are this spec's own.
 */
const POOL = 'ksc-roles-p';
const DIR = `/var/lib/libvirt/images/${POOL}`;
// VOL holds an internal snapshot (its buttons are checked); GROW is the one the operator resizes.
const VOL = 'ksc-roles-disk.qcow2';
const GROW = 'ksc-roles-grow.qcow2';
const M = 1024 * 1024;
const volumePage = `/hosts/lab/pools/${POOL}/volumes/${VOL}`;
const sizeOf = (vol: string) => (JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', `${DIR}/${vol}`], { encoding: 'utf8' })) as { 'virtual-size': number })['virtual-size'];

test.describe.configure({ mode: 'serial' });

function drop() {
  quiet('pool-destroy', POOL);
  quiet('pool-undefine', POOL);
  rmSync(DIR, { recursive: true, force: true });
}

test.beforeAll(() => {
  drop();
  mkdirSync(DIR, { recursive: true });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', `${DIR}/${VOL}`, '16M']);
  execFileSync('qemu-img', ['snapshot', '-c', 'ksc-roles-snap', `${DIR}/${VOL}`]);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', `${DIR}/${GROW}`, '16M']);
  virsh('pool-define-as', POOL, 'dir', '--target', DIR);
  virsh('pool-start', POOL);
});
test.afterAll(drop);

async function open(page: Page, url: string, heading: string) {
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible({ timeout: 60_000 });
}

/** A screenshot once the sidebar's host list (streamed in after the page) is there too. */
async function screenshot(page: Page, name: string) {
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('list', { name: 'Hosts' })).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: shot(name) });
}

test.describe('as a viewer', () => {
  test.use({ storageState: stateOf('viewer') });

  test('host, pool, volume and VM pages show no write or destructive buttons', async ({ page }) => {
    // The pool was made with virsh a moment ago: a host read already in flight may not have it yet.
    await expect(async () => {
      await open(page, '/hosts/lab', 'lab');
      await expect(page.getByRole('table', { name: 'Storage pools on lab' })).toContainText(POOL, { timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
    for (const name of ['New pool', 'Migrate from VMware…']) {
      await expect(page.getByRole('link', { name })).toHaveCount(0);
      await expect(page.getByRole('button', { name })).toHaveCount(0);
    }
    await expect(page.getByLabel(`Actions for pool ${POOL}`)).toHaveCount(0);

    await open(page, `/hosts/lab/pools/${POOL}`, POOL);
    await expect(page.getByRole('link', { name: VOL })).toBeVisible();
    for (const name of ['Start', 'Stop', 'Refresh', 'Build', 'Delete…', 'Autostart: on', 'Autostart: off', 'New volume', 'Upload…'])
      await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
    // No selection for bulk actions a viewer may not run.
    await expect(page.getByRole('checkbox', { name: 'Select all shown volumes' })).toHaveCount(0);
    await expect(page.getByRole('checkbox', { name: `Select ${VOL}` })).toHaveCount(0);
    await page.getByRole('button', { name: `Actions for ${VOL}` }).click();
    const menu = page.getByRole('menu', { name: `Actions for ${VOL}` });
    await expect(menu.getByRole('menuitem')).toHaveText(['Open']);
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'XML' }).click();
    await expect(page.getByRole('region', { name: /Pool XML/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Edit XML' })).toHaveCount(0);

    await open(page, volumePage, VOL);
    await expect(page.getByRole('region', { name: 'Backing chain' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Snapshot timeline' })).toContainText('ksc-roles-snap');
    await expect(page.getByRole('region', { name: 'Operations' })).toHaveCount(0);
    for (const name of ['Resize', 'Delete', 'Wipe', 'Clone', 'Convert', 'Rebase', 'Commit']) await expect(page.getByRole('radio', { name })).toHaveCount(0);
    for (const name of ['Download', 'Preview delete', 'Create snapshot', 'Revert to ksc-roles-snap', 'Delete snapshot ksc-roles-snap'])
      await expect(page.getByRole('button', { name })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Download' })).toHaveCount(0);
    await screenshot(page, 'volume-as-viewer');

    await open(page, '/hosts/lab/vms/vm001', 'vm001');
    await expect(page.getByRole('table', { name: 'Disks of vm001' })).toBeVisible();
    for (const name of ['Start…', 'Shut down…', 'Force off…', 'Attach disk…', 'Detach vda', 'Insert…', 'Eject…']) await expect(page.getByRole('button', { name })).toHaveCount(0);
    await page.getByRole('tab', { name: /Snapshots/ }).click();
    await expect(page.getByRole('region', { name: 'Snapshots' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Take snapshot…' })).toHaveCount(0);

    await open(page, '/admin/users', 'Users');
    await expect(page.getByText('Managing users and grants needs the admin role on every host.')).toBeVisible();
  });

  test('the API refuses the writes anyway, 403 naming the role they need', async ({ page, baseURL }) => {
    await page.goto('/account');
    const write = { headers: { origin: baseURL!, 'content-type': 'application/json' } };
    const del = await page.request.delete(`/api/hosts/lab/pools/${POOL}/volumes/${VOL}`, { ...write, data: { confirm: VOL } });
    expect(del.status()).toBe(403);
    expect((await del.json()).error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/needs the admin role on host lab/), detail: { permission: 'admin', host: 'lab' } });
    const grow = await page.request.post(`/api/hosts/lab/pools/${POOL}/volumes/${GROW}/resize`, { ...write, data: { capacity: 64 * M } });
    expect(grow.status()).toBe(403);
    expect((await grow.json()).error.message).toMatch(/needs the operator role on host lab/);
    const stop = await page.request.post(`/api/hosts/lab/pools/${POOL}/stop`, { ...write, data: {} });
    expect(stop.status()).toBe(403);
    const users = await page.request.get('/api/users');
    expect(users.status()).toBe(403);
    expect((await users.json()).error.message).toMatch(/needs the admin role on every host/);
    expect(sizeOf(GROW)).toBe(16 * M);
    expect(virsh('vol-list', POOL)).toContain(VOL);
  });
});

test.describe('as an operator', () => {
  test.use({ storageState: stateOf('operator') });

  test('a volume’s Delete is disabled with the reason; a grow is offered and runs', async ({ page }) => {
    await open(page, volumePage, VOL);
    const ops = page.getByRole('region', { name: 'Operations' });
    const reason = 'Needs the admin role on lab (you are operator)';
    for (const name of ['Delete', 'Wipe', 'Commit', 'Rebase']) {
      await expect(ops.getByRole('radio', { name })).toBeDisabled();
      await expect(ops.getByRole('radio', { name })).toHaveAttribute('title', reason);
    }
    await expect(ops.getByText(`Greyed out: ${reason}.`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Delete snapshot ksc-roles-snap' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Delete snapshot ksc-roles-snap' })).toHaveAccessibleDescription(reason);
    await expect(page.getByRole('region', { name: 'New snapshot' })).toBeVisible();
    await ops.getByRole('radio', { name: 'Delete' }).hover();
    await screenshot(page, 'volume-as-operator');

    await open(page, `/hosts/lab/pools/${POOL}/volumes/${GROW}`, GROW);
    await expect(ops.getByRole('radio', { name: 'Resize' })).toHaveAttribute('aria-checked', 'true');
    await ops.getByLabel('New capacity').fill('32M');
    await ops.getByRole('button', { name: 'Preview resize' }).click();
    await expect(ops.getByRole('region', { name: 'Commands this will run' })).toContainText(`${DIR}/${GROW} 33554432`);
    await ops.getByRole('button', { name: 'Resize', exact: true }).click();
    await expect(ops.getByText('Done.')).toBeVisible();
    expect(sizeOf(GROW)).toBe(32 * M);

    // A shrink passes a typed-name guard: an admin's. The form says so before asking the server.
    await ops.getByLabel('New capacity').fill('16M');
    await expect(ops.getByText(`Shrinking: ${reason}. Growing is yours to do.`)).toBeVisible();

    await open(page, `/hosts/lab/pools/${POOL}`, POOL);
    const actions = page.getByRole('group', { name: `Actions for pool ${POOL}` });
    await expect(actions.getByRole('button', { name: 'Refresh' })).toBeEnabled();
    await expect(actions.getByRole('button', { name: 'Delete…' })).toBeDisabled();
    await expect(actions.getByRole('button', { name: 'Delete…' })).toHaveAttribute('title', reason);
    await expect(page.getByRole('button', { name: 'New volume' })).toBeEnabled();
  });
});

test.describe('as an admin', () => {
  test('the guarded actions are there', async ({ page }) => {
    await open(page, volumePage, VOL);
    const ops = page.getByRole('region', { name: 'Operations' });
    for (const name of ['Delete', 'Wipe', 'Resize']) await expect(ops.getByRole('radio', { name })).toBeEnabled();
    await expect(page.getByRole('button', { name: 'Delete snapshot ksc-roles-snap' })).toBeEnabled();
    await open(page, `/hosts/lab/pools/${POOL}`, POOL);
    await expect(page.getByRole('group', { name: `Actions for pool ${POOL}` }).getByRole('button', { name: 'Delete…' })).toBeEnabled();
    await page.getByRole('checkbox', { name: `Select ${VOL}` }).check();
    await expect(page.getByRole('region', { name: 'Selected volumes' })).toContainText('1 selected');
    await open(page, '/hosts/lab', 'lab');
    await expect(page.getByRole('link', { name: 'New pool' })).toBeVisible();
  });

  test('/account: a new API token is shown once, works as Bearer, and is revoked', async ({ page, playwright, baseURL }) => {
    await open(page, '/account', 'e2e-admin');
    await expect(page.getByRole('table', { name: 'Your role per host' })).toContainText('admin');
    await expect(page.getByRole('table', { name: 'Your sessions' })).toContainText('this session');

    const name = `ksc-roles-token-${Date.now()}`;
    const form = page.getByRole('form', { name: 'New API token' });
    await form.getByLabel('Token name').fill(name);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('region', { name: 'New API token' });
    await expect(shown).toContainText('you will not see it again');
    const token = (await shown.getByLabel('Token', { exact: true }).innerText()).trim();
    expect(token).toMatch(/^ksc_[0-9a-f]{12}_/);
    await expect(shown.getByRole('button', { name: 'Copy token' })).toBeVisible();
    await screenshot(page, 'account');

    const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const asToken = await api.get('/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(asToken.status()).toBe(200);
    expect(await asToken.json()).toMatchObject({ user: { username: userOf('admin') }, via: { kind: 'token' } });

    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await expect(shown).toHaveCount(0);
    await page.reload();
    const tokens = page.getByRole('table', { name: 'Your API tokens' });
    await expect(tokens).toContainText(name);
    await expect(page.getByText(token)).toHaveCount(0);
    await tokens.getByRole('button', { name: `Revoke token ${name}` }).click();
    await expect(page.getByRole('table', { name: 'Your API tokens' }).getByText(name)).toHaveCount(0);
    expect((await api.get('/api/me', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
    await api.dispose();
  });

  test('/admin/users: users with their role and hosts, a new user with a password shown once, disabled again', async ({ page }) => {
    await open(page, '/admin/users', 'Users');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toBeVisible();
    const users = page.getByRole('table', { name: 'Users' });
    await expect(users.getByRole('row', { name: new RegExp(userOf('viewer')) })).toContainText('viewer on every host');
    await expect(page.getByRole('table', { name: 'Grants' })).toBeVisible();

    const name = `ksc-roles-u${Date.now().toString(36)}`;
    await page.getByRole('button', { name: 'Add user…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel('User name').fill(name);
    await dialog.getByLabel('Role').selectOption('operator');
    await dialog.getByRole('checkbox', { name: 'Every host' }).uncheck();
    await dialog.getByRole('checkbox', { name: 'lab', exact: true }).check();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const done = page.getByRole('dialog', { name: `User ${name} added` });
    await expect(done.getByRole('region', { name: 'Generated password' })).toContainText('you will not see it again');
    await done.getByRole('button', { name: 'Done' }).click();
    const row = users.getByRole('row', { name: new RegExp(name) });
    await expect(row).toContainText('operator on lab');
    await row.getByRole('button', { name: `Disable ${name}` }).click();
    await expect(row).toContainText('disabled');
    await screenshot(page, 'admin-users');
  });
});
