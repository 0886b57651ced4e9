import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XmlParseError } from './parse';
import { parseVolumeXml } from './volume';

const dir = new URL('../../test/fixtures/lab/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, dir), 'utf8');

describe('parseVolumeXml on the lab', () => {
  it('reads every captured volume', () => {
    const files = readdirSync(dir).filter((f) => f.startsWith('vol-') && f.endsWith('.xml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const vol = parseVolumeXml(fixture(f));
      expect(vol.name, f).not.toBe('');
      expect(Number.isSafeInteger(vol.capacity), f).toBe(true);
    }
  });

  it('oa-disk0: libvirt shows the relative backing file as an absolute path', () => {
    expect(parseVolumeXml(fixture('vol-vm-oa-disk0.qcow2.xml'))).toEqual({
      name: 'oa-disk0.qcow2',
      key: '/kvm-vm/oa-disk0.qcow2',
      type: 'file',
      path: '/kvm-vm/oa-disk0.qcow2',
      format: 'qcow2',
      capacity: 1073741824,
      allocation: expect.any(Number),
      physical: expect.any(Number),
      backingStore: { path: '/kvm-vm/base-centos7.qcow2', format: 'qcow2' },
      encryption: null,
    });
  });

  it('base-centos7 and vm003 have no backing store', () => {
    expect(parseVolumeXml(fixture('vol-vm-base-centos7.qcow2.xml')).backingStore).toBeNull();
    expect(parseVolumeXml(fixture('vol-vm-vm003.qcow2.xml'))).toMatchObject({ capacity: 2 * 1024 ** 3, backingStore: null });
  });

  it('vmtest01.img: raw, fully sized on disk, partly allocated', () => {
    expect(parseVolumeXml(fixture('vol-vm-vmtest01.img.xml'))).toMatchObject({
      format: 'raw', capacity: 536870912, physical: 536870912, allocation: 16777216, backingStore: null,
    });
  });

  it('iscsi-direct LUN: type network, no format, no physical, a path that is no file', () => {
    expect(parseVolumeXml(fixture('vol-storage01-unit_0_0_1.xml'))).toEqual({
      name: 'unit:0:0:1',
      key: 'ip-127.0.0.1:3260-iscsi-iqn.2026-11.lab.ksc:storage01-lun-1',
      type: 'network',
      path: 'ip-127.0.0.1:3260-iscsi-iqn.2026-11.lab.ksc:storage01-lun-1',
      format: null,
      capacity: 67108352,
      allocation: 67108352,
      physical: null,
      backingStore: null,
      encryption: null,
    });
    expect(parseVolumeXml(fixture('vol-storage01-unit_0_0_0.xml')).capacity).toBe(0); // the controller LUN
  });

  it('a directory in an fs pool is a volume of type dir', () => {
    expect(parseVolumeXml(fixture('vol-guest_images_fs-lost+found.xml'))).toMatchObject({ type: 'dir', format: 'dir', physical: null });
  });

  it('session web01: backed by the template', () => {
    expect(parseVolumeXml(fixture('vol-session-images-web01.qcow2.xml')).backingStore).toEqual({
      path: '/home/kscuser/images/template-debian12.qcow2',
      format: 'qcow2',
    });
  });
});

const vol = (inner: string, attrs = '') => `<volume${attrs}><name>v</name><key>k</key>${inner}</volume>`;
const sizes = "<capacity unit='bytes'>10</capacity><allocation>5</allocation>";

describe('parseVolumeXml edge cases', () => {
  it('type defaults to file; format, physical and backing store to null', () => {
    expect(parseVolumeXml(vol(`${sizes}<target><path>/p</path></target>`))).toEqual({
      name: 'v', key: 'k', type: 'file', path: '/p', format: null,
      capacity: 10, allocation: 5, physical: null, backingStore: null, encryption: null,
    });
  });

  it('a LUKS qcow2 has encryption luks (the lab’s vol-dumpxml prints an empty <encryption format>)', () => {
    const v = parseVolumeXml(vol(`${sizes}<target><path>/p</path><format type='qcow2'/><encryption format='luks'>\n    </encryption><compat>1.1</compat></target>`));
    expect(v.encryption).toBe('luks');
  });

  it('an empty <backingStore/> or one without a path means none', () => {
    expect(parseVolumeXml(vol(`${sizes}<target><path>/p</path></target><backingStore/>`)).backingStore).toBeNull();
    expect(parseVolumeXml(vol(`${sizes}<target><path>/p</path></target><backingStore><format type='raw'/></backingStore>`)).backingStore).toBeNull();
  });

  it('a backing store without format has format null', () => {
    const v = parseVolumeXml(vol(`${sizes}<target><path>/p</path></target><backingStore><path>/b</path></backingStore>`));
    expect(v.backingStore).toEqual({ path: '/b', format: null });
  });

  it('scales sizes by unit', () => {
    const v = parseVolumeXml(vol("<capacity unit='G'>1</capacity><allocation unit='MB'>2</allocation><physical unit='KiB'>3</physical><target><path>/p</path></target>"));
    expect([v.capacity, v.allocation, v.physical]).toEqual([1024 ** 3, 2e6, 3072]);
  });

  it.each([
    ['no name', `<volume><key>k</key>${sizes}<target><path>/p</path></target></volume>`, /<volume> <name> is missing/],
    ['no key', `<volume><name>v</name>${sizes}<target><path>/p</path></target></volume>`, /volume "v": <key> is missing/],
    ['no path', vol(`${sizes}<target/>`), /volume "v": <target><path> is missing/],
    ['no capacity', vol("<allocation>1</allocation><target><path>/p</path></target>"), /<capacity> is missing/],
    ['a fractional size', vol("<capacity>1.5</capacity><allocation>1</allocation><target><path>/p</path></target>"), /not a whole number/],
    ['malformed XML', '<volume><name>v</volume>', /malformed/],
  ])('refuses %s', (_, xml, message) => {
    expect(() => parseVolumeXml(xml)).toThrow(XmlParseError);
    expect(() => parseVolumeXml(xml)).toThrow(message);
  });
});
