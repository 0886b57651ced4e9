import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { shot as shotPath } from './shots';
import { virsh, volumeNames } from '../test/helpers/virsh';

/**
 * The guided VMware vmdk → qcow2 migration in the browser against the lab host `lab`: a
 * streamOptimized vmdk with known content (made here with qemu-img from a raw file) is picked,
 * the target chosen with its space check and exact command, converted with live progress,
 * verified "identical" by qemu-img compare, and the source deleted behind a typed name. The
 * result is checked on the host independently (qemu-img info; sha256 of a raw copy against the
 * original raw file). Also: an upload from the browser, and the refusals (missing extent, not a
 * vmdk). Everything is named h7-… under /var/lib/h7-e2e; leftovers are removed first and last.
 */
const BASE = '/var/lib/h7-e2e';
const SRC = 'h7-vmdk';
const OUT = 'h7-qcow';
const SRC_DIR = `${BASE}/src`;
const OUT_DIR = `${BASE}/out`;
const WORK = `${BASE}/work`;
const M = 1024 * 1024;
const slow = expect.configure({ timeout: 120_000 });
const shot = (page: Page, name: string) => page.screenshot({ path: shotPath(`vmdk-migration-${name}`), fullPage: true });

const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const quiet = (f: () => unknown) => {
  try {
    f();
  } catch {
    /* absent */
  }
};
const imgInfo = (file: string) => JSON.parse(run('qemu-img', 'info', '-U', '--output=json', '--', file)) as { format: string; 'virtual-size': number; 'actual-size': number };
const sha256 = (file: string) => run('sha256sum', '--', file).split(' ')[0];
/** sha256 of the guest-visible content: a raw copy made by qemu-img, hashed. */
function contentSha(file: string, fmt: string): string {
  const tmp = `${WORK}/sha-${Date.now()}.raw`;
  run('qemu-img', 'convert', '-U', '-f', fmt, '-O', 'raw', '--', file, tmp);
  const s = sha256(tmp);
  rmSync(tmp);
  return s!;
}
/** Fill [offset, offset+len) of a raw file with one byte value, quickly (no qemu-io: a GiB of writes through it is slow here). */
const fill = (file: string, byte: number, offsetM: number, lenM: number) =>
  run('sh', '-c', `tr '\\0' '\\${byte.toString(8)}' < /dev/zero | head -c ${lenM}M | dd of='${file}' bs=1M seek=${offsetM} conv=notrunc status=none`);

function cleanup() {
  for (const p of [SRC, OUT]) {
    quiet(() => virsh('pool-destroy', '--', p));
    quiet(() => virsh('pool-undefine', '--', p));
  }
  rmSync(BASE, { recursive: true, force: true });
}

let origSha = '';

test.describe.configure({ mode: 'serial', timeout: 480_000 });

test.beforeAll(() => {
  cleanup();
  for (const d of [SRC_DIR, OUT_DIR, WORK]) mkdirSync(d, { recursive: true });
  // A 2 GiB disk holding 1 GiB of two byte patterns and 32 MiB of random data: the streamOptimized
  // export is ~40 MiB, the qcow2 ~1.1 GiB — the seed's 924 MB → 2.5 GB case in small.
  const raw = `${WORK}/web01.raw`;
  run('qemu-img', 'create', '-q', '-f', 'raw', raw, '2G');
  fill(raw, 0x5a, 0, 512);
  fill(raw, 0xc3, 1024, 512);
  run('sh', '-c', `dd if=/dev/urandom of='${raw}' bs=1M count=32 seek=700 conv=notrunc status=none`);
  origSha = sha256(raw)!;
  run('qemu-img', 'convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized,adapter_type=lsilogic', raw, `${SRC_DIR}/h7-web01.vmdk`);
  // A VMware descriptor whose -flat data file never arrived, and a text file named .vmdk.
  run('qemu-img', 'create', '-q', '-f', 'vmdk', '-o', 'subformat=monolithicFlat', `${WORK}/h7-lost.vmdk`, '16M');
  writeFileSync(`${SRC_DIR}/h7-lost.vmdk`, run('cat', `${WORK}/h7-lost.vmdk`));
  writeFileSync(`${SRC_DIR}/h7-readme.vmdk`, 'exported from vCenter, see ticket 1234\n');
  // An OVA as VMware exports it: a tar of the .ovf and the disk.
  writeFileSync(`${WORK}/h7-app.ovf`, '<Envelope/>\n');
  run('qemu-img', 'create', '-q', '-f', 'vmdk', '-o', 'subformat=streamOptimized', `${WORK}/h7-app-disk1.vmdk`, '16M');
  run('tar', '-cf', `${SRC_DIR}/h7-app.ova`, '-C', WORK, 'h7-app.ovf', 'h7-app-disk1.vmdk');
  // For the cancel: 320 MiB of random data, which a compressed (-c) convert takes seconds over.
  run('qemu-img', 'create', '-q', '-f', 'raw', `${WORK}/big.raw`, '512M');
  run('sh', '-c', `dd if=/dev/urandom of='${WORK}/big.raw' bs=1M count=320 conv=notrunc status=none`);
  run('qemu-img', 'convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized', `${WORK}/big.raw`, `${SRC_DIR}/h7-big.vmdk`);
  rmSync(`${WORK}/big.raw`);
  // For the upload: a small streamOptimized vmdk on "this computer".
  run('qemu-img', 'create', '-q', '-f', 'raw', `${WORK}/small.raw`, '16M');
  fill(`${WORK}/small.raw`, 0x42, 0, 4);
  run('qemu-img', 'convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized,adapter_type=ide', `${WORK}/small.raw`, `${WORK}/h7-upload.vmdk`);
  // …and a descriptor with its -flat data file, uploaded together.
  mkdirSync(`${WORK}/flat`);
  run('qemu-img', 'convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=monolithicFlat,adapter_type=buslogic', `${WORK}/small.raw`, `${WORK}/flat/h7-flat.vmdk`);
  virsh('pool-define-as', SRC, 'dir', '--target', SRC_DIR);
  virsh('pool-start', SRC);
  virsh('pool-define-as', OUT, 'dir', '--target', OUT_DIR);
  virsh('pool-start', OUT);
});
test.afterAll(cleanup);

test('the host page offers the migration; refusals are explained (missing extent, not a vmdk)', async ({ page }) => {
  await page.goto('/hosts/lab');
  await page.getByRole('link', { name: 'Migrate from VMware…' }).click();
  await slow(page.getByRole('heading', { name: 'VMware disk (vmdk) → qcow2' })).toBeVisible();
  const list = page.getByRole('table', { name: 'VMware disks on the host' });
  await slow(list.getByRole('radio', { name: `${SRC}/h7-web01.vmdk` })).toBeVisible();

  await page.getByRole('radio', { name: `${SRC}/h7-lost.vmdk` }).check();
  const src = page.getByRole('region', { name: 'Source disk' });
  await slow(src.getByText('cannot be migrated')).toBeVisible();
  await expect(src.getByRole('alert')).toContainText('h7-lost-flat.vmdk');
  await expect(src.getByRole('table', { name: 'Extent files' })).toContainText('missing');
  await expect(src).toContainText('monolithicFlat');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await shot(page, '0-refused');

  await page.getByRole('radio', { name: `${SRC}/h7-readme.vmdk` }).check();
  await slow(src.getByRole('alert')).toContainText('not a VMware disk: qemu-img reads it as raw');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();

  await page.getByRole('radio', { name: `${SRC}/h7-app.ova` }).check();
  await slow(src.getByRole('alert')).toContainText(`h7-app.ova is an OVA: a tar archive holding h7-app.ovf, h7-app-disk1.vmdk. Extract the disk on the host — tar -xf ${SRC_DIR}/h7-app.ova -C ${SRC_DIR} h7-app-disk1.vmdk`);
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
});

test('upload a vmdk from the browser into a pool: it is picked and inspected', async ({ page }) => {
  await page.goto('/hosts/lab/migrate-vmdk');
  await page.getByRole('radio', { name: 'Upload from this computer' }).check();
  await slow(page.getByLabel('Upload into pool')).toBeEnabled();
  await page.getByLabel('Upload into pool').selectOption(SRC);
  await page.getByLabel('VMware disk files to upload').setInputFiles(`${WORK}/h7-upload.vmdk`);
  await slow(page.getByRole('list', { name: 'Uploads' })).toContainText('done');
  const src = page.getByRole('region', { name: 'Source disk' });
  await slow(src.getByText('can be migrated')).toBeVisible();
  await expect(src).toContainText('streamOptimized');
  await expect(src).toContainText('ide');
  await expect(page).toHaveURL(/pool=h7-vmdk&vol=h7-upload\.vmdk/);
  await shot(page, '0-upload');
  // On the host: the uploaded file is byte for byte the one sent, and libvirt lists it as vmdk.
  expect(sha256(`${SRC_DIR}/h7-upload.vmdk`)).toBe(sha256(`${WORK}/h7-upload.vmdk`));
  expect(volumeNames(SRC)).toContain('h7-upload.vmdk');

  // A monolithicFlat disk is two files: both go up, one after the other; the descriptor is picked.
  await page.getByLabel('VMware disk files to upload').setInputFiles([`${WORK}/flat/h7-flat.vmdk`, `${WORK}/flat/h7-flat-flat.vmdk`]);
  const uploads = page.getByRole('list', { name: 'Uploads' });
  await slow(uploads.getByRole('status').filter({ hasText: 'h7-flat-flat.vmdk' })).toContainText('done');
  await expect(uploads.getByRole('status').filter({ hasText: /^h7-flat\.vmdk/ })).toContainText('done');
  await expect(page).toHaveURL(/vol=h7-flat\.vmdk/);
  await slow(src.getByText('can be migrated')).toBeVisible();
  await expect(src).toContainText('monolithicFlat');
  await expect(src).toContainText('buslogic');
  await expect(src).toContainText('libvirt lists it as raw');
  await expect(src.getByRole('table', { name: 'Extent files' })).toContainText(`${SRC_DIR}/h7-flat-flat.vmdk`);
  await expect(src.getByRole('table', { name: 'Extent files' })).toContainText('present · 16.0 MiB');
  await shot(page, '0-upload-flat');
  expect(sha256(`${SRC_DIR}/h7-flat-flat.vmdk`)).toBe(sha256(`${WORK}/flat/h7-flat-flat.vmdk`));
});

test('a compressed convert is cancelled: qemu-img is killed and no half-written qcow2 is left', async ({ page }) => {
  await page.goto(`/hosts/lab/migrate-vmdk?pool=${SRC}&vol=h7-big.vmdk`);
  await slow(page.getByRole('region', { name: 'Source disk' }).getByText('can be migrated')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Target pool').selectOption(OUT);
  await page.getByLabel('Compress (-c)').check();
  const cmds = page.getByRole('region', { name: 'Commands this will run' });
  await slow(cmds).toContainText(`qemu-img convert -p -f vmdk -O qcow2 -c -- ${SRC_DIR}/h7-big.vmdk ${OUT_DIR}/h7-big.qcow2`);
  await expect(page.getByText('Compressed clusters are read-only compressed')).toBeVisible();
  await page.getByRole('button', { name: 'Start conversion' }).click();
  const job = page.getByLabel(/^Job Convert h7-big\.vmdk/);
  await slow(job.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^(?!0$)\d/);
  const converting = () => run('sh', '-c', `pgrep -af 'qemu-img conver[t].*h7-big' || true`).split('\n').filter((l) => l.includes('qemu-img convert')).length;
  expect(converting()).toBeGreaterThan(0);
  await job.getByRole('button', { name: 'Cancel job' }).click();
  await slow(job.getByText('cancelled')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Back to the target (cancelled)' })).toBeVisible();
  await shot(page, '3-convert-cancelled');
  await expect.poll(converting, { timeout: 10_000 }).toBe(0);
  await expect.poll(() => existsSync(`${OUT_DIR}/h7-big.qcow2`), { timeout: 10_000 }).toBe(false);
  await page.getByRole('button', { name: 'Back to the target (cancelled)' }).click();
  await expect(page.getByRole('heading', { name: 'Step 2 of 5: Target' })).toBeVisible();
});

test('streamOptimized vmdk → qcow2 in another pool: progress, identical, attach link, guarded delete of the source', async ({ page }) => {
  // Entry from the volume page, prefilled with it.
  await page.goto(`/hosts/lab/pools/${SRC}/volumes/h7-web01.vmdk`);
  await slow(page.getByRole('link', { name: 'Migrate to qcow2…' })).toBeVisible();
  await page.getByRole('link', { name: 'Migrate to qcow2…' }).click();
  await slow(page.getByRole('heading', { name: 'h7-web01.vmdk → qcow2' })).toBeVisible();

  // 1. Source: what qemu-img says.
  const src = page.getByRole('region', { name: 'Source disk' });
  await slow(src.getByText('can be migrated')).toBeVisible();
  const facts = src.getByRole('definition');
  await expect(src).toContainText('streamOptimized');
  await expect(src).toContainText('lsilogic');
  await expect(src).toContainText('2.0 GiB');
  await expect(src.getByRole('table', { name: 'Extent files' })).toContainText('sparse, compressed grains');
  expect(await facts.count()).toBeGreaterThan(5);
  await shot(page, '1-source');
  await page.getByRole('button', { name: 'Next' }).click();

  // 2. Target: another pool, default name, space check, the exact command.
  await slow(page.getByRole('heading', { name: 'Step 2 of 5: Target' })).toBeVisible();
  await expect(page.getByLabel('New volume name')).toHaveValue('h7-web01.qcow2');
  await expect(page.getByLabel('Target pool').locator('option', { hasText: 'storage01' })).toBeDisabled();
  await page.getByLabel('Target pool').selectOption(OUT);
  await page.getByLabel('Cluster size').selectOption('128K');
  const cmds = page.getByRole('region', { name: 'Commands this will run' });
  await slow(cmds).toContainText(`qemu-img convert -p -f vmdk -O qcow2 -o cluster_size=131072 -- ${SRC_DIR}/h7-web01.vmdk ${OUT_DIR}/h7-web01.qcow2`);
  await expect(cmds).toContainText(`virsh -q -c qemu:///system pool-refresh -- ${OUT}`);
  const space = page.getByRole('region', { name: 'Space check' });
  await expect(space).toContainText('Needed now (qemu-img measure)');
  await expect(space.getByRole('status')).toContainText(/Fits/);
  await shot(page, '2-target');

  // 3. Convert: live progress from qemu-img -p over SSE. Record every value the bar takes.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __h7: string[] }).__h7 = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[role=progressbar]');
      const v = bar?.getAttribute('aria-valuenow');
      if (v && seen[seen.length - 1] !== v) seen.push(v);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  await page.getByRole('button', { name: 'Start conversion' }).click();
  const job = page.getByLabel(/^Job Convert h7-web01\.vmdk/);
  await slow(job).toBeVisible();
  await expect(job.getByRole('button', { name: 'Cancel job' })).toBeVisible();
  await shot(page, '3-convert-running');
  await slow(job.getByText('succeeded')).toBeVisible();
  const seen = await page.evaluate(() => (window as unknown as { __h7: string[] }).__h7.map(Number));
  expect(seen.some((p) => p > 0 && p < 100), `progress values seen: ${seen.join(', ')}`).toBe(true);
  expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  expect(seen[seen.length - 1]).toBe(100);
  await shot(page, '3-convert-done');

  // Independently, on the host: a qcow2 with the original content.
  const out = `${OUT_DIR}/h7-web01.qcow2`;
  expect(imgInfo(out).format).toBe('qcow2');
  expect(imgInfo(out)['virtual-size']).toBe(2048 * M);
  expect(contentSha(out, 'qcow2')).toBe(origSha);
  expect(run('qemu-img', 'compare', '-U', '-f', 'vmdk', '-F', 'qcow2', `${SRC_DIR}/h7-web01.vmdk`, out).trim()).toBe('Images are identical.');

  // 4. Verify: qemu-img compare in the browser, and before/after sizes.
  await page.getByRole('button', { name: 'Next: verify' }).click();
  const cmp = page.getByRole('region', { name: 'Comparison' });
  await slow(cmp.getByText('identical', { exact: true })).toBeVisible();
  await expect(cmp).toContainText('Images are identical.');
  await expect(cmp).toContainText(`qemu-img compare -f vmdk -F qcow2 -- ${SRC_DIR}/h7-web01.vmdk ${out}`);
  const ba = page.getByRole('table', { name: 'Source and result' });
  await slow(ba).toContainText('qcow2 (compat 1.1)');
  await expect(ba).toContainText('128 KiB');
  await expect(page.getByRole('region', { name: 'Before and after' })).toContainText('streamOptimized vmdk stores its data compressed');
  await shot(page, '4-verify');

  // 5. Finish: the new volume, attach to a VM (prefilled dialog), virt-install, delete the source.
  await page.getByRole('button', { name: 'Next: finish' }).click();
  await expect(page.getByRole('link', { name: `Open ${OUT}/h7-web01.qcow2` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Or create a VM from it (virt-install --import)' })).toContainText(`--disk path=${out},format=qcow2,bus=sata`);
  await page.getByLabel('VM to attach to').selectOption('vm002');
  await expect(page.getByRole('link', { name: 'Attach to vm002…' })).toHaveAttribute('href', `/hosts/lab/vms/vm002?attachPool=${OUT}&attachVol=h7-web01.qcow2&attachBus=sata`);
  const del = page.getByRole('region', { name: 'Delete the source' });
  await del.getByRole('button', { name: 'Delete source…' }).click();
  const confirm = del.getByLabel('Type h7-web01.vmdk to confirm');
  await expect(del.getByRole('button', { name: 'Delete h7-web01.vmdk' })).toBeDisabled();
  await confirm.fill('h7-web01');
  await expect(del.getByRole('button', { name: 'Delete h7-web01.vmdk' })).toBeDisabled();
  await confirm.fill('h7-web01.vmdk');
  await shot(page, '5-finish');
  await del.getByRole('button', { name: 'Delete h7-web01.vmdk' }).click();
  await slow(del.getByRole('status')).toContainText(`Deleted h7-web01.vmdk from ${SRC}`);
  expect(volumeNames(SRC)).not.toContain('h7-web01.vmdk');
  expect(volumeNames(OUT)).toContain('h7-web01.qcow2');
  expect(contentSha(out, 'qcow2')).toBe(origSha);

  // The attach link opens vm002's attach dialog with the new volume picked (nothing is attached here).
  await page.getByRole('link', { name: 'Attach to vm002…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Attach a disk to vm002' });
  await slow(dialog).toBeVisible();
  await expect(dialog).toContainText(`Selected: ${OUT}/h7-web01.qcow2`);
  await expect(dialog.getByLabel('Bus')).toHaveValue('sata');
  await slow(dialog.locator('[aria-label="Preview"]')).toContainText(`${OUT_DIR}/h7-web01.qcow2`);
  await shot(page, '6-attach');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
