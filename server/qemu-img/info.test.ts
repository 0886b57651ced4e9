import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageInfoDto } from '@/lib/schemas';
import { AppError } from '@/server/errors';
import { formatVmClock, parseImageInfo } from './info';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/lab/${name}`, import.meta.url), 'utf8');

const qcow2 = { compat: '1.1', lazyRefcounts: false, compressionType: 'zlib', corrupt: false, clusterSize: 65536 };
const base = {
  filename: '/kvm-vm/base-centos7.qcow2', format: 'qcow2', virtualSize: 1073741824, actualSize: expect.any(Number),
  dirty: false, encrypted: false, backingFilename: null, fullBackingFilename: null, backingFormat: null, snapshots: [],
  ...qcow2,
};

describe('parseImageInfo on the lab', () => {
  it('oa-disk0 --backing-chain: the header keeps the relative backing name', () => {
    const chain = parseImageInfo(fixture('qemu-img-info-oa-disk0.json'));
    expect(chain).toEqual([
      {
        ...base,
        filename: '/kvm-vm/oa-disk0.qcow2',
        backingFilename: 'base-centos7.qcow2',
        fullBackingFilename: '/kvm-vm/base-centos7.qcow2',
        backingFormat: 'qcow2',
      },
      base,
    ]);
  });

  it('centos7-vm001 (read with -U while vm001 runs): absolute backing name', () => {
    const [top, bottom] = parseImageInfo(fixture('qemu-img-info-centos7-vm001.json'));
    expect(top).toMatchObject({ backingFilename: '/kvm-vm/base-centos7.qcow2', fullBackingFilename: '/kvm-vm/base-centos7.qcow2' });
    expect(bottom?.filename).toBe('/kvm-vm/base-centos7.qcow2');
  });

  it('vm003: internal snapshot s1', () => {
    const [img] = parseImageInfo(fixture('qemu-img-info-vm003.json'));
    expect(img?.virtualSize).toBe(2 * 1024 ** 3);
    expect(img?.snapshots).toEqual([
      { id: '1', name: 's1', vmStateSize: 0, date: '2026-11-25T21:44:56.487Z', vmClock: '00:00:00.000', icount: 0 },
    ]);
  });

  it('vmtest01: raw has no cluster size and no format-specific data', () => {
    expect(parseImageInfo(fixture('qemu-img-info-vmtest01.json'))).toEqual([
      {
        filename: '/kvm-vm/vmtest01.img', format: 'raw', virtualSize: 536870912, actualSize: 16777216, clusterSize: null,
        dirty: false, encrypted: false, backingFilename: null, fullBackingFilename: null, backingFormat: null,
        compat: null, lazyRefcounts: null, compressionType: null, corrupt: null, snapshots: [],
      },
    ]);
  });

  it('without --backing-chain: one object becomes a list of one', () => {
    const single = parseImageInfo(fixture('qemu-img-info-single-oa-disk0.json'));
    expect(single).toHaveLength(1);
    expect(single[0]).toEqual(parseImageInfo(fixture('qemu-img-info-oa-disk0.json'))[0]);
  });

  it('session web01: backed by the template; every result fits ImageInfoDto', () => {
    const chain = parseImageInfo(fixture('qemu-img-info-session-web01.json'));
    expect(chain.map((i) => i.filename)).toEqual(['/home/kscuser/images/web01.qcow2', '/home/kscuser/images/template-debian12.qcow2']);
    for (const info of chain) expect(ImageInfoDto.parse(info)).toEqual(info);
  });
});

const image = (extra: object = {}) => ({ filename: '/x.qcow2', format: 'qcow2', 'virtual-size': 1024, ...extra });
const snapshot = (extra: object = {}) => ({
  id: '2', name: 'before upgrade', 'vm-state-size': 123456, 'date-sec': 0, 'date-nsec': 999_999_999,
  'vm-clock-sec': 3725, 'vm-clock-nsec': 500_000_000, ...extra,
});

describe('parseImageInfo edge cases', () => {
  it('settles absent fields: no actual-size, no icount, encrypted and dirty', () => {
    const [img] = parseImageInfo(JSON.stringify(image({ encrypted: true, 'dirty-flag': true, snapshots: [snapshot()] })));
    expect(img).toMatchObject({ actualSize: null, clusterSize: null, encrypted: true, dirty: true });
    expect(img?.snapshots[0]).toEqual({
      id: '2', name: 'before upgrade', vmStateSize: 123456, date: '1970-01-01T00:00:00.999Z', vmClock: '01:02:05.500', icount: null,
    });
  });

  it('ignores fields it does not know (other formats, newer qemu)', () => {
    const [img] = parseImageInfo(JSON.stringify(image({ 'format-specific': { type: 'vmdk', data: { 'create-type': 'monolithicSparse' } }, children: [] })));
    expect(img).toMatchObject({ compat: null, corrupt: null });
  });

  it('formats the guest clock past a day, and rounds nanoseconds down', () => {
    expect(formatVmClock(0, 0)).toBe('00:00:00.000');
    expect(formatVmClock(59, 999_999_999)).toBe('00:00:59.999');
    expect(formatVmClock(90061, 1_000_000)).toBe('25:01:01.001');
    expect(formatVmClock(360000, 0)).toBe('100:00:00.000');
  });

  it.each([
    ['not JSON', 'qemu-img: Could not open', /not JSON/],
    ['an empty chain', '[]', /not as expected/],
    ['no virtual-size', JSON.stringify({ filename: 'x', format: 'raw' }), /virtual-size/],
    ['a string size', JSON.stringify(image({ 'virtual-size': '1024' })), /virtual-size/],
    ['a broken snapshot', JSON.stringify(image({ snapshots: [snapshot({ name: undefined })] })), /snapshots/],
  ])('refuses %s with a bad-host-output error', (_, json, message) => {
    expect(() => parseImageInfo(json)).toThrow(AppError);
    expect(() => parseImageInfo(json)).toThrow(message);
    try {
      parseImageInfo(json);
    } catch (e) {
      expect((e as AppError).code).toBe('bad-host-output');
    }
  });
});
