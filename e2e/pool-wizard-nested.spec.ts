import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createPool, next, pick } from './wizard';

// The nested guest runs under TCG beside other tests: allow slow answers.
const slow = expect.configure({ timeout: 180_000 });

/**
 * The pool wizard for the types that need a real Debian kernel — logical, netfs, iscsi — on the
 * nested full-lab host `nestlab` (bash lab/full/up). Each pool is created through the browser,
 * checked with virsh inside the guest, and deleted through the UI. This spec makes its own
 * storage in the guest (a loop device for LVM, an NFS export, a tgt target), all named ksc-nested-…,
 * so it does not touch the guest's seeded /dev/vdb, /nfsshare or iqn.2026-11.lab.ksc:nest,
 * which other specs may be using.
 */
const STATE = path.resolve(import.meta.dirname, '../lab/state');
const HOST = 'nestlab';
const VG = 'ksc-nested-vg';
const LVM_POOL = 'ksc-nested-lvm';
const NFS_POOL = 'ksc-nested-nfs';
const ISCSI_POOL = 'ksc-nested-iscsi';
const EXPORT = '/srv/ksc-nested-export';
const TID = '606';
const IQN = 'iqn.2026-11.lab.ksc:ksc-nested-nest';

/** The inventory the console under test reads (KSC_INVENTORY, as for the server; default the lab's). */
function inventory() {
  const file = path.resolve(process.env.KSC_INVENTORY ?? path.join(STATE, 'hosts.json'));
  const inv = JSON.parse(readFileSync(file, 'utf8')) as { hosts: Array<{ id: string; port: number }> };
  const h = inv.hosts.find((x) => x.id === HOST);
  if (!h) throw new Error(`${HOST} is not in ${file}: start the full lab (bash lab/full/up) to run this spec`);
  return h;
}

/** A command inside the guest, over the lab's SSH key (the host key is pinned in lab/state/full/known_hosts). */
function nest(script: string): string {
  const { port } = inventory();
  return execFileSync(
    'ssh',
    ['-i', path.join(STATE, 'id_ed25519'), '-p', String(port), '-o', `UserKnownHostsFile=${path.join(STATE, 'full/known_hosts')}`, '-o', 'BatchMode=yes', 'root@127.0.0.1', script],
    { encoding: 'utf8', timeout: 120_000 },
  );
}
const tryNest = (script: string) => {
  try {
    return nest(script);
  } catch {
    return '';
  }
};
const pools = () => nest('virsh -q pool-list --all --name').split('\n').map((s) => s.trim()).filter(Boolean);

function cleanup() {
  for (const p of pools().filter((x) => x.startsWith('ksc-nested-'))) tryNest(`virsh pool-destroy '${p}'; virsh pool-undefine '${p}'`);
  tryNest(`vgremove -f ${VG} 2>/dev/null; for l in $(losetup -j /root/ksc-nested-pv.img -O NAME -n); do pvremove -ff -y $l; losetup -d $l; done; rm -f /root/ksc-nested-pv.img`);
  tryNest(`exportfs -u 127.0.0.1:${EXPORT} 2>/dev/null; rm -rf ${EXPORT}`);
  tryNest(`tgtadm --lld iscsi --op delete --mode target --tid ${TID} --force; rm -f /root/ksc-nested-lun.img; iscsiadm -m node -T ${IQN} -o delete 2>/dev/null`);
}

let pv = '';
test.describe.configure({ mode: 'serial', timeout: 480_000 });

test.beforeAll(() => {
  inventory();
  cleanup();
  pv = nest('truncate -s 96M /root/ksc-nested-pv.img && losetup -f --show /root/ksc-nested-pv.img').trim();
  nest(`mkdir -p ${EXPORT} && chmod 777 ${EXPORT} && exportfs -o rw,sync,no_root_squash,no_subtree_check 127.0.0.1:${EXPORT}`);
  nest(
    `truncate -s 32M /root/ksc-nested-lun.img && tgtadm --lld iscsi --op new --mode target --tid ${TID} -T ${IQN} && ` +
      `tgtadm --lld iscsi --op new --mode logicalunit --tid ${TID} --lun 1 -b /root/ksc-nested-lun.img && tgtadm --lld iscsi --op bind --mode target --tid ${TID} -I ALL`,
  );
});

test.afterAll(() => {
  cleanup();
  expect(pools().filter((p) => p.startsWith('ksc-nested-'))).toEqual([]);
});

async function openWizard(page: Page, name: string, type: string) {
  await page.goto(`/hosts/${HOST}/new-pool`);
  await slow(page.getByRole('heading', { level: 1, name: 'New storage pool' })).toBeVisible();
  await page.getByLabel('Pool name').fill(name);
  await pick(page, type);
  await next(page);
}

async function createAndCheck(page: Page, name: string) {
  await createPool(page, name, 180_000);
  expect(nest(`virsh pool-info '${name}'`)).toMatch(/State:\s+running/);
}

async function deleteThroughUi(page: Page, name: string, deleteStorage: boolean) {
  await page.goto(`/hosts/${HOST}/pools/${encodeURIComponent(name)}`);
  await page.getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete pool ${name}` });
  if (deleteStorage) await dialog.getByLabel('Also delete the storage (pool-delete)').check();
  await dialog.getByLabel(/Type the pool name/).fill(name);
  await dialog.getByRole('button', { name: `Delete pool ${name}` }).click();
  await slow(page.getByRole('heading', { level: 1, name: HOST })).toBeVisible({ timeout: 120_000 });
  expect(pools()).not.toContain(name);
}

test('logical: a new volume group built on a device picked from lsblk, with the wipe warning', async ({ page }) => {
  await openWizard(page, LVM_POOL, 'logical');
  await page.getByLabel('Create a new one on devices').check();
  await slow(page.getByText('everything on them is wiped')).toBeVisible();
  await page.getByLabel('Volume group name').fill(VG);
  await page.getByRole('table', { name: 'Devices for the new volume group' }).getByRole('checkbox', { name: `Use ${pv}` }).check();
  await next(page);
  await slow(page.getByLabel('Build the pool')).toBeChecked();
  await next(page);
  await slow(page.getByRole('region', { name: 'virsh commands, in order' })).toContainText(`pool-build --no-overwrite -- ${LVM_POOL}`);
  await createAndCheck(page, LVM_POOL);
  const xml = nest(`virsh pool-dumpxml ${LVM_POOL}`);
  expect(xml).toContain(`<device path='${pv}'/>`);
  expect(xml).toContain(`<name>${VG}</name>`);
  expect(nest(`vgs --noheadings -o vg_name ${VG}`).trim()).toBe(VG);
  await deleteThroughUi(page, LVM_POOL, true);
  expect(tryNest(`vgs --noheadings -o vg_name ${VG} 2>/dev/null`).trim()).toBe('');
});

test('logical: an existing volume group found by Discover', async ({ page }) => {
  nest(`pvcreate -ff -y ${pv} && vgcreate ${VG} ${pv}`);
  await openWizard(page, LVM_POOL, 'logical');
  await page.getByRole('button', { name: 'Discover volume groups' }).click();
  const found = page.getByRole('list', { name: 'Discovered logical sources' });
  await found.getByRole('button', { name: `Use ${VG}` }).click();
  await slow(page.getByLabel('Volume group name')).toHaveValue(VG);
  await next(page);
  await slow(page.getByLabel('Build the pool')).not.toBeChecked();
  await next(page);
  await createAndCheck(page, LVM_POOL);
  expect(nest(`virsh pool-dumpxml ${LVM_POOL}`)).toContain(`<path>/dev/${VG}</path>`);
  await deleteThroughUi(page, LVM_POOL, false);
  expect(nest(`vgs --noheadings -o vg_name ${VG}`).trim()).toBe(VG); // undefine keeps the VG
});

test('netfs: exports discovered from the server, mounted by libvirt', async ({ page }) => {
  await openWizard(page, NFS_POOL, 'netfs');
  await page.getByLabel('Server').fill('127.0.0.1');
  await page.getByRole('button', { name: 'Discover exports' }).click();
  const found = page.getByRole('list', { name: 'Discovered netfs sources' });
  await slow(found).toContainText(EXPORT);
  await found.getByRole('button', { name: `Use ${EXPORT}` }).click();
  await slow(page.getByLabel('Export path')).toHaveValue(EXPORT);
  await page.getByLabel('Format').selectOption('nfs');
  await next(page);
  await page.getByLabel('Target path').fill('/var/lib/libvirt/netfs/ksc-nested-nfs');
  await next(page);
  await createAndCheck(page, NFS_POOL);
  const xml = nest(`virsh pool-dumpxml ${NFS_POOL}`);
  expect(xml).toContain(`<dir path='${EXPORT}'/>`);
  expect(nest('findmnt -n -o SOURCE /var/lib/libvirt/netfs/ksc-nested-nfs').trim()).toBe(`127.0.0.1:${EXPORT}`);
  await deleteThroughUi(page, NFS_POOL, false);
});

test('iscsi: target discovered on the portal, LUN visible as a volume', async ({ page }) => {
  await openWizard(page, ISCSI_POOL, 'iscsi');
  await page.getByLabel('Portal host').fill('127.0.0.1');
  await page.getByRole('button', { name: 'Discover targets' }).click();
  const found = page.getByRole('list', { name: 'Discovered iscsi sources' });
  await found.getByRole('button', { name: `Use ${IQN}` }).click();
  await slow(page.getByLabel('Target IQN')).toHaveValue(IQN);
  await next(page);
  await next(page);
  await createAndCheck(page, ISCSI_POOL);
  expect(nest(`virsh pool-dumpxml ${ISCSI_POOL}`)).toContain(`<device path='${IQN}'/>`);
  await expect.poll(() => nest(`virsh vol-list ${ISCSI_POOL}`)).toMatch(/unit:0:0:1/);
  await deleteThroughUi(page, ISCSI_POOL, false);
});
