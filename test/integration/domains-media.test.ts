import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeMedia } from '@/server/domains/disks';
import { LAB_INVENTORY } from '../helpers/lab';
import { DIR, createImage, defineVm, diskXml, domblklist, ensurePool, removeFiles, removeVm, virshSys } from '../helpers/domains';

// CD-ROM media through the project's server code over SSH to the lab (change-media), each
// result checked with the local virsh. Own VMs: ksc-dom-cdr (running) and ksc-dom-cdo (off).
const RUN = 'ksc-dom-cdr';
const OFF = 'ksc-dom-cdo';
const F = 'it-cd-';
const CDROM = "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>";
let iso: string;

/** The source of `target` as domblklist shows it ('-' when the drive is empty). */
const sourceOf = (vm: string, target: string, inactive = false) => domblklist(vm, inactive).find((r) => r[2] === target)?.[3];

beforeAll(() => {
  process.env.KSC_INVENTORY = LAB_INVENTORY;
  ensurePool();
  removeVm(RUN);
  removeVm(OFF);
  removeFiles(F);
  iso = `${DIR}/${F}media.iso`;
  writeFileSync(iso, Buffer.alloc(2 * 1024 * 1024, 0x41));
  defineVm(RUN, [diskXml(createImage(`${F}run.qcow2`, '16M'), 'vda'), CDROM], { start: true });
  defineVm(OFF, [diskXml(createImage(`${F}off.qcow2`, '16M'), 'vda'), CDROM]);
}, 120_000);

afterAll(() => {
  removeVm(RUN);
  removeVm(OFF);
  removeFiles(F);
});

describe('CD-ROM media', () => {
  it('a dry run shows the change-media command and changes nothing', async () => {
    const r = await changeMedia('lab', RUN, 'hdc', { source: iso, dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.steps[0]?.command).toContain(`change-media --insert --source ${iso} --live --config -- ${RUN} hdc`);
    expect(sourceOf(RUN, 'hdc')).toBe('-');
  });

  it('running VM: insert live and persistent, then eject', async () => {
    await changeMedia('lab', RUN, 'hdc', { source: iso });
    expect(sourceOf(RUN, 'hdc')).toBe(iso);
    expect(sourceOf(RUN, 'hdc', true)).toBe(iso);
    await changeMedia('lab', RUN, 'hdc', { source: null });
    expect(sourceOf(RUN, 'hdc')).toBe('-');
    expect(sourceOf(RUN, 'hdc', true)).toBe('-');
  }, 60_000);

  it('shut-off VM: live is refused with the reason; persistent works', async () => {
    await expect(changeMedia('lab', OFF, 'hdc', { source: iso, live: true })).rejects.toMatchObject({ status: 409, code: 'vm-not-running' });
    expect(sourceOf(OFF, 'hdc', true)).toBe('-');
    await changeMedia('lab', OFF, 'hdc', { source: iso });
    expect(sourceOf(OFF, 'hdc', true)).toBe(iso);
    expect(virshSys('dumpxml', '--inactive', OFF)).toContain(`<source file='${iso}'`);
  }, 60_000);

  it('refuses a disk that is not a CD-ROM, a relative path and an unknown drive', async () => {
    await expect(changeMedia('lab', RUN, 'vda', { source: iso })).rejects.toMatchObject({ status: 409, code: 'not-removable' });
    await expect(changeMedia('lab', RUN, 'hdc', { source: 'media.iso' })).rejects.toMatchObject({ status: 422 });
    await expect(changeMedia('lab', RUN, 'hdd', { source: iso })).rejects.toMatchObject({ status: 404 });
    expect(sourceOf(RUN, 'hdc')).toBe('-');
  }, 60_000);
});
