import { describe, expect, it } from 'vitest';
import { naturalCompare } from './natural-sort';

const sorted = (xs: string[]) => [...xs].sort(naturalCompare);

describe('naturalCompare', () => {
  it('orders numbers by value', () => {
    expect(sorted(['vm10', 'vm2', 'vm1'])).toEqual(['vm1', 'vm2', 'vm10']);
    expect(sorted(['disk-10.qcow2', 'disk-9.qcow2', 'disk-100.qcow2'])).toEqual([
      'disk-9.qcow2',
      'disk-10.qcow2',
      'disk-100.qcow2',
    ]);
  });

  it('compares digit runs longer than a double can hold', () => {
    expect(naturalCompare('x123456789012345678901', 'x123456789012345678902')).toBeLessThan(0);
    expect(naturalCompare('x99999999999999999999', 'x100000000000000000000')).toBeLessThan(0);
  });

  it('ignores case first, then breaks ties deterministically', () => {
    expect(sorted(['b', 'A', 'a', 'B'])).toEqual(['A', 'a', 'B', 'b']);
    expect(naturalCompare('Vm1', 'vm2')).toBeLessThan(0);
  });

  it('puts fewer leading zeros first among equal numbers', () => {
    expect(sorted(['a01', 'a1', 'a001'])).toEqual(['a1', 'a01', 'a001']);
    expect(sorted(['a02', 'a1'])).toEqual(['a1', 'a02']);
  });

  it('puts a prefix before its extensions', () => {
    expect(sorted(['vm1.qcow2', 'vm1', 'vm'])).toEqual(['vm', 'vm1', 'vm1.qcow2']);
  });

  it('is 0 only for identical strings and antisymmetric', () => {
    const xs = ['', 'a', 'A', 'a1', 'a01', 'a 1', 'é', 'z', '10', '9', 'vm#1', 'vm?2', '日本'];
    for (const x of xs)
      for (const y of xs) {
        const c = naturalCompare(x, y);
        expect(c === 0).toBe(x === y);
        expect(Math.sign(c) + Math.sign(naturalCompare(y, x))).toBe(0);
      }
  });

  it('is transitive on a mixed sample', () => {
    const xs = sorted(['f10b', 'f1b', 'f01', 'F2', 'f2a', 'f', 'f10', 'f9z', 'g', '1', '01', 'A1']);
    for (let i = 0; i + 1 < xs.length; i++) expect(naturalCompare(xs[i]!, xs[i + 1]!)).toBeLessThan(0);
  });
});
