import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XmlParseError } from './parse';
import { parsePoolCapabilities } from './pool-capabilities';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/lab/${name}`, import.meta.url), 'utf8');

describe('parsePoolCapabilities on the lab', () => {
  const caps = parsePoolCapabilities(fixture('pool-capabilities.xml'));
  const byType = (type: string) => caps.find((c) => c.type === type);

  it('lists every pool type once, supported or not', () => {
    const types = caps.map((c) => c.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(expect.arrayContaining(['dir', 'fs', 'netfs', 'logical', 'disk', 'iscsi', 'iscsi-direct', 'scsi', 'mpath', 'rbd']));
  });

  it('dir: volume formats, raw by default, no pool formats', () => {
    expect(byType('dir')).toMatchObject({ supported: true, defaultPoolFormat: null, poolFormats: [], defaultVolumeFormat: 'raw' });
    expect(byType('dir')?.volumeFormats).toEqual(expect.arrayContaining(['raw', 'qcow2', 'vmdk']));
  });

  it('fs: source formats, auto by default', () => {
    expect(byType('fs')).toMatchObject({ supported: true, defaultPoolFormat: 'auto' });
    expect(byType('fs')?.poolFormats).toEqual(expect.arrayContaining(['auto', 'ext4', 'xfs']));
  });

  it('logical: lvm2', () => {
    expect(byType('logical')).toMatchObject({ defaultPoolFormat: 'lvm2', poolFormats: ['unknown', 'lvm2'] });
  });

  it('iscsi-direct: supported, nothing to choose', () => {
    expect(byType('iscsi-direct')).toEqual({
      type: 'iscsi-direct', supported: true,
      defaultPoolFormat: null, poolFormats: [], defaultVolumeFormat: null, volumeFormats: [],
    });
  });

  it('an unsupported type keeps its (empty) options', () => {
    expect(byType('rbd')).toMatchObject({ supported: false, defaultVolumeFormat: 'raw', volumeFormats: [] });
  });
});

describe('parsePoolCapabilities edge cases', () => {
  it('one pool type is still a list; no pools is []', () => {
    expect(parsePoolCapabilities("<storagepoolCapabilities><pool type='dir' supported='yes'/></storagepoolCapabilities>")).toHaveLength(1);
    expect(parsePoolCapabilities('<storagepoolCapabilities/>')).toEqual([]);
  });

  it('a single enum value is a list too', () => {
    const [cap] = parsePoolCapabilities(`<storagepoolCapabilities><pool type='x' supported='yes'>
      <volOptions><enum name='targetFormatType'><value>raw</value></enum></volOptions></pool></storagepoolCapabilities>`);
    expect(cap?.volumeFormats).toEqual(['raw']);
  });

  it('refuses other documents and pool types without a type', () => {
    expect(() => parsePoolCapabilities('<capabilities/>')).toThrow(XmlParseError);
    expect(() => parsePoolCapabilities('<storagepoolCapabilities><pool/></storagepoolCapabilities>')).toThrow(/<pool type=…> is missing/);
  });
});
