import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseImageInfo } from './info';
import { descriptorNameOfExtent, extractDescriptor, isInside, NO_PARENT_CID, parseDescriptor, parseMeasure, parseStatSizes, parseVmdkInfo, resolveExtent } from './vmdk-descriptor';

// Captured on this machine (qemu-img 7.2): `qemu-img create -f vmdk -o subformat=S,adapter_type=lsilogic F 64M`
// in a dir pool at /var/lib/h7-probe, then `qemu-img info --output=json`, the descriptors, `head -c 4096`.
const fx = (name: string) => readFileSync(new URL(`../../test/fixtures/vmdk/${name}`, import.meta.url));
const text = (name: string) => fx(name).toString('utf8');
const DIR = '/var/lib/h7-probe';

describe('parseVmdkInfo (qemu-img info --output=json, format-specific vmdk data)', () => {
  it('streamOptimized: one compressed grain extent, the file itself', () => {
    expect(parseVmdkInfo(text('info-streamOptimized.json'))).toEqual({
      createType: 'streamOptimized',
      cid: expect.any(Number),
      parentCid: NO_PARENT_CID,
      extents: [{ path: `${DIR}/s-streamOptimized.vmdk`, type: '', virtualSize: 64 * 1024 ** 2, compressed: true }],
    });
  });

  it('monolithicSparse: one sparse extent in the file itself (qemu prints no type for it), not compressed', () => {
    const v = parseVmdkInfo(text('info-monolithicSparse.json'));
    expect(v?.createType).toBe('monolithicSparse');
    expect(v?.extents).toEqual([{ path: `${DIR}/s-monolithicSparse.vmdk`, type: '', virtualSize: 64 * 1024 ** 2, compressed: false }]);
  });

  it('monolithicFlat: the descriptor and its -flat data file', () => {
    const v = parseVmdkInfo(text('info-monolithicFlat.json'));
    expect(v?.createType).toBe('monolithicFlat');
    expect(v?.extents).toEqual([{ path: `${DIR}/s-monolithicFlat-flat.vmdk`, type: 'FLAT', virtualSize: 64 * 1024 ** 2, compressed: false }]);
  });

  it('twoGbMaxExtentSparse and -Flat: -s001 / -f001 extents', () => {
    expect(parseVmdkInfo(text('info-twoGbMaxExtentSparse.json'))?.extents.map((e) => [e.path, e.type])).toEqual([[`${DIR}/s-twoGbMaxExtentSparse-s001.vmdk`, 'SPARSE']]);
    expect(parseVmdkInfo(text('info-twoGbMaxExtentFlat.json'))?.extents.map((e) => [e.path, e.type])).toEqual([[`${DIR}/s-twoGbMaxExtentFlat-f001.vmdk`, 'FLAT']]);
  });

  it('a raw file is not a vmdk', () => {
    expect(parseVmdkInfo(text('info-raw.json'))).toBeNull();
  });

  it('the generic ImageInfo parser still reads a vmdk (virtual size, actual size, cluster size)', () => {
    const [img] = parseImageInfo(text('info-streamOptimized.json'));
    expect(img).toMatchObject({ format: 'vmdk', virtualSize: 64 * 1024 ** 2, clusterSize: 65536, dirty: false });
  });

  it('the top image of a --backing-chain array', () => {
    const one = JSON.parse(text('info-monolithicSparse.json')) as unknown;
    expect(parseVmdkInfo(JSON.stringify([one]))?.createType).toBe('monolithicSparse');
  });
});

describe('the vmdk descriptor', () => {
  it('is found after the binary sparse header of a streamOptimized file (sector 1), up to the first NUL', () => {
    const d = extractDescriptor(fx('head-streamOptimized.bin').toString('utf8'));
    expect(d).not.toBeNull();
    expect(d!.startsWith('# Disk DescriptorFile')).toBe(true);
    expect(d).not.toContain('\u0000');
    const p = parseDescriptor(d!);
    expect(p).toMatchObject({ version: '1', createType: 'streamOptimized', parentCid: 'ffffffff', parentFileNameHint: null });
    expect(p.extents).toEqual([{ access: 'RW', sectors: 131072, type: 'SPARSE', file: 's-streamOptimized.vmdk', offset: null }]);
    expect(p.ddb).toMatchObject({ adapterType: 'lsilogic', virtualHWVersion: '4', 'geometry.heads': '255' });
  });

  it('a descriptor file of its own (monolithicFlat): the FLAT extent with its offset', () => {
    const p = parseDescriptor(extractDescriptor(text('descriptor-monolithicFlat.txt'))!);
    expect(p.createType).toBe('monolithicFlat');
    expect(p.extents).toEqual([{ access: 'RW', sectors: 131072, type: 'FLAT', file: 's-monolithicFlat-flat.vmdk', offset: 0 }]);
    expect(p.ddb.adapterType).toBe('lsilogic');
  });

  it('twoGbMaxExtentSparse: the -s001 extent', () => {
    const p = parseDescriptor(text('descriptor-twoGbMaxExtentSparse.txt'));
    expect(p.extents.map((e) => e.file)).toEqual(['s-twoGbMaxExtentSparse-s001.vmdk']);
  });

  it('VMware’s own spellings: a file starting with version=1, CRLF, parentFileNameHint, ide adapter, ZERO extent', () => {
    const d = ['version=1', 'encoding="UTF-8"', 'CID=fffffffe', 'parentCID=12ab34cd', 'createType="vmfsSparse"', 'parentFileNameHint="base.vmdk"', 'RW 4192256 VMFSSPARSE "disk-delta.vmdk"', 'RW 2048 ZERO', 'ddb.adapterType = "ide"', ''].join('\r\n');
    const p = parseDescriptor(extractDescriptor(d)!);
    expect(p).toMatchObject({ createType: 'vmfsSparse', parentCid: '12ab34cd', parentFileNameHint: 'base.vmdk', ddb: { adapterType: 'ide' } });
    expect(p.extents).toEqual([
      { access: 'RW', sectors: 4192256, type: 'VMFSSPARSE', file: 'disk-delta.vmdk', offset: null },
      { access: 'RW', sectors: 2048, type: 'ZERO', file: null, offset: null },
    ]);
  });

  it('no descriptor in a qcow2 header or plain data', () => {
    expect(extractDescriptor('QFI\u00fb\u0000\u0000\u0000\u0003')).toBeNull();
    expect(extractDescriptor('hello\n')).toBeNull();
  });
});

describe('extent paths', () => {
  it('resolve against the descriptor’s directory; absolute and ../ names can leave it', () => {
    expect(resolveExtent(`${DIR}/d.vmdk`, 'd-flat.vmdk')).toBe(`${DIR}/d-flat.vmdk`);
    expect(isInside(DIR, resolveExtent(`${DIR}/d.vmdk`, 'd-flat.vmdk'))).toBe(true);
    expect(isInside(DIR, resolveExtent(`${DIR}/d.vmdk`, '/etc/shadow'))).toBe(false);
    expect(isInside(DIR, resolveExtent(`${DIR}/d.vmdk`, '../h7-other/x.vmdk'))).toBe(false);
    expect(isInside(DIR, DIR)).toBe(false);
  });

  it('know which descriptor an extent file probably belongs to', () => {
    expect(descriptorNameOfExtent('web-flat.vmdk')).toBe('web.vmdk');
    expect(descriptorNameOfExtent('web-s001.vmdk')).toBe('web.vmdk');
    expect(descriptorNameOfExtent('web-f012.vmdk')).toBe('web.vmdk');
    expect(descriptorNameOfExtent('web-000001-delta.vmdk')).toBe('web-000001.vmdk');
    expect(descriptorNameOfExtent('web.vmdk')).toBeNull();
    expect(descriptorNameOfExtent('flat.qcow2')).toBeNull();
  });
});

describe('measure and stat', () => {
  it('qemu-img measure --output=json', () => {
    expect(parseMeasure(text('measure-streamOptimized.json'))).toEqual({ required: 327680, fullyAllocated: 67436544 });
  });

  it('stat --printf "%s %n\\n": sizes of the files that exist, names with spaces kept', () => {
    const m = parseStatSizes('67108864 /p/a-flat.vmdk\n1024 /p/my disk-f001.vmdk\n');
    expect([...m]).toEqual([
      ['/p/a-flat.vmdk', 67108864],
      ['/p/my disk-f001.vmdk', 1024],
    ]);
  });
});
