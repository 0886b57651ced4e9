import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDomain } from '@/server/domains/read';
import { createSnapshot, deleteSnapshot, listSnapshots, revertSnapshot } from '@/server/domains/snapshots';
import { LAB_INVENTORY } from '../helpers/lab';
import { DIR, createImage, defineVm, diskXml, ensurePool, qemuImg, qemuIo, refreshPool, removeFiles, removeVm, sha256, snapshotNames, targets, tryVirsh, virshSys } from '../helpers/domains';

// Snapshots through the project's server code over SSH, checked with the local virsh
// (snapshot-list) and qemu-img/qemu-io on the files. Own VMs only:
//   ksc-dom-so: shut off, one qcow2 disk + one raw disk (internal impossible) → then qcow2 only
//   ksc-dom-sr: running (TCG, firmware only), one qcow2 disk.
const OFF = 'ksc-dom-so';
const OFF2 = 'ksc-dom-sq';
const RUN = 'ksc-dom-sr';
const F = 'it-s-';
const imageSnapshots = (file: string) => (JSON.parse(qemuImg('info', '-U', '--output=json', file)) as { snapshots?: Array<{ name: string }> }).snapshots?.map((s) => s.name) ?? [];
const backing = (file: string) => (JSON.parse(qemuImg('info', '-U', '--output=json', file)) as { 'backing-filename'?: string })['backing-filename'] ?? null;
const reads = (file: string, pattern: number) => {
  try {
    qemuIo(file, `read -q -P ${pattern} 0 1M`);
    return true;
  } catch {
    return false;
  }
};

beforeAll(() => {
  process.env.KSC_INVENTORY = LAB_INVENTORY;
  ensurePool();
  for (const vm of [OFF, OFF2, RUN]) removeVm(vm);
  removeFiles(F);
  const offRoot = createImage(`${F}off.qcow2`, '32M', 'qcow2', 0xaa);
  const offRaw = createImage(`${F}off-raw.img`, '16M', 'raw');
  const off2 = createImage(`${F}off2.qcow2`, '32M', 'qcow2', 0x11);
  const runRoot = createImage(`${F}run.qcow2`);
  refreshPool();
  defineVm(OFF, [diskXml(offRoot, 'vda'), diskXml(offRaw, 'vdb', 'raw')]);
  defineVm(OFF2, [diskXml(off2, 'vda')]);
  defineVm(RUN, [diskXml(runRoot, 'vda')], { start: true });
}, 120_000);

afterAll(() => {
  for (const vm of [OFF, OFF2, RUN]) removeVm(vm);
  removeFiles(F);
});

describe('internal snapshots', () => {
  it('refuses an internal snapshot when a disk is raw, and says why', async () => {
    await expect(createSnapshot('lab', OFF, { name: 'i1', kind: 'internal' })).rejects.toMatchObject({ status: 409, code: 'internal-needs-qcow2', message: expect.stringMatching(/vdb is raw/) });
    expect(snapshotNames(OFF)).toEqual([]);
  });

  it('shut-off VM: create, write, revert brings the data back; delete needs the name', async () => {
    const file = `${DIR}/${F}off2.qcow2`;
    const dry = await createSnapshot('lab', OFF2, { name: 'a1', description: 'before <changes> & “quotes”', kind: 'internal', dryRun: true });
    expect(dry.xml).toContain('<description>before &lt;changes&gt; &amp; “quotes”</description>');
    expect(dry.xml).toContain(`<memory snapshot='no'/>`);
    expect(dry.steps[0]?.command).toBe(`virsh -q -c qemu:///system snapshot-create --xmlfile /dev/stdin --atomic -- ${OFF2} < snapshot.xml`);
    expect(snapshotNames(OFF2)).toEqual([]);
    await createSnapshot('lab', OFF2, { name: 'a1', description: 'before <changes> & “quotes”', kind: 'internal' });
    expect(imageSnapshots(file)).toEqual(['a1']);
    qemuIo(file, 'write -q -P 0x22 0 1M');
    await createSnapshot('lab', OFF2, { name: 'a2', kind: 'internal' });
    expect(snapshotNames(OFF2)).toEqual(['a1', 'a2']);
    const list = await listSnapshots('lab', OFF2);
    expect(list.snapshots.map((s) => [s.name, s.parent, s.current, s.location, s.memory, s.state])).toEqual([
      ['a1', null, false, 'internal', 'no', 'shut off'],
      ['a2', 'a1', true, 'internal', 'no', 'shut off'],
    ]);
    expect(list.snapshots[0]?.description).toBe('before <changes> & “quotes”');
    expect(list.tree).toMatch(/a1\n\s+\|\n\s+\+- a2/);

    const sum = sha256(file);
    const refused = await revertSnapshot('lab', OFF2, 'a1', {}).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, code: 'snapshot-revert', detail: { confirmWith: OFF2 } });
    expect((refused as { detail: { affected: string[] } }).detail.affected[0]).toMatch(/everything written to vda .* since a1/);
    expect(sha256(file)).toBe(sum);
    await revertSnapshot('lab', OFF2, 'a1', { confirm: OFF2 });
    expect(reads(file, 0x11)).toBe(true);
    expect(virshSys('snapshot-current', '--name', OFF2).trim()).toBe('a1');

    await expect(deleteSnapshot('lab', OFF2, 'a1', { confirm: 'a2' })).rejects.toMatchObject({ code: 'snapshot-delete', detail: { confirmWith: 'a1' } });
    expect(imageSnapshots(file)).toEqual(['a1', 'a2']);
    const r = await deleteSnapshot('lab', OFF2, 'a1', { confirm: 'a1' });
    expect(r.discards.join('\n')).toMatch(/they move up/);
    expect(snapshotNames(OFF2)).toEqual(['a2']);
    expect(imageSnapshots(file)).toEqual(['a2']);
    expect(tryVirsh('snapshot-parent', OFF2, 'a2')).toBeNull(); // "snapshot 'a2' has no parent"
  });

  it('running VM: two checkpoints with memory, in creation order; revert to the first', async () => {
    await expect(createSnapshot('lab', RUN, { name: 'm0', kind: 'internal', memory: false })).rejects.toMatchObject({ code: 'invalid-input' });
    await createSnapshot('lab', RUN, { name: 'm1', kind: 'internal', description: 'first' });
    await createSnapshot('lab', RUN, { name: 'm2', kind: 'internal' });
    const list = await listSnapshots('lab', RUN);
    expect(list.snapshots.map((s) => [s.name, s.parent, s.current, s.memory, s.state])).toEqual([
      ['m1', null, false, 'internal', 'running'],
      ['m2', 'm1', true, 'internal', 'running'],
    ]);
    expect(imageSnapshots(`${DIR}/${F}run.qcow2`)).toEqual(['m1', 'm2']);
    const dry = await revertSnapshot('lab', RUN, 'm1', { dryRun: true });
    expect(dry.discards.join('\n')).toMatch(/running state of ksc-dom-sr/);
    await revertSnapshot('lab', RUN, 'm1', { confirm: RUN });
    expect(virshSys('snapshot-current', '--name', RUN).trim()).toBe('m1');
    expect(virshSys('domstate', RUN).trim()).toBe('running');
  }, 180_000);
});

describe('external snapshots', () => {
  it('shut-off VM, disk-only, per-disk placement: the disk moves to the overlay; revert is explained; delete merges and removes it', async () => {
    const base = `${DIR}/${F}off.qcow2`;
    const raw = `${DIR}/${F}off-raw.img`;
    const ovl = `${DIR}/${F}off.x1.qcow2`;
    const rawOvl = `${DIR}/${F}raw-overlay-x1.qcow2`;
    const dry = await createSnapshot('lab', OFF, { name: 'x1', kind: 'external', disks: [{ target: 'vdb', file: rawOvl }], dryRun: true });
    expect(dry.xml).toContain(`<source file='${ovl}'/>`);
    expect(dry.xml).toContain(`<source file='${rawOvl}'/>`);
    expect(dry.steps[0]?.command).toContain('--atomic --disk-only');
    await createSnapshot('lab', OFF, { name: 'x1', kind: 'external', disks: [{ target: 'vdb', file: rawOvl }] });
    expect(snapshotNames(OFF)).toEqual(['x1']);
    expect(targets(OFF, true)).toEqual(['vda', 'vdb']);
    expect(virshSys('domblklist', '--inactive', OFF)).toContain(ovl);
    expect(backing(ovl)).toBe(base);
    expect(backing(rawOvl)).toBe(raw);
    const d = await getDomain('lab', OFF);
    expect(d.disks.find((x) => x.target === 'vda')?.chain.map((c) => c.path)).toEqual([ovl, base]);
    const x1 = d.snapshots.snapshots.find((s) => s.name === 'x1');
    expect(x1).toMatchObject({ location: 'external', diskOnly: true, canRevert: false, canDelete: true });
    expect(x1?.revertBlocker).toMatch(/libvirt 9\.0\.0 on this host cannot revert to an external snapshot/);
    await expect(revertSnapshot('lab', OFF, 'x1', { confirm: OFF })).rejects.toMatchObject({ status: 409, code: 'revert-unsupported' });

    // A second VM's overlay on the base would be corrupted by the merge: refused, files unchanged.
    const foreign = `${DIR}/${F}foreign.qcow2`;
    qemuImg('create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', foreign);
    refreshPool();
    const sums = [sha256(base), sha256(ovl), sha256(foreign)];
    await expect(deleteSnapshot('lab', OFF, 'x1', { confirm: 'x1' })).rejects.toMatchObject({ status: 409, code: 'snapshot-delete-refused', message: expect.stringMatching(/foreign\.qcow2/) });
    expect([sha256(base), sha256(ovl), sha256(foreign)]).toEqual(sums);
    expect(snapshotNames(OFF)).toEqual(['x1']);
    removeFiles(`${F}foreign`);

    qemuIo(ovl, 'write -q -P 0xbb 0 1M');
    await expect(deleteSnapshot('lab', OFF, 'x1', {})).rejects.toMatchObject({ code: 'snapshot-delete' });
    expect(existsSync(ovl)).toBe(true);
    const r = await deleteSnapshot('lab', OFF, 'x1', { confirm: 'x1' });
    expect(r.discards[0]).toMatch(/merged into its backing file/);
    expect(snapshotNames(OFF)).toEqual([]);
    expect(existsSync(ovl)).toBe(false);
    expect(existsSync(rawOvl)).toBe(false);
    expect(virshSys('domblklist', '--inactive', OFF)).toContain(base);
    expect(reads(base, 0xbb)).toBe(true); // the overlay's data was merged, not lost
  }, 180_000);

  it('running VM: external after internal; libvirt 9.0 cannot delete it (internal parent) and the console says so first', async () => {
    const root = `${DIR}/${F}run.qcow2`;
    const ovl = `${DIR}/${F}run.e1.qcow2`;
    await expect(createSnapshot('lab', RUN, { name: 'e1', kind: 'external', quiesce: true })).rejects.toMatchObject({ code: 'no-guest-agent' });
    const r = await createSnapshot('lab', RUN, { name: 'e1', kind: 'external' });
    expect(r.warnings.join(' ')).toMatch(/crash-consistent/);
    expect(targets(RUN)).toEqual(['vda']);
    expect(virshSys('domblklist', RUN)).toContain(ovl);
    expect(backing(ovl)).toBe(root);
    const list = await listSnapshots('lab', RUN);
    expect(list.snapshots.map((s) => s.name)).toEqual(['m1', 'm2', 'e1']);
    const e1 = list.snapshots.find((s) => s.name === 'e1');
    expect(e1).toMatchObject({ parent: 'm1', current: true, canDelete: false, state: 'disk-snapshot' });
    expect(e1?.deleteBlocker).toMatch(/parent “m1” is an internal snapshot/);
    const sum = sha256(root);
    await expect(deleteSnapshot('lab', RUN, 'e1', { confirm: 'e1' })).rejects.toMatchObject({ status: 409, code: 'snapshot-delete-refused' });
    expect(existsSync(ovl)).toBe(true);
    expect(sha256(root)).toBe(sum);
    expect(snapshotNames(RUN).sort()).toEqual(['e1', 'm1', 'm2']);
  }, 180_000);
});
