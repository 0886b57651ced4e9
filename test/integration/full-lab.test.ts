/**
 * The full lab: logical (LVM), netfs (NFS) and iscsi pools on the nested Debian KVM host `nestlab`
 * (`bash lab/up --full`), driven through the project's own server code over real SSH — discovery,
 * create (define → build → start), fill (volumes, data written and read back), refresh, stop and
 * the guarded delete — each step checked in the guest with virsh, LVM, mount and iscsiadm run over
 * OpenSSH. When nestlab is not up this suite FAILS with the reason (see test/helpers/full-lab.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, deletePool, findPoolSources, listBlockDevices, poolAction } from '@/server/hosts/pool-service';
import { getHost, getVolume, listPools, listVolumes } from '@/server/hosts/service';
import { closeAllTransports } from '@/server/hosts/transports';
import { createVolume } from '@/server/volumes/create';
import { deleteVolume, resizeVolume } from '@/server/volumes/operations';
import { NEST_ID, NEST_IQN, closeNest, nest, openNest, nestVirsh, requireFullLab, virshInfo } from '../helpers/full-lab';
import { LAB_INVENTORY, type LabHost } from '../helpers/lab';

const P = 'ksc-full-';
const LVM_POOL = `${P}lvm`;
const VG = `${P}vg`;
const NFS_POOL = `${P}nfs`;
// Under /var/lib/libvirt/netfs: a default root of the path policy (a mount point elsewhere is refused).
const NFS_MNT = `/var/lib/libvirt/netfs/${P}nfs`;
const ISCSI_POOL = `${P}iscsi`;
const SPARE = '/dev/vdb';
const MiB = 1024 * 1024;
const SLOW = 240_000; // a TCG guest on a busy machine: seconds per virsh call, tens for a pool start

let host: LabHost;
const saved = process.env.KSC_INVENTORY;

/** Remove whatever a crashed earlier run of this suite left in the guest (only our own names). */
const CLEANUP = `
for p in ${LVM_POOL} ${NFS_POOL} ${ISCSI_POOL}; do
  virsh -q -c qemu:///system pool-destroy "$p" >/dev/null 2>&1 || true
  virsh -q -c qemu:///system pool-undefine "$p" >/dev/null 2>&1 || true
done
if vgs ${VG} >/dev/null 2>&1; then vgremove -f -y ${VG} >/dev/null; fi
if pvs --noheadings -o vg_name ${SPARE} 2>/dev/null | grep -q '^ *$'; then pvremove -f -y ${SPARE} >/dev/null; fi
umount ${NFS_MNT} 2>/dev/null || true
rmdir ${NFS_MNT} 2>/dev/null || true
rm -f /nfsshare/${P}*
iscsiadm -m node -T ${NEST_IQN} -u >/dev/null 2>&1 || true
true`;

const poolNames = async () => (await nestVirsh(host, 'pool-list', '--all', '--name')).split('\n').map((s) => s.trim()).filter(Boolean);
const poolInfo = async (name: string) => virshInfo(await nestVirsh(host, 'pool-info', name));
const volInfo = async (pool: string, name: string) => virshInfo(await nestVirsh(host, 'vol-info', '--pool', pool, name));
/** Write 4 MiB of a byte pattern at an offset of a file or device in the guest, return its sha256. */
const fill = async (file: string, byte: string, seekMiB = 0) =>
  (
    await nest(
      host,
      `head -c ${4 * MiB} /dev/zero | tr '\\0' '\\${byte}' | dd of=${file} bs=1M seek=${seekMiB} conv=notrunc,fsync status=none && ` +
        `dd if=${file} bs=1M skip=${seekMiB} count=4 status=none | sha256sum | cut -d' ' -f1`,
    )
  ).trim();
/** Read it back (with the page cache dropped, so the bytes come from the storage). */
const readBack = async (file: string, seekMiB = 0) =>
  (await nest(host, `sync; echo 3 > /proc/sys/vm/drop_caches; dd if=${file} bs=1M skip=${seekMiB} count=4 iflag=direct status=none | sha256sum | cut -d' ' -f1`)).trim();
/** sha256 of 4 MiB of one byte (octal, as tr takes it), computed here rather than in the guest. */
const PATTERN_SHA = (octal: string) => createHash('sha256').update(Buffer.alloc(4 * MiB, parseInt(octal, 8))).digest('hex');

beforeAll(async () => {
  host = requireFullLab();
  process.env.KSC_INVENTORY = LAB_INVENTORY;
  openNest(host);
  await nest(host, CLEANUP);
}, 1_300_000);

afterAll(async () => {
  try {
    if (host) await nest(host, CLEANUP);
  } finally {
    if (host) await closeNest(host);
    await closeAllTransports();
    if (saved === undefined) delete process.env.KSC_INVENTORY;
    else process.env.KSC_INVENTORY = saved;
  }
}, SLOW);

describe('nestlab through the console', () => {
  it('is a reachable host in the inventory, read over SSH like any other', async () => {
    const h = await getHost(NEST_ID);
    expect(h.error).toBeUndefined();
    expect(h).toMatchObject({ id: NEST_ID, status: 'ok', hostname: NEST_ID, uri: 'qemu:///system' });
    expect(h.libvirtVersion).toMatch(/^\d+\.\d+/);
  }, SLOW);

  it('lists the blank spare disk for the logical wizard (lsblk)', async () => {
    const out = (await listBlockDevices(NEST_ID)) as { blockdevices: Array<{ name: string; size: number; type: string; fstype: string | null }> };
    const vdb = out.blockdevices.find((d) => d.name === SPARE);
    expect(vdb).toMatchObject({ size: 1024 * MiB, type: 'disk', fstype: null });
  }, SLOW);
});

describe('logical pool: a volume group built on the spare disk', () => {
  it('discovery finds no volume group before the build', async () => {
    const r = await findPoolSources(NEST_ID, 'logical');
    expect(r.command).toBe('virsh -q -c qemu:///system find-storage-pool-sources-as --type logical');
    expect(r.sources.map((s) => s.name)).not.toContain(VG);
  }, SLOW);

  it('a dry run shows the XML and the define → build → start plan, and runs nothing', async () => {
    const input = { name: LVM_POOL, type: 'logical', source: { devices: [SPARE], name: VG }, build: true, start: true, dryRun: true };
    const r = await createPool(NEST_ID, input);
    if (!r.dryRun) throw new Error('not a dry run');
    expect(r.xml).toContain(`<device path='${SPARE}'/>`);
    expect(r.xml).toContain(`<name>${VG}</name>`);
    expect(r.xml).toContain(`<path>/dev/${VG}</path>`);
    expect(r.steps.map((s) => s.command)).toEqual([
      'virsh -q -c qemu:///system pool-define --file /dev/stdin',
      `virsh -q -c qemu:///system pool-build --no-overwrite -- ${LVM_POOL}`,
      `virsh -q -c qemu:///system pool-start -- ${LVM_POOL}`,
    ]);
    expect(await poolNames()).not.toContain(LVM_POOL);
  }, SLOW);

  it('creates it: define, build (pvcreate + vgcreate on /dev/vdb), start', async () => {
    const r = await createPool(NEST_ID, { name: LVM_POOL, type: 'logical', source: { devices: [SPARE], name: VG }, build: true, start: true });
    if (r.dryRun) throw new Error('a dry run');
    expect(r.steps.filter((s) => !s.ok)).toEqual([]);
    expect(r.steps.map((s) => s.id)).toEqual(['define', 'build', 'start']);
    expect(await poolInfo(LVM_POOL)).toMatchObject({ State: 'running', Persistent: 'yes' });
    expect((await nest(host, `pvs --noheadings -o pv_name,vg_name ${SPARE}`)).trim().split(/\s+/)).toEqual([SPARE, VG]);
    const pool = (await listPools(NEST_ID)).find((p) => p.name === LVM_POOL);
    expect(pool).toMatchObject({ type: 'logical', state: 'running', persistent: true });
    // 1 GiB less LVM's metadata area and extent rounding.
    expect(pool?.capacity).toBeGreaterThan(1000 * MiB);
    expect(pool?.capacity).toBeLessThanOrEqual(1024 * MiB);
  }, SLOW);

  it('discovery now finds the volume group on the spare disk', async () => {
    const r = await findPoolSources(NEST_ID, 'logical');
    const src = r.sources.find((s) => s.name === VG);
    expect(src).toMatchObject({ name: VG, devices: [SPARE], format: 'lvm2' });
  }, SLOW);

  it('takes a volume (a logical volume) through the console’s create: vol-create with XML; it holds data', async () => {
    const plan = await createVolume(NEST_ID, LVM_POOL, { name: 'lv1', format: 'raw', capacity: '64M', dryRun: true });
    expect(plan.steps.map((s) => s.command)).toEqual([`virsh -q -c qemu:///system vol-create --pool ${LVM_POOL} --file /dev/stdin`]);
    expect(plan.xml).toBe(`<volume>\n  <name>lv1</name>\n  <capacity unit='bytes'>${64 * MiB}</capacity>\n</volume>`);
    await expect(createVolume(NEST_ID, LVM_POOL, { name: 'lv1', format: 'qcow2', capacity: '64M' })).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/raw volumes only/) });
    await createVolume(NEST_ID, LVM_POOL, { name: 'lv1', format: 'raw', capacity: '64M' });
    expect(await volInfo(LVM_POOL, 'lv1')).toMatchObject({ Type: 'block', Capacity: '64.00 MiB' });
    expect((await nest(host, `lvs --noheadings --units b --nosuffix -o lv_size ${VG}/lv1`)).trim()).toBe(String(64 * MiB));
    const vols = await listVolumes(NEST_ID, LVM_POOL);
    expect(vols).toEqual([expect.objectContaining({ name: 'lv1', path: `/dev/${VG}/lv1`, capacity: 64 * MiB, type: 'block' })]);
    expect(await fill(`/dev/${VG}/lv1`, '132', 8)).toBe(PATTERN_SHA('132'));
    expect(await readBack(`/dev/${VG}/lv1`, 8)).toBe(PATTERN_SHA('132'));
  }, SLOW);

  it('a refresh picks up a logical volume made outside libvirt', async () => {
    await nest(host, `lvcreate -q -y -n outside -L 16M ${VG}`);
    expect((await nestVirsh(host, 'vol-list', '--pool', LVM_POOL)).split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)[0])).toEqual(['lv1']);
    await poolAction(NEST_ID, LVM_POOL, 'refresh');
    expect((await listVolumes(NEST_ID, LVM_POOL)).map((v) => v.name).sort()).toEqual(['lv1', 'outside']);
    expect(await volInfo(LVM_POOL, 'outside')).toMatchObject({ Capacity: '16.00 MiB' });
  }, SLOW);

  it('grows a logical volume with lvresize (libvirt 9.0’s logical backend cannot); a shrink needs the name; the data stays', async () => {
    const plan = await resizeVolume(NEST_ID, LVM_POOL, 'lv1', { capacity: '96M', dryRun: true });
    expect(plan.steps.map((s) => s.command)).toEqual([`lvresize -L ${96 * MiB}b -- /dev/${VG}/lv1`, `virsh -q -c qemu:///system pool-refresh -- ${LVM_POOL}`]);
    await resizeVolume(NEST_ID, LVM_POOL, 'lv1', { capacity: '96M' });
    expect((await listVolumes(NEST_ID, LVM_POOL)).find((v) => v.name === 'lv1')?.capacity).toBe(96 * MiB);
    await expect(resizeVolume(NEST_ID, LVM_POOL, 'lv1', { capacity: '80M' })).rejects.toMatchObject({ code: 'shrink', status: 409 });
    expect((await nest(host, `lvs --noheadings --units b --nosuffix -o lv_size ${VG}/lv1`)).trim()).toBe(String(96 * MiB));
    expect(await readBack(`/dev/${VG}/lv1`, 8)).toBe(PATTERN_SHA('132'));
  }, SLOW);

  it('deletes a logical volume only with its name typed', async () => {
    await expect(deleteVolume(NEST_ID, LVM_POOL, 'outside', {})).rejects.toMatchObject({ code: 'delete-volume', status: 409 });
    expect((await nest(host, `lvs --noheadings -o lv_name ${VG}`)).split('\n').map((l) => l.trim())).toContain('outside');
    await deleteVolume(NEST_ID, LVM_POOL, 'outside', { confirm: 'outside' });
    expect((await nest(host, `lvs --noheadings -o lv_name ${VG}`)).split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(['lv1']);
  }, SLOW);

  it('stop deactivates the volume group; start brings the data back', async () => {
    await poolAction(NEST_ID, LVM_POOL, 'stop');
    expect(await poolInfo(LVM_POOL)).toMatchObject({ State: 'inactive' });
    expect((await nest(host, `lvs --noheadings -o lv_active ${VG}/lv1`)).trim()).toBe('');
    await expect(listVolumes(NEST_ID, LVM_POOL)).rejects.toMatchObject({ code: 'pool-inactive', status: 409 });
    await poolAction(NEST_ID, LVM_POOL, 'start');
    expect(await poolInfo(LVM_POOL)).toMatchObject({ State: 'running' });
    expect(await readBack(`/dev/${VG}/lv1`, 8)).toBe(PATTERN_SHA('132'));
  }, SLOW);

  it('deleting the storage needs the pool name typed; then the VG and the PV are gone', async () => {
    await expect(deletePool(NEST_ID, LVM_POOL, { deleteStorage: true })).rejects.toMatchObject({
      code: 'pool-delete-storage',
      status: 409,
      detail: { affected: ['lv1'], confirmWith: LVM_POOL },
    });
    expect(await poolInfo(LVM_POOL)).toMatchObject({ State: 'running' });
    const r = await deletePool(NEST_ID, LVM_POOL, { deleteStorage: true, confirm: LVM_POOL });
    expect(r.steps.map((s) => s.command)).toEqual([
      `virsh -q -c qemu:///system pool-destroy -- ${LVM_POOL}`,
      `virsh -q -c qemu:///system pool-delete -- ${LVM_POOL}`,
      `virsh -q -c qemu:///system pool-undefine -- ${LVM_POOL}`,
    ]);
    expect(await poolNames()).not.toContain(LVM_POOL);
    expect(await nest(host, `vgs ${VG} >/dev/null 2>&1 && echo still-there || echo gone`)).toBe('gone\n');
    expect(await nest(host, `pvs ${SPARE} >/dev/null 2>&1 && echo pv || echo no-pv`)).toBe('no-pv\n');
    expect(await nest(host, `wipefs -n ${SPARE}`)).toBe('');
  }, SLOW);
});

describe('netfs pool: the guest’s own NFS export', () => {
  it('discovery on 127.0.0.1 finds /nfsshare', async () => {
    const r = await findPoolSources(NEST_ID, 'netfs', '127.0.0.1');
    expect(r.command).toBe('virsh -q -c qemu:///system find-storage-pool-sources-as --type netfs --host 127.0.0.1');
    expect(r.sources).toContainEqual(expect.objectContaining({ host: '127.0.0.1', dir: '/nfsshare', format: 'nfs' }));
  }, SLOW);

  it('creates it: define, build (the mount point), start (mount over NFS)', async () => {
    const r = await createPool(NEST_ID, {
      name: NFS_POOL,
      type: 'netfs',
      source: { host: '127.0.0.1', dir: '/nfsshare', format: 'nfs' },
      target: { path: NFS_MNT },
      build: true,
      start: true,
    });
    if (r.dryRun) throw new Error('a dry run');
    expect(r.steps.filter((s) => !s.ok)).toEqual([]);
    expect(r.steps.find((s) => s.id === 'build')?.command).toBe(`virsh -q -c qemu:///system pool-build -- ${NFS_POOL}`);
    expect(await poolInfo(NFS_POOL)).toMatchObject({ State: 'running' });
    expect((await nest(host, `findmnt -n -o SOURCE,FSTYPE ${NFS_MNT}`)).trim()).toMatch(/^127\.0\.0\.1:\/nfsshare\s+nfs4?$/);
    expect((await listPools(NEST_ID)).find((p) => p.name === NFS_POOL)).toMatchObject({ type: 'netfs', state: 'running' });
  }, SLOW);

  it('takes volumes that land in the export; data written through NFS is read back on the server side', async () => {
    await createVolume(NEST_ID, NFS_POOL, { name: `${P}disk.qcow2`, format: 'qcow2', capacity: '64M' });
    await createVolume(NEST_ID, NFS_POOL, { name: `${P}data.raw`, format: 'raw', capacity: '32M' });
    expect(await volInfo(NFS_POOL, `${P}disk.qcow2`)).toMatchObject({ Type: 'file', Capacity: '64.00 MiB' });
    expect(await volInfo(NFS_POOL, `${P}data.raw`)).toMatchObject({ Type: 'file', Capacity: '32.00 MiB' });
    expect((await nest(host, `ls /nfsshare`)).split('\n')).toEqual(expect.arrayContaining([`${P}disk.qcow2`, `${P}data.raw`]));
    const vols = await listVolumes(NEST_ID, NFS_POOL);
    expect(vols.find((v) => v.name === `${P}disk.qcow2`)).toMatchObject({ format: 'qcow2', capacity: 64 * MiB, path: `${NFS_MNT}/${P}disk.qcow2` });
    // The console's volume page reads the image with qemu-img over the NFS mount.
    const detail = await getVolume(NEST_ID, NFS_POOL, `${P}disk.qcow2`);
    expect(detail.chainError).toBeNull();
    expect(detail.chain[0]).toMatchObject({ format: 'qcow2', virtualSize: 64 * MiB });
    expect(await fill(`${NFS_MNT}/${P}data.raw`, '245', 4)).toBe(PATTERN_SHA('245'));
    expect(await readBack(`/nfsshare/${P}data.raw`, 4)).toBe(PATTERN_SHA('245'));
  }, SLOW);

  it('a refresh picks up a file put into the export by someone else', async () => {
    await nest(host, `truncate -s 16M /nfsshare/${P}outside.img`);
    await poolAction(NEST_ID, NFS_POOL, 'refresh');
    expect((await listVolumes(NEST_ID, NFS_POOL)).map((v) => v.name)).toContain(`${P}outside.img`);
    expect(await volInfo(NFS_POOL, `${P}outside.img`)).toMatchObject({ Capacity: '16.00 MiB' });
  }, SLOW);

  it('stop unmounts; the data stays in the export; start mounts it again', async () => {
    await poolAction(NEST_ID, NFS_POOL, 'stop');
    expect(await poolInfo(NFS_POOL)).toMatchObject({ State: 'inactive' });
    expect(await nest(host, `findmnt -n ${NFS_MNT} || echo not-mounted`)).toBe('not-mounted\n');
    expect(await readBack(`/nfsshare/${P}data.raw`, 4)).toBe(PATTERN_SHA('245'));
    await poolAction(NEST_ID, NFS_POOL, 'start');
    expect(await readBack(`${NFS_MNT}/${P}data.raw`, 4)).toBe(PATTERN_SHA('245'));
  }, SLOW);

  it('volumes are deleted; deleting the pool’s storage needs the name typed, and leaves nothing behind', async () => {
    for (const v of [`${P}disk.qcow2`, `${P}data.raw`, `${P}outside.img`]) await deleteVolume(NEST_ID, NFS_POOL, v, { confirm: v });
    expect((await nest(host, `ls /nfsshare`)).split('\n').filter((f) => f.startsWith(P))).toEqual([]);
    await expect(deletePool(NEST_ID, NFS_POOL, { deleteStorage: true, confirm: 'nfs' })).rejects.toMatchObject({ code: 'pool-delete-storage', status: 409 });
    const r = await deletePool(NEST_ID, NFS_POOL, { deleteStorage: true, confirm: NFS_POOL });
    expect(r.steps.map((s) => s.command.split(' ')[4])).toEqual(['pool-destroy', 'pool-delete', 'pool-undefine']);
    expect(await poolNames()).not.toContain(NFS_POOL);
    expect(await nest(host, `findmnt -n ${NFS_MNT} || echo not-mounted`)).toBe('not-mounted\n');
    expect(await nest(host, `test -e ${NFS_MNT} && echo exists || echo gone`)).toBe('gone\n');
  }, SLOW);
});

describe('iscsi pool: the guest’s tgt target through open-iscsi', () => {
  it(`discovery on 127.0.0.1 finds the target ${NEST_IQN}`, async () => {
    const r = await findPoolSources(NEST_ID, 'iscsi', '127.0.0.1');
    expect(r.command).toBe('virsh -q -c qemu:///system find-storage-pool-sources-as --type iscsi --host 127.0.0.1');
    expect(r.sources).toContainEqual(expect.objectContaining({ host: '127.0.0.1', device: NEST_IQN }));
  }, SLOW);

  it('creates it: define and start (log in to the target); the two LUNs are its volumes', async () => {
    const r = await createPool(NEST_ID, { name: ISCSI_POOL, type: 'iscsi', source: { host: '127.0.0.1', device: NEST_IQN }, start: true });
    if (r.dryRun) throw new Error('a dry run');
    expect(r.steps.filter((s) => !s.ok)).toEqual([]);
    expect(r.xml).toContain('<path>/dev/disk/by-path</path>');
    expect(await poolInfo(ISCSI_POOL)).toMatchObject({ State: 'running' });
    expect(await nest(host, 'iscsiadm -m session')).toContain(NEST_IQN);
    const vols = await listVolumes(NEST_ID, ISCSI_POOL);
    expect(vols.map((v) => v.capacity).sort((a, b) => a - b)).toEqual([64 * MiB, 128 * MiB]);
    for (const v of vols) {
      expect(v.path).toMatch(new RegExp(`^/dev/disk/by-path/ip-127\\.0\\.0\\.1:3260-iscsi-${NEST_IQN.replace(/\./g, '\\.')}-lun-[12]$`));
      expect(await volInfo(ISCSI_POOL, v.name)).toMatchObject({ Type: 'block' });
    }
  }, SLOW);

  it('cannot create volumes (LUNs are made on the target), but a LUN holds data that reaches the target’s file', async () => {
    await expect(createVolume(NEST_ID, ISCSI_POOL, { name: 'new', format: 'raw', capacity: '16M' })).rejects.toMatchObject({ code: 'pool-cannot-create', status: 422 });
    // libvirt agrees: the iscsi backend has no volume creation.
    await expect(nestVirsh(host, 'vol-create-as', ISCSI_POOL, 'new', '16M')).rejects.toThrow(/not support|unsupported/i);
    const lun1 = (await listVolumes(NEST_ID, ISCSI_POOL)).find((v) => v.capacity === 64 * MiB);
    if (!lun1) throw new Error('no 64 MiB LUN');
    expect(await fill(lun1.path, '63', 16)).toBe(PATTERN_SHA('63'));
    // tgt's backing file of LUN 1 in the guest has the bytes the initiator wrote.
    expect(await readBack('/var/lib/ksc-nest/iscsi/lun1.img', 16)).toBe(PATTERN_SHA('63'));
    await nest(host, `dd if=/dev/zero of=${lun1.path} bs=1M seek=16 count=4 oflag=direct status=none`);
  }, SLOW);

  it('refresh keeps the LUNs; stop logs out of the target', async () => {
    await poolAction(NEST_ID, ISCSI_POOL, 'refresh');
    expect(await listVolumes(NEST_ID, ISCSI_POOL)).toHaveLength(2);
    await poolAction(NEST_ID, ISCSI_POOL, 'stop');
    expect(await poolInfo(ISCSI_POOL)).toMatchObject({ State: 'inactive' });
    expect(await nest(host, 'iscsiadm -m session 2>&1 || true')).not.toContain(NEST_IQN);
  }, SLOW);

  it('an iscsi pool has no storage to delete: refused up front, the pool left as it was; undefine works', async () => {
    await expect(deletePool(NEST_ID, ISCSI_POOL, { deleteStorage: true, confirm: ISCSI_POOL })).rejects.toMatchObject({
      code: 'pool-delete-unsupported',
      status: 400,
    });
    expect(await poolNames()).toContain(ISCSI_POOL);
    const r = await deletePool(NEST_ID, ISCSI_POOL, {});
    expect(r.steps.map((s) => s.command)).toEqual([`virsh -q -c qemu:///system pool-undefine -- ${ISCSI_POOL}`]);
    expect(await poolNames()).not.toContain(ISCSI_POOL);
  }, SLOW);
});

describe('the host is clean again', () => {
  it('no pools of ours, no VG, a blank spare disk, no mounts, no iSCSI sessions', async () => {
    expect((await poolNames()).filter((n) => n.startsWith(P))).toEqual([]);
    expect(await nest(host, `vgs --noheadings -o vg_name | grep -c ${VG} || true`)).toBe('0\n');
    expect(await nest(host, `wipefs -n ${SPARE}`)).toBe('');
    expect(await nest(host, `findmnt -n ${NFS_MNT} || true`)).toBe('');
    expect(await nest(host, 'iscsiadm -m session 2>&1 || true')).not.toContain(NEST_IQN);
  }, SLOW);
});
