import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { shot } from './shots';
import { quiet, virsh } from '../test/helpers/virsh';

/**
 * Volumes in the browser against the real lab: create (and a differencing disk), resize (grow,
 * then a guarded shrink), convert of a 1 GiB image with live progress and cancel, internal
 * snapshot create/revert, and the host's backing-chain view. Each result is checked on the host.
 */
const POOL = 'ksc-vol-e';
const DIR = '/var/lib/libvirt/images/ksc-vol/e2e';
// A second pool, for copies into another pool.
const POOL2 = 'ksc-vol-e2';
const DIR2 = '/var/lib/libvirt/images/ksc-vol/e2e2';
// The upload's source file lives outside both pools.
const SRC = '/var/lib/libvirt/images/ksc-vol/e2e-src';
const PASS = 'e2e passphrase 31415';
const info = (file: string) => JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', file], { encoding: 'utf8' })) as { 'virtual-size': number; 'backing-filename'?: string; 'backing-filename-format'?: string; snapshots?: Array<{ name: string }> };
const qemuIo = (file: string, cmd: string) => execFileSync('qemu-io', ['-f', 'qcow2', '-c', cmd, file], { encoding: 'utf8' });
const M = 1024 * 1024;

test.describe.configure({ mode: 'serial' });

function dropLabObjects() {
  for (const p of [POOL, POOL2]) {
    quiet('pool-destroy', p);
    quiet('pool-undefine', p);
  }
  for (const line of virsh('secret-list').split('\n')) {
    const m = /^\s*([0-9a-f-]{36})\s+volume (\/var\/lib\/libvirt\/images\/ksc-vol\/e2e\/.*?)\s*$/.exec(line);
    if (m) quiet('secret-undefine', m[1]!);
  }
  for (const d of [DIR, DIR2, SRC]) rmSync(d, { recursive: true, force: true });
}

test.beforeAll(() => {
  dropLabObjects();
  for (const d of [DIR, DIR2, SRC]) mkdirSync(d, { recursive: true });
  virsh('pool-define-as', POOL2, 'dir', '--target', DIR2);
  virsh('pool-start', POOL2);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', `${DIR}/base.qcow2`, '64M']);
  qemuIo(`${DIR}/base.qcow2`, 'write -P 0xab 0 1M');
  execFileSync('sh', ['-c', `head -c 1G /dev/urandom > ${DIR}/big.raw`]);
  virsh('pool-define-as', POOL, 'dir', '--target', DIR);
  virsh('pool-start', POOL);
});
test.afterAll(dropLabObjects);

async function openCreate(page: Page) {
  await page.goto(`/hosts/lab/pools/${POOL}`);
  await page.getByRole('button', { name: 'New volume' }).click();
  return page.getByRole('dialog', { name: 'New volume' });
}

test('create a qcow2 volume: preview shows the exact qemu-img command, then it exists', async ({ page }) => {
  const d = await openCreate(page);
  await d.getByLabel('Name', { exact: true }).fill('e2e-disk.qcow2');
  await d.getByLabel('Capacity').fill('64M');
  await d.getByLabel('Cluster size').selectOption('128K');
  await d.getByLabel('Lazy refcounts').check();
  await d.getByRole('button', { name: 'Preview create' }).click();
  const cmds = d.getByRole('region', { name: 'Commands this will run' });
  await expect(cmds).toContainText(`qemu-img create -f qcow2 -o cluster_size=131072,lazy_refcounts=on -- ${DIR}/e2e-disk.qcow2 64M`);
  await d.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(d.getByText('Done.')).toBeVisible();
  expect(info(`${DIR}/e2e-disk.qcow2`)['virtual-size']).toBe(64 * M);
});

test('create a differencing disk on base.qcow2: -b with -F, the parent’s size', async ({ page }) => {
  const d = await openCreate(page);
  await d.getByLabel('Name', { exact: true }).fill('e2e-overlay.qcow2');
  await d.getByLabel('Kind').selectOption('diff');
  await d.getByLabel('Parent’s pool').selectOption(POOL);
  await d.getByLabel('Parent (backing file)').selectOption('base.qcow2');
  await d.getByLabel('Capacity').fill('');
  await d.getByRole('button', { name: 'Preview create' }).click();
  await expect(d.getByRole('region', { name: 'Commands this will run' })).toContainText(`-b ${DIR}/base.qcow2 -F qcow2 -- ${DIR}/e2e-overlay.qcow2 64M`);
  await d.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(d.getByText('Done.')).toBeVisible();
  const i = info(`${DIR}/e2e-overlay.qcow2`);
  expect(i['backing-filename']).toBe(`${DIR}/base.qcow2`);
  expect(i['backing-filename-format']).toBe('qcow2');
});

test('resize: grow, then a shrink that needs the name typed', async ({ page }) => {
  await page.goto(`/hosts/lab/pools/${POOL}/volumes/e2e-disk.qcow2`);
  const ops = page.getByRole('region', { name: 'Operations' });
  await ops.getByRole('radio', { name: 'Resize' }).click();
  await ops.getByLabel('New capacity').fill('128M');
  await ops.getByRole('button', { name: 'Preview resize' }).click();
  await expect(ops.getByRole('region', { name: 'Commands this will run' })).toContainText(`qemu-img resize -f qcow2 -- ${DIR}/e2e-disk.qcow2 134217728`);
  await ops.getByRole('button', { name: 'Resize', exact: true }).click();
  await expect(ops.getByText('Done.')).toBeVisible();
  expect(info(`${DIR}/e2e-disk.qcow2`)['virtual-size']).toBe(128 * M);

  await ops.getByLabel('New capacity').fill('32M');
  await expect(ops.getByText(/Shrinking cuts off the end of the disk/)).toBeVisible();
  await ops.getByRole('button', { name: 'Preview resize' }).click();
  await expect(ops.getByText('Refused without confirmation (shrink)')).toBeVisible();
  await expect(ops.getByRole('button', { name: 'Resize', exact: true })).toBeDisabled();
  expect(info(`${DIR}/e2e-disk.qcow2`)['virtual-size']).toBe(128 * M);
  await ops.getByLabel('Type e2e-disk.qcow2 to confirm').fill('e2e-disk.qcow2');
  await ops.getByRole('button', { name: 'Preview resize' }).click();
  await expect(ops.getByRole('region', { name: 'Commands this will run' })).toContainText('--shrink');
  await ops.getByRole('button', { name: 'Resize', exact: true }).click();
  await expect(ops.getByText('Done.')).toBeVisible();
  expect(info(`${DIR}/e2e-disk.qcow2`)['virtual-size']).toBe(32 * M);
});

test('convert a 1 GiB image: progress rises live, then cancel leaves no process and no file', async ({ page }) => {
  await page.goto(`/hosts/lab/pools/${POOL}/volumes/big.raw`);
  const ops = page.getByRole('region', { name: 'Operations' });
  await ops.getByRole('radio', { name: 'Convert' }).click();
  await ops.getByLabel('Output format').selectOption('qcow2');
  await ops.getByLabel('New volume name').fill('big.qcow2');
  await ops.getByLabel(/Compress/).check();
  await ops.getByRole('button', { name: 'Preview convert' }).click();
  await expect(ops.getByRole('region', { name: 'Commands this will run' })).toContainText(`qemu-img convert -p -f raw -O qcow2 -c -- ${DIR}/big.raw ${DIR}/big.qcow2`);
  await ops.getByRole('button', { name: 'Convert', exact: true }).click();
  const bar = ops.getByRole('progressbar');
  const seen: number[] = [];
  // Sampled every 500 ms until three distinct readings above 0, for at most a minute.
  await expect
    .poll(
      async () => {
        const v = Number((await bar.getAttribute('aria-valuenow')) ?? 'NaN');
        if (Number.isFinite(v) && v !== seen[seen.length - 1]) seen.push(v);
        return seen.filter((x) => x > 0).length;
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toBeGreaterThanOrEqual(3);
  expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  await page.getByRole('region', { name: 'Operations' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('volume-ops'), fullPage: false });
  await ops.getByRole('button', { name: 'Cancel job' }).click();
  await expect(ops.getByText('cancelled', { exact: true })).toBeVisible({ timeout: 15_000 });
  // `[q]emu-img` matches qemu-img but not this pgrep's own command line.
  const left = () =>
    execFileSync('sh', ['-c', `pgrep -af '[q]emu-img convert' || true`], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(`${DIR}/big.qcow2`));
  await expect.poll(left, { timeout: 15_000 }).toEqual([]);
  expect(execFileSync('sh', ['-c', `ls ${DIR}`], { encoding: 'utf8' })).not.toContain('big.qcow2');

  await page.goto('/jobs');
  const jobs = page.getByRole('table', { name: 'Jobs' });
  await expect(jobs.getByRole('row').filter({ hasText: 'to big.qcow2' }).first()).toContainText('cancelled');
  await page.screenshot({ path: shot('jobs'), fullPage: false });
});

test('internal snapshot: create, change the data, revert with the name typed', async ({ page }) => {
  const file = `${DIR}/e2e-disk.qcow2`;
  qemuIo(file, 'write -P 0x11 0 512K');
  await page.goto(`/hosts/lab/pools/${POOL}/volumes/e2e-disk.qcow2`);
  const snaps = page.getByRole('region', { name: 'Internal snapshots' });
  await snaps.getByLabel('Snapshot name').fill('before');
  await snaps.getByRole('button', { name: 'Preview create snapshot' }).click();
  await expect(snaps.getByRole('region', { name: 'Commands this will run' })).toContainText(`qemu-img snapshot -c before -- ${file}`);
  await snaps.getByRole('button', { name: 'Create snapshot', exact: true }).click();
  await expect(snaps.getByRole('list', { name: 'Snapshot timeline' })).toContainText('before');
  expect(info(file).snapshots?.map((s) => s.name)).toEqual(['before']);

  qemuIo(file, 'write -P 0x22 0 512K');
  await snaps.getByRole('button', { name: 'Revert to before' }).click();
  await snaps.getByRole('button', { name: 'Preview revert' }).click();
  await expect(snaps.getByText('Refused without confirmation (snapshot-apply)')).toBeVisible();
  await snaps.getByLabel('Type e2e-disk.qcow2 to confirm').fill('e2e-disk.qcow2');
  await snaps.getByRole('button', { name: 'Preview revert' }).click();
  await expect(snaps.getByRole('region', { name: 'Commands this will run' })).toContainText(`qemu-img snapshot -a before -- ${file}`);
  await snaps.getByRole('button', { name: 'Revert', exact: true }).click();
  await expect(snaps.getByText('Done.')).toBeVisible();
  expect(execFileSync('qemu-io', ['-r', '-U', '-f', 'qcow2', '-c', 'read -P 0x11 0 512K', file], { encoding: 'utf8' })).not.toMatch(/Pattern verification failed/);
});

test('backing-chain view: base.qcow2 with its overlay, and the seeded chain with its VMs', async ({ page }) => {
  await page.goto('/hosts/lab/chains');
  await expect(page.getByRole('heading', { level: 1, name: 'Backing chains' })).toBeVisible();
  const tree = page.getByRole('tree', { name: 'Backing tree of base.qcow2' });
  await expect(tree.getByRole('link', { name: 'e2e-overlay.qcow2' })).toBeVisible();
  const seeded = page.getByRole('tree', { name: 'Backing tree of base-centos7.qcow2' });
  await expect(seeded).toContainText('VM vm001 (running)');
  await page.screenshot({ path: shot('chains'), fullPage: true });
});

/** The console's server: the process listening on the Playwright port (next start's worker). */
function serverPid(baseURL: string): number {
  const port = new URL(baseURL).port;
  const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  if (!m) throw new Error(`no process listens on port ${port}: ${out}`);
  return Number(m[1]);
}
const statusKiB = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

test('upload a 512 MiB file through the browser: it lands byte for byte and the server’s memory stays flat', async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  const file = `${SRC}/uploaded.img`;
  execFileSync('sh', ['-c', `head -c 512M /dev/urandom > ${file}`]);
  const sum = (f: string) => execFileSync('sha256sum', [f], { encoding: 'utf8' }).split(' ')[0];
  const pid = serverPid(baseURL!);
  await page.goto(`/hosts/lab/pools/${POOL}`);
  await expect(page.getByRole('table', { name: `Volumes in pool ${POOL}` })).toBeVisible();
  // Reset the kernel's peak-RSS mark (VmHWM) so it measures this upload only.
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const before = statusKiB(pid, 'VmRSS');
  await page.getByLabel('File to upload').setInputFiles(file);
  const status = page.getByRole('status').filter({ hasText: 'uploaded.img' });
  await expect(status).toContainText('done', { timeout: 240_000 });
  const peak = statusKiB(pid, 'VmHWM');
  const grew = (peak - before) / 1024;
  test.info().annotations.push({ type: 'server RSS', description: `before ${(before / 1024).toFixed(0)} MiB, peak during the 512 MiB upload ${(peak / 1024).toFixed(0)} MiB (+${grew.toFixed(0)} MiB)` });
  console.log(`upload 512 MiB: server RSS before ${(before / 1024).toFixed(0)} MiB, peak ${(peak / 1024).toFixed(0)} MiB, growth ${grew.toFixed(0)} MiB`);
  // Buffering the file anywhere in the server would add at least 512 MiB.
  expect(grew).toBeLessThan(128);
  expect(sum(`${DIR}/uploaded.img`)).toBe(sum(file));
  await expect(page.getByRole('table', { name: `Volumes in pool ${POOL}` }).getByRole('link', { name: 'uploaded.img' })).toBeVisible();
  rmSync(file);
});

test('create a LUKS-encrypted volume: the passphrase is never shown; the image is encrypted and has its libvirt secret', async ({ page }) => {
  const d = await openCreate(page);
  await d.getByLabel('Name', { exact: true }).fill('e2e-enc.qcow2');
  await d.getByLabel('Capacity').fill('32M');
  await d.getByLabel('Encrypt (LUKS)').check();
  await d.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await d.getByLabel('Repeat passphrase').fill(`${PASS}x`);
  await d.getByRole('button', { name: 'Preview create' }).click();
  await expect(d.getByText('The two passphrases differ')).toBeVisible();
  await d.getByLabel('Repeat passphrase').fill(PASS);
  await d.getByRole('button', { name: 'Preview create' }).click();
  const cmds = d.getByRole('region', { name: 'Commands this will run' });
  await expect(cmds).toContainText(`qemu-img create --object secret,id=ksc-sec0,file=/dev/stdin,format=raw -f qcow2 -o encrypt.format=luks,encrypt.key-secret=ksc-sec0 -- ${DIR}/e2e-enc.qcow2 32M`);
  await expect(cmds).toContainText('Set the secret’s value (read from stdin, not shown)');
  await d.screenshot({ path: shot('volume-create-encrypted') });
  await d.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(d.getByText('Done.')).toBeVisible();
  expect(await d.textContent()).not.toContain(PASS);
  const i = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', `${DIR}/e2e-enc.qcow2`], { encoding: 'utf8' })) as { encrypted?: boolean };
  expect(i.encrypted).toBe(true);
  expect(virsh('secret-list')).toContain(`volume ${DIR}/e2e-enc.qcow2`);
  await d.getByRole('button', { name: 'Close' }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'e2e-enc.qcow2', exact: true }) });
  await expect(row).toContainText('LUKS');
  await page.goto(`/hosts/lab/pools/${POOL}/volumes/e2e-enc.qcow2`);
  const ops = page.getByRole('region', { name: 'Operations' });
  await expect(ops).toContainText('LUKS-encrypted');
  await expect(ops.getByRole('radio')).toHaveText(['Resize', 'Wipe', 'Delete']);
});

test('row menu: Clone… opens the volume’s clone form; a copy into another pool lands with the same data', async ({ page }) => {
  await page.goto(`/hosts/lab/pools/${POOL}`);
  await page.getByRole('button', { name: 'Actions for base.qcow2' }).click();
  const menu = page.getByRole('menu', { name: 'Actions for base.qcow2' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Open', 'Resize…', 'Convert…', 'Clone…', 'Check…', 'Compare…', 'Rebase…', 'Commit…', 'Amend…', 'Wipe…', 'Delete…', 'Download']);
  await page.screenshot({ path: shot('volume-row-menu') });
  await menu.getByRole('menuitem', { name: 'Clone…' }).click();
  await expect(page).toHaveURL(/\/volumes\/base\.qcow2\?op=clone$/);
  const ops = page.getByRole('region', { name: 'Operations' });
  await expect(ops.getByRole('radio', { name: 'Clone' })).toHaveAttribute('aria-checked', 'true');
  await ops.getByLabel('Into pool').selectOption(POOL2);
  await ops.getByLabel('New volume name').fill('base-copy.qcow2');
  await ops.getByRole('button', { name: 'Preview clone' }).click();
  await expect(ops.getByRole('region', { name: 'Commands this will run' })).toContainText(`vol-create-from --pool ${POOL2} --file /dev/stdin --inputpool ${POOL} -- base.qcow2`);
  await ops.getByRole('button', { name: 'Clone', exact: true }).click();
  await expect(ops.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 60_000 });
  expect(info(`${DIR2}/base-copy.qcow2`)['virtual-size']).toBe(64 * M);
  execFileSync('qemu-img', ['compare', '-f', 'qcow2', '-F', 'qcow2', `${DIR}/base.qcow2`, `${DIR2}/base-copy.qcow2`]);
});
