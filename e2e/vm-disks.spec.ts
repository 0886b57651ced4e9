import { expect, test, type Locator } from '@playwright/test';
import { shot } from './shots';
import { DIR, POOL, createImage, defineVm, diskXml, ensurePool, refreshPool, removeFiles, removeVm, snapshotNames, targets, virshSys } from '../test/helpers/domains';
import { formatBytes } from '../lib/format';

// The issue asks for a live attach on vm001; a live *detach* from a guest without an OS never
// completes, so vm001 could not be left exactly as it was. This spec uses its own running VM,
// defined like the lab's vm001 (firmware only, TCG, ACPI on), and removes it afterwards.
const VM = 'ksc-dom-e2e';
const F = 'e2e-';

/** Click until the dialog opens: on a loaded machine the first click can land before React has hydrated the button. */
async function openDialog(button: Locator, dialog: Locator) {
  await expect(async () => {
    await button.click();
    await expect(dialog).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 90_000 });
}

test.beforeAll(() => {
  ensurePool();
  removeVm(VM);
  removeFiles(F);
  defineVm(VM, [diskXml(createImage(`${F}root.qcow2`, '32M'), 'vda')], { start: true });
  refreshPool();
});

test.afterAll(() => {
  removeVm(VM);
  removeFiles(F);
});

test('attach a new volume live and see it in the disks view', async ({ page }) => {
  await page.goto(`/hosts/lab/vms/${VM}`);
  await expect(page.getByRole('heading', { level: 1, name: VM })).toBeVisible({ timeout: 60_000 });
  const disks = page.getByRole('table', { name: `Disks of ${VM}` });
  await expect(disks.getByRole('rowheader', { name: 'vda' })).toBeVisible();
  await expect(disks.getByRole('list', { name: 'Backing chain of vda' })).toContainText(`${F}root.qcow2`);

  const dialog = page.getByRole('dialog', { name: `Attach a disk to ${VM}` });
  await openDialog(page.getByRole('button', { name: 'Attach disk…' }), dialog);
  await dialog.getByRole('radio', { name: 'New volume' }).check();
  await dialog.getByLabel('Pool').selectOption(POOL);
  await dialog.getByLabel('Volume name').fill(`${F}data.qcow2`);
  await dialog.getByRole('textbox', { name: /^Size/ }).fill('16');
  await dialog.getByLabel('Size unit').selectOption('MiB');
  await expect(dialog.getByRole('checkbox', { name: /Live/ })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: /Persistent/ })).toBeChecked();
  // The preview: the exact disk XML and virsh commands, before anything runs.
  const preview = dialog.getByLabel('Preview');
  await expect(preview.getByRole('region', { name: 'XML (on stdin)' })).toContainText(`<target dev='vdb' bus='virtio'/>`);
  await expect(preview.getByRole('region', { name: 'Commands this will run' })).toContainText(`vol-create-as --format qcow2 -- ${POOL} ${F}data.qcow2 16777216`);
  await expect(preview.getByRole('region', { name: 'Commands this will run' })).toContainText(`attach-device --file /dev/stdin --live --config -- ${VM} < disk.xml`);
  expect(targets(VM)).toEqual(['vda']);
  await page.screenshot({ path: shot('vm-attach') });

  await dialog.getByRole('button', { name: 'Attach', exact: true }).click();
  await expect(dialog.getByRole('status')).toContainText(`Attached ${DIR}/${F}data.qcow2 as vdb on virtio, live and persistent`);
  await dialog.getByRole('button', { name: 'Done' }).click();

  const vdb = disks.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'vdb' }) });
  await expect(vdb).toContainText(`${POOL}/${F}data.qcow2`);
  await expect(vdb).toContainText('live');
  await expect(vdb).toContainText('persistent');
  expect(targets(VM)).toEqual(['vda', 'vdb']);
  expect(targets(VM, true)).toEqual(['vda', 'vdb']);
  await page.screenshot({ path: shot('vm-disks'), fullPage: true });
});

test('two snapshots on the timeline in order, then revert to the first', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`/hosts/lab/vms/${VM}?tab=snapshots`);
  for (const [name, description] of [
    ['first', 'before the experiment'],
    ['second', 'after step one'],
  ] as const) {
    const dialog = page.getByRole('dialog', { name: `Take a snapshot of ${VM}` });
    await openDialog(page.getByRole('button', { name: 'Take snapshot…' }), dialog);
    await dialog.getByLabel('Snapshot name').fill(name);
    await dialog.getByLabel('Description').fill(description);
    await expect(dialog.getByLabel('Preview').getByRole('region', { name: 'XML (on stdin)' })).toContainText(`<name>${name}</name>`);
    await expect(dialog.getByLabel('Preview').getByRole('region', { name: 'XML (on stdin)' })).toContainText(`<memory snapshot='internal'/>`);
    await dialog.getByRole('button', { name: 'Take snapshot' }).click();
    await expect(dialog.getByRole('status')).toContainText(`Created internal snapshot ${name}`, { timeout: 120_000 });
    await dialog.getByRole('button', { name: 'Done' }).click();
  }
  const timeline = page.getByRole('list', { name: 'Snapshot timeline' });
  await expect(timeline.getByRole('listitem')).toHaveCount(3);
  const items = timeline.getByRole('listitem');
  await expect(items.nth(0)).toHaveAccessibleName('Snapshot first');
  await expect(items.nth(1)).toHaveAccessibleName('Snapshot second');
  await expect(items.nth(2)).toHaveAccessibleName('You are here');
  await expect(items.nth(1)).toContainText('after first');
  await expect(items.nth(0)).toContainText('with memory');
  await page.screenshot({ path: shot('vm-snapshots'), fullPage: true });

  const dialog = page.getByRole('dialog', { name: `Revert ${VM} to first` });
  await openDialog(page.getByRole('button', { name: 'Revert to first' }), dialog);
  await expect(dialog.getByRole('note', { name: 'What this discards' })).toContainText('everything written to vda');
  await expect(dialog.getByRole('button', { name: 'Revert' })).toBeDisabled();
  await page.screenshot({ path: shot('vm-revert') });
  await dialog.getByLabel(/Type .* to confirm/).fill(VM);
  await dialog.getByRole('button', { name: 'Revert' }).click();
  await expect(dialog.getByRole('status')).toContainText(`Reverted ${VM} to first`, { timeout: 120_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(items.nth(1)).toHaveAccessibleName('You are here');
  await expect(items.nth(0)).toHaveAttribute('aria-current', 'true');
  expect(virshSys('snapshot-current', '--name', VM).trim()).toBe('first');
  expect(snapshotNames(VM).sort()).toEqual(['first', 'second']);
});

test('the VM list shows state, vCPUs, memory and disk count as virsh does', async ({ page }) => {
  await page.goto('/hosts/lab/vms');
  const table = page.getByRole('table', { name: 'VMs on lab' });
  for (const vm of ['vm001', 'vm002', VM]) {
    const info = new Map(
      virshSys('dominfo', vm)
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()] as const),
    );
    const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: vm, exact: true }) });
    const cells = row.getByRole('cell');
    await expect(cells.nth(0)).toHaveText(info.get('State') ?? '');
    await expect(cells.nth(1)).toHaveText(info.get('CPU(s)') ?? '');
    await expect(cells.nth(2)).toHaveText(formatBytes(Number.parseInt(info.get('Max memory') ?? '0', 10) * 1024)); // KiB
    await expect(cells.nth(3)).toHaveText(String(targets(vm).length));
  }
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: shot('vm-list') });
  await table.getByRole('link', { name: VM, exact: true }).click();
  await expect(page.getByRole('table', { name: `Disks of ${VM}` })).toBeVisible();
  await page.screenshot({ path: shot('vm-disks-1024') });
});

test('a live detach the guest never acknowledges is shown as such, not as success', async ({ page }) => {
  await page.goto(`/hosts/lab/vms/${VM}`);
  const dialog = page.getByRole('dialog', { name: `Detach vdb from ${VM}` });
  await openDialog(page.getByRole('button', { name: 'Detach vdb' }), dialog);
  await expect(dialog.getByRole('region', { name: 'Commands this will run' })).toContainText(`detach-disk --live --config -- ${VM} vdb`);
  await dialog.getByRole('button', { name: 'Detach', exact: true }).click();
  // The firmware-only guest has no OS to answer the ACPI unplug request.
  await expect(dialog.getByRole('alert')).toContainText(`${VM} did not release vdb within 10 s`, { timeout: 90_000 });
  await expect(dialog.getByRole('status')).toHaveCount(0);
  await page.screenshot({ path: shot('vm-detach-not-released') });
  expect(targets(VM)).toContain('vdb');
  expect(targets(VM, true)).not.toContain('vdb');
});
