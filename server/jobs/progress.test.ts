import { describe, expect, it } from 'vitest';
import { progressParser } from './progress';

describe('qemu-img -p progress', () => {
  it('reads the last percentage of each chunk, across chunk boundaries', () => {
    const p = progressParser();
    expect(p('    (0.00/100%)\r')).toBe(0);
    expect(p('    (1.01/100%)\r    (2.5')).toBe(1.01);
    expect(p('0/100%)\r')).toBe(2.5);
    expect(p('nothing')).toBeNull();
    expect(p('    (100.00/100%)\r\n')).toBe(100);
  });
});
