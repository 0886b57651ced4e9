import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSnapshotXml, parseSnapshotXml } from './snapshot';

// Fixtures: snapshot-dumpxml captured on the lab (libvirt 9.0), the embedded domain shortened.
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/lab/${name}`, import.meta.url), 'utf8');

describe('parseSnapshotXml', () => {
  it('an internal checkpoint of a running VM', () => {
    expect(parseSnapshotXml(fixture('snapshot-internal-s1.xml'))).toEqual({
      name: 's1', description: 'first one', parent: null, creationTime: 1795654789, state: 'running', memory: 'internal',
      disks: [{ name: 'vda', snapshot: 'internal', file: null }, { name: 'vdb', snapshot: 'internal', file: null }],
    });
  });
  it('an external disk-only snapshot: overlay files per disk, parent, and not the embedded domain’s disks', () => {
    const s = parseSnapshotXml(fixture('snapshot-external-x1.xml'));
    expect(s).toMatchObject({ name: 'x1', parent: 's2', state: 'disk-snapshot', memory: 'no', description: null });
    expect(s.disks).toEqual([
      { name: 'vda', snapshot: 'external', file: '/var/lib/ksc-t5/exp-root.x1.qcow2' },
      { name: 'vdb', snapshot: 'external', file: '/var/lib/ksc-t5/exp-data.x1.qcow2' },
    ]);
  });
});

describe('buildSnapshotXml', () => {
  it('escapes every value and round-trips through the parser', () => {
    const xml = buildSnapshotXml({
      name: 'a&b',
      description: `it's <x> "y"`,
      memory: 'no',
      disks: [{ target: 'vda', snapshot: 'external', file: "/d/o'k & <no>.qcow2" }, { target: 'vdb', snapshot: 'no' }],
    });
    expect(xml).not.toMatch(/<x>|o'k/);
    const back = parseSnapshotXml(xml.replace('</domainsnapshot>', '<creationTime>1</creationTime></domainsnapshot>'));
    expect(back).toMatchObject({ name: 'a&b', description: `it's <x> "y"`, memory: 'no' });
    expect(back.disks).toEqual([{ name: 'vda', snapshot: 'external', file: "/d/o'k & <no>.qcow2" }, { name: 'vdb', snapshot: 'no', file: null }]);
  });
  it('refuses what XML cannot carry', () => {
    expect(() => buildSnapshotXml({ name: 'a\u0001', memory: 'no', disks: [] })).toThrow(/cannot be written in XML/);
  });
});
