import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachDisk, detachDisk } from '@/server/domains/disks';
import { getDomain } from '@/server/domains/read';
import { LAB_INVENTORY } from '../helpers/lab';
import { DIR, POOL, createImage, defineVm, diskXml, ensurePool, qemuImg, refreshPool, removeFiles, removeVm, sha256, targets, virshSys, domblklist } from '../helpers/domains';

// Disk attach/detach through the project's server code over SSH to the lab, each result
// checked with the local virsh (domblklist --details, dumpxml). Own VMs: ksc-dom-dr (running)
// and ksc-dom-do (shut off); vm001 is only read.
const RUN = 'ksc-dom-dr';
const OFF = 'ksc-dom-do';
const F = 'it-d-';
const inactiveXml = (vm: string) => virshSys('dumpxml', '--inactive', vm);
const liveXml = (vm: string) => virshSys('dumpxml', vm);

beforeAll(() => {
  process.env.KSC_INVENTORY = LAB_INVENTORY;
  ensurePool();
  removeVm(RUN);
  removeVm(OFF);
  removeFiles(F);
  const runRoot = createImage(`${F}run-root.qcow2`);
  const offRoot = createImage(`${F}off-root.qcow2`);
  for (const n of ['data1', 'data2', 'data3', 'data4', 'data5', 'shared', 'base']) createImage(`${F}${n}.qcow2`, '16M');
  qemuImg('create', '-q', '-f', 'qcow2', '-b', `${DIR}/${F}base.qcow2`, '-F', 'qcow2', `${DIR}/${F}ovl.qcow2`);
  refreshPool();
  defineVm(RUN, [diskXml(runRoot, 'vda')], { start: true });
  defineVm(OFF, [diskXml(offRoot, 'vda')]);
}, 120_000);

afterAll(() => {
  removeVm(RUN);
  removeVm(OFF);
  removeFiles(F);
});

describe('VM detail', () => {
  it('vm001: state, disks with their chain and pool volume, buses with the next free target', async () => {
    const d = await getDomain('lab', 'vm001');
    expect(d.domain).toMatchObject({ name: 'vm001', state: 'running', vcpus: 1, memory: 64 * 2 ** 20, acpi: true });
    const vda = d.disks.find((x) => x.target === 'vda');
    expect(vda).toMatchObject({ bus: 'virtio', source: '/kvm-vm/centos7-vm001.qcow2', volumePool: 'vm', volumeName: 'centos7-vm001.qcow2', format: 'qcow2', cache: 'none', inLive: true, inConfig: true });
    expect(vda?.chain.map((c) => [c.path, c.pool, c.volume])).toEqual([
      ['/kvm-vm/centos7-vm001.qcow2', 'vm', 'centos7-vm001.qcow2'],
      ['/kvm-vm/base-centos7.qcow2', 'vm', 'base-centos7.qcow2'],
    ]);
    const buses = Object.fromEntries(d.buses.map((b) => [b.bus, b]));
    expect(buses.virtio).toMatchObject({ live: true, nextTarget: 'vdb' });
    expect(buses.scsi).toMatchObject({ live: true, nextTarget: 'sda' });
    expect(buses.ide).toMatchObject({ live: false, nextTarget: 'hda' });
    expect(buses.ide?.liveReason).toMatch(/IDE/);
    expect(buses.sata?.live).toBe(false);
  });

  it('an unknown VM is a 404', async () => {
    await expect(getDomain('lab', 'ksc-dom-no-such-vm')).rejects.toMatchObject({ status: 404, code: 'not-found' });
  });
});

describe('attach', () => {
  it('a dry run shows the disk XML and the exact command, and changes nothing', async () => {
    const before = liveXml(RUN);
    const r = await attachDisk('lab', RUN, { source: { pool: POOL, volume: `${F}data1.qcow2` }, bus: 'virtio', cache: 'none', live: true, persistent: true, dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.xml).toContain(`<source file='${DIR}/${F}data1.qcow2'/>`);
    expect(r.xml).toContain(`<target dev='vdb' bus='virtio'/>`);
    expect(r.xml).toContain(`cache='none'`);
    expect(r.steps.at(-1)?.command).toBe(`virsh -q -c qemu:///system attach-device --file /dev/stdin --live --config -- ${RUN} < disk.xml`);
    expect(liveXml(RUN)).toBe(before);
  });

  it('live + persistent on virtio: in domblklist and in both XMLs', async () => {
    const r = await attachDisk('lab', RUN, { source: { pool: POOL, volume: `${F}data1.qcow2` }, bus: 'virtio', cache: 'writeback', serial: 'KSC1', live: true, persistent: true });
    expect(r.ok).toBe(true);
    expect(targets(RUN)).toContain('vdb');
    expect(targets(RUN, true)).toContain('vdb');
    expect(liveXml(RUN)).toMatch(/<serial>KSC1<\/serial>/);
    expect(inactiveXml(RUN)).toContain(`${F}data1.qcow2`);
  });

  it('persistent only on scsi: in the config, not in the running VM', async () => {
    const r = await attachDisk('lab', RUN, { source: { pool: POOL, volume: `${F}data2.qcow2` }, bus: 'scsi', live: false, persistent: true });
    expect(r.message).toMatch(/as sda on scsi, persistent/);
    expect(targets(RUN, true)).toContain('sda');
    expect(targets(RUN)).not.toContain('sda');
  });

  it('live only on usb: in the running VM, not in the config', async () => {
    await attachDisk('lab', RUN, { source: { path: `${DIR}/${F}data3.qcow2` }, bus: 'usb', target: 'sdb', live: true, persistent: false });
    expect(targets(RUN)).toContain('sdb');
    expect(targets(RUN, true)).not.toContain('sdb');
  });

  it('a new volume created on the fly, live on scsi', async () => {
    const r = await attachDisk('lab', RUN, { source: { create: { pool: POOL, name: `${F}new.qcow2`, capacity: 8 * 2 ** 20, format: 'qcow2' } }, bus: 'scsi', live: true, persistent: false });
    expect(r.steps.map((s) => s.title)).toEqual([`Create volume ${POOL}/${F}new.qcow2`, expect.stringMatching(/^Attach sdc/), 'Check: virsh domblklist --details']);
    expect(JSON.parse(qemuImg('info', '-U', '--output=json', `${DIR}/${F}new.qcow2`))).toMatchObject({ format: 'qcow2', 'virtual-size': 8 * 2 ** 20 });
    expect(targets(RUN)).toContain('sdc');
  });

  it('live attach where it is impossible is refused with the reason, and offers persistent', async () => {
    await expect(attachDisk('lab', RUN, { source: { pool: POOL, volume: `${F}data4.qcow2` }, bus: 'ide', live: true, persistent: false })).rejects.toMatchObject({
      status: 409,
      code: 'live-attach-impossible',
      message: expect.stringMatching(/IDE/),
    });
    await expect(attachDisk('lab', RUN, { source: { pool: POOL, volume: `${F}data4.qcow2` }, bus: 'sata', live: true, persistent: true })).rejects.toMatchObject({ code: 'live-attach-impossible' });
    await expect(attachDisk('lab', OFF, { source: { pool: POOL, volume: `${F}data4.qcow2` }, bus: 'virtio', live: true, persistent: false })).rejects.toMatchObject({
      code: 'vm-not-running',
      detail: { offer: { live: false, persistent: true } },
    });
    expect(targets(OFF, true)).toEqual(['vda']);
  });

  it('persistent attach to a shut-off VM on sata, ide and scsi (read-only)', async () => {
    await attachDisk('lab', OFF, { source: { pool: POOL, volume: `${F}data4.qcow2` }, bus: 'sata', live: false, persistent: true });
    await attachDisk('lab', OFF, { source: { pool: POOL, volume: `${F}data5.qcow2` }, bus: 'ide', live: false, persistent: true });
    await expect(attachDisk('lab', OFF, { source: { pool: POOL, volume: `${F}shared.qcow2` }, bus: 'ide', readonly: true, live: false, persistent: true })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/read-only ide/),
    });
    await attachDisk('lab', OFF, { source: { pool: POOL, volume: `${F}shared.qcow2` }, bus: 'scsi', readonly: true, live: false, persistent: true });
    const xml = inactiveXml(OFF);
    expect(xml).toMatch(/<target dev='sda' bus='sata'\/>/);
    expect(xml).toMatch(/<target dev='hda' bus='ide'\/>/);
    expect(xml).toMatch(/<target dev='sdb' bus='scsi'\/>\s*<readonly\/>/);
    expect(domblklist(OFF, true).map((r) => [r[2], r[3]])).toEqual([
      ['vda', `${DIR}/${F}off-root.qcow2`],
      ['sda', `${DIR}/${F}data4.qcow2`],
      ['hda', `${DIR}/${F}data5.qcow2`],
      ['sdb', `${DIR}/${F}shared.qcow2`],
    ]);
  });

  it('refuses a target in use, a disk another VM writes to, and a base with overlays', async () => {
    await expect(attachDisk('lab', RUN, { source: { pool: POOL, volume: `${F}data4.qcow2` }, bus: 'virtio', target: 'vdb', live: true, persistent: true })).rejects.toMatchObject({ code: 'target-in-use' });
    await expect(attachDisk('lab', RUN, { source: { pool: POOL, volume: `${F}data4.qcow2` }, bus: 'virtio', live: false, persistent: true })).rejects.toMatchObject({
      code: 'volume-in-use',
      detail: { affected: { usedBy: [OFF] } },
    });
    const base = `${DIR}/${F}base.qcow2`;
    const sum = sha256(base);
    await expect(attachDisk('lab', OFF, { source: { pool: POOL, volume: `${F}base.qcow2` }, bus: 'virtio', live: false, persistent: true })).rejects.toMatchObject({
      code: 'base-has-overlays',
      detail: { affected: { overlays: [`${POOL}/${F}ovl.qcow2`] } },
    });
    expect(sha256(base)).toBe(sum);
    expect(inactiveXml(OFF)).not.toContain(base);
  });
});

describe('detach', () => {
  it('a live detach the guest never acknowledges is reported as such, not as success', async () => {
    // The firmware-only guest has no OS to answer the ACPI unplug request for a virtio disk.
    const err = await detachDisk('lab', RUN, 'vdb', { live: true, persistent: true, waitMs: 3000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 504, code: 'detach-not-released' });
    expect((err as Error).message).toMatch(/did not release vdb within 3 s/);
    expect((err as Error).message).toMatch(/removed from the persistent configuration/);
    expect(targets(RUN)).toContain('vdb');
    expect(targets(RUN, true)).not.toContain('vdb');
  });

  it('live detach on usb and scsi is released at once', async () => {
    const r = await detachDisk('lab', RUN, 'sdb', { live: true, persistent: false });
    expect(r.ok).toBe(true);
    expect(targets(RUN)).not.toContain('sdb');
    await detachDisk('lab', RUN, 'sdc', { live: true, persistent: false });
    expect(targets(RUN)).not.toContain('sdc');
  });

  it('persistent detach of a config-only disk', async () => {
    await expect(detachDisk('lab', RUN, 'sda', { live: true, persistent: true })).rejects.toMatchObject({ code: 'not-attached-live' });
    await detachDisk('lab', RUN, 'sda', { live: false, persistent: true });
    expect(targets(RUN, true)).not.toContain('sda');
  });

  it('deleteVolume is refused while another VM uses the volume, or it has overlays; files unchanged', async () => {
    // shared.qcow2: read-only on OFF (sdb) and now also on RUN.
    await attachDisk('lab', RUN, { source: { pool: POOL, volume: `${F}shared.qcow2` }, bus: 'scsi', readonly: true, live: false, persistent: true });
    const shared = `${DIR}/${F}shared.qcow2`;
    const sum = sha256(shared);
    await expect(detachDisk('lab', OFF, 'sdb', { live: false, persistent: true, deleteVolume: true, confirm: `${F}shared.qcow2` })).rejects.toMatchObject({
      status: 409,
      code: 'volume-in-use',
      detail: { affected: { usedBy: [RUN] } },
    });
    expect(sha256(shared)).toBe(sum);
    expect(targets(OFF, true)).toContain('sdb');
    // base.qcow2 with an overlay, attached read-only
    await attachDisk('lab', OFF, { source: { pool: POOL, volume: `${F}base.qcow2` }, bus: 'virtio', readonly: true, live: false, persistent: true });
    const base = `${DIR}/${F}base.qcow2`;
    const baseSum = sha256(base);
    await expect(detachDisk('lab', OFF, 'vdb', { live: false, persistent: true, deleteVolume: true, confirm: `${F}base.qcow2` })).rejects.toMatchObject({ code: 'volume-has-overlays' });
    expect(sha256(base)).toBe(baseSum);
    expect(targets(OFF, true)).toContain('vdb');
  });

  it('deleteVolume needs the volume name typed; then detaches and deletes', async () => {
    const file = `${DIR}/${F}data4.qcow2`;
    const sum = sha256(file);
    const dry = await detachDisk('lab', OFF, 'sda', { live: false, persistent: true, deleteVolume: true, dryRun: true });
    expect(dry.discards[0]).toMatch(/data4\.qcow2.*all data/);
    expect(dry.steps.map((s) => s.command)).toEqual([
      `virsh -q -c qemu:///system detach-disk --config -- ${OFF} sda`,
      `virsh -q -c qemu:///system vol-delete --pool ${POOL} -- ${F}data4.qcow2`,
    ]);
    await expect(detachDisk('lab', OFF, 'sda', { live: false, persistent: true, deleteVolume: true })).rejects.toMatchObject({ status: 409, code: 'delete-volume', detail: { confirmWith: `${F}data4.qcow2` } });
    await expect(detachDisk('lab', OFF, 'sda', { live: false, persistent: true, deleteVolume: true, confirm: 'wrong' })).rejects.toMatchObject({ code: 'delete-volume' });
    expect(sha256(file)).toBe(sum);
    expect(targets(OFF, true)).toContain('sda');
    const r = await detachDisk('lab', OFF, 'sda', { live: false, persistent: true, deleteVolume: true, confirm: `${F}data4.qcow2` });
    expect(r.message).toMatch(/deleted/);
    expect(targets(OFF, true)).not.toContain('sda');
    expect(existsSync(file)).toBe(false);
  });

  it('vm001 was only read', () => {
    expect(targets('vm001')).toEqual(['vda']);
    expect(targets('vm001', true)).toEqual(['vda']);
  });
});
