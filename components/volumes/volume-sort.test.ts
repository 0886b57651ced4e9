import { describe, expect, it } from 'vitest';
import type { VolumeDto } from '@/lib/schemas';
import { filterVolumes, haystack, sortVolumes } from './volume-sort';

const vol = (name: string, capacity: number, extra: Partial<VolumeDto> = {}): VolumeDto => ({
  name,
  pool: 'p',
  key: `/p/${name}`,
  path: `/p/${name}`,
  type: 'file',
  format: 'qcow2',
  capacity,
  allocation: capacity / 2,
  physical: null,
  backingStore: null,
  encryption: null,
  usedBy: [],
  ...extra,
});

const vols = [
  vol('vm10', 3),
  vol('vm2', 1, { backingStore: { path: '/p/base.qcow2', format: 'qcow2' } }),
  vol('vm1', 2, { usedBy: ['web01'] }),
];

describe('volume table sorting and filtering', () => {
  it('sorts names naturally, both ways', () => {
    expect(sortVolumes(vols, 'name', 'asc').map((v) => v.name)).toEqual(['vm1', 'vm2', 'vm10']);
    expect(sortVolumes(vols, 'name', 'desc').map((v) => v.name)).toEqual(['vm10', 'vm2', 'vm1']);
  });
  it('sorts numbers by value', () => {
    expect(sortVolumes(vols, 'capacity', 'desc').map((v) => v.name)).toEqual(['vm10', 'vm1', 'vm2']);
  });
  it('puts missing values last in either direction', () => {
    expect(sortVolumes(vols, 'backing', 'asc')[0]!.name).toBe('vm2');
    expect(sortVolumes(vols, 'backing', 'desc')[0]!.name).toBe('vm2');
    expect(sortVolumes(vols, 'usedBy', 'desc')[0]!.name).toBe('vm1');
  });
  it('filters on every term across name, backing file and VMs', () => {
    const h = vols.map(haystack);
    expect(filterVolumes(vols, h, 'BASE').map((v) => v.name)).toEqual(['vm2']);
    expect(filterVolumes(vols, h, 'web01 vm1').map((v) => v.name)).toEqual(['vm1']);
    expect(filterVolumes(vols, h, '  ')).toHaveLength(3);
  });
});
