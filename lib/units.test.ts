import { describe, expect, it } from 'vitest';
import { parseSize, toQemuSize } from './units';

describe('sizes with units', () => {
  it('reads qemu-img suffixes as powers of 1024', () => {
    expect(parseSize('10G')).toBe(10 * 1024 ** 3);
    expect(parseSize('512M')).toBe(512 * 1024 ** 2);
    expect(parseSize('1.5T')).toBe(1.5 * 1024 ** 4);
    expect(parseSize('4k')).toBe(4096);
    expect(parseSize('2 GiB')).toBe(2 * 1024 ** 3);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize(1024)).toBe(1024);
  });
  it('refuses what is not a size', () => {
    for (const bad of ['', 'G', '-1G', '1X', '1e9', '1G; rm', '0x10']) expect(parseSize(bad)).toBeNull();
    expect(parseSize(-1)).toBeNull();
    expect(parseSize(1.5)).toBeNull();
  });
  it('writes the shortest exact form', () => {
    expect(toQemuSize(10 * 1024 ** 3)).toBe('10G');
    expect(toQemuSize(1536)).toBe('1536');
    expect(toQemuSize(1536 * 1024)).toBe('1536K');
  });
});
