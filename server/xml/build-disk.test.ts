import { describe, expect, it } from 'vitest';
import { buildDiskXml, nextFreeTarget, targetName } from './build-disk';
import { parseDomainXml } from './domain';

describe('buildDiskXml', () => {
  it('writes the tutorial’s disk (section 5.2.2) with only the options chosen', () => {
    expect(buildDiskXml({ type: 'file', device: 'disk', path: '/kvm-vm/oa-disk0.qcow2', format: 'qcow2', target: 'vdb', bus: 'virtio', cache: 'none', io: 'default', discard: 'unmap' })).toBe(
      `<disk type='file' device='disk'>\n  <driver name='qemu' type='qcow2' cache='none' discard='unmap'/>\n  <source file='/kvm-vm/oa-disk0.qcow2'/>\n  <target dev='vdb' bus='virtio'/>\n</disk>\n`,
    );
  });
  it('block, volume and CD-ROM sources; flags; escaping', () => {
    expect(buildDiskXml({ type: 'block', device: 'disk', path: '/dev/sdc', format: 'raw', target: 'sda', bus: 'scsi', shareable: true, serial: 'S1' })).toContain(`<source dev='/dev/sdc'/>`);
    const vol = buildDiskXml({ type: 'volume', device: 'disk', pool: 'storage01', volume: 'unit:0:0:1', format: 'raw', target: 'sdb', bus: 'scsi' });
    expect(vol).toContain(`<source pool='storage01' volume='unit:0:0:1'/>`);
    expect(buildDiskXml({ type: 'file', device: 'cdrom', path: "/iso/a'b&.iso", format: 'raw', target: 'hdc', bus: 'ide' })).toContain(`<source file='/iso/a&apos;b&amp;.iso'/>\n  <target dev='hdc' bus='ide'/>\n  <readonly/>`);
  });
  it('a LUKS volume names its libvirt secret by usage inside <source>', () => {
    expect(buildDiskXml({ type: 'file', device: 'disk', path: "/p/e'1.qcow2", format: 'qcow2', target: 'vdb', bus: 'virtio', encryption: { format: 'luks', usage: "/p/e'1.qcow2" } })).toBe(
      `<disk type='file' device='disk'>\n  <driver name='qemu' type='qcow2'/>\n  <source file='/p/e&apos;1.qcow2'>\n    <encryption format='luks'>\n      <secret type='passphrase' usage='/p/e&apos;1.qcow2'/>\n    </encryption>\n  </source>\n  <target dev='vdb' bus='virtio'/>\n</disk>\n`,
    );
  });
  it('is read back by the domain parser', () => {
    const disk = buildDiskXml({ type: 'file', device: 'disk', path: '/x y/d.qcow2', format: 'qcow2', target: 'vdc', bus: 'virtio', readonly: true, shareable: true, cache: 'writeback' });
    const dom = parseDomainXml(`<domain type='qemu'><name>t</name><uuid>u</uuid><memory>1</memory><devices>${disk}</devices></domain>`);
    expect(dom.disks[0]).toMatchObject({ source: '/x y/d.qcow2', target: 'vdc', bus: 'virtio', readonly: true, shareable: true, cache: 'writeback', format: 'qcow2' });
  });
});

describe('targets', () => {
  it('names like libvirt: vda … vdz, vdaa', () => {
    expect(targetName('vd', 0)).toBe('vda');
    expect(targetName('vd', 25)).toBe('vdz');
    expect(targetName('vd', 26)).toBe('vdaa');
    expect(targetName('sd', 27)).toBe('sdab');
  });
  it('the next free target per bus; sd is shared by scsi, sata and usb', () => {
    expect(nextFreeTarget('virtio', ['vda', 'vdc'])).toBe('vdb');
    expect(nextFreeTarget('scsi', ['vda', 'sda'])).toBe('sdb');
    expect(nextFreeTarget('usb', ['sda', 'sdb'])).toBe('sdc');
    expect(nextFreeTarget('ide', ['hda'])).toBe('hdb');
  });
});
