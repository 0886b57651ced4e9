import { describe, expect, it } from 'vitest';
import { fillLevel, formatBytes, formatCount, formatPercent, formatRatio, percent } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [512 * 1024 ** 2, '512 MiB'],
    [1024 ** 3, '1.0 GiB'],
    [10.5 * 1024 ** 3, '10.5 GiB'],
    [99.94 * 1024 ** 3, '99.9 GiB'],
    [100 * 1024 ** 3, '100 GiB'],
    [1024 ** 4, '1.0 TiB'],
    [2 * 1024 ** 5, '2.0 PiB'],
  ])('%d → %s', (n, s) => {
    expect(formatBytes(n)).toBe(s);
  });

  it('never shows 1024 of a unit', () => {
    expect(formatBytes(1024 ** 3 - 1)).toBe('1.0 GiB');
    expect(formatBytes(1023.7 * 1024 ** 2)).toBe('1.0 GiB');
  });

  it('handles odd input', () => {
    expect(formatBytes(-2048)).toBe('-2.0 KiB');
    expect(formatBytes(Number.NaN)).toBe('—');
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('always labels the unit with IEC symbols', () => {
    for (let e = 0; e < 60; e += 3) expect(formatBytes(2 ** e)).toMatch(/^\d+(\.\d)? (B|KiB|MiB|GiB|TiB|PiB|EiB)$/);
  });
});

describe('percent', () => {
  it('divides and scales', () => {
    expect(percent(1, 4)).toBe(25);
    expect(percent(3, 2)).toBe(150);
  });
  it('is null for an unknown whole', () => {
    expect(percent(1, 0)).toBeNull();
    expect(percent(1, -1)).toBeNull();
    expect(percent(Number.NaN, 1)).toBeNull();
  });
  it('formats', () => {
    expect(formatPercent(1, 3)).toBe('33%');
    expect(formatPercent(1, 1000)).toBe('<1%');
    expect(formatPercent(0, 10)).toBe('0%');
    expect(formatPercent(5, 0)).toBe('—');
    expect(formatPercent(18, 10)).toBe('180%');
  });
});

describe('fillLevel', () => {
  it('follows calm < 70 % ≤ warn < 90 % ≤ full', () => {
    expect(fillLevel(69, 100)).toBe('calm');
    expect(fillLevel(70, 100)).toBe('warn');
    expect(fillLevel(89.9, 100)).toBe('warn');
    expect(fillLevel(90, 100)).toBe('full');
    expect(fillLevel(5, 0)).toBe('calm');
  });
});

describe('small formatters', () => {
  it('ratio and count', () => {
    expect(formatRatio(18, 10)).toBe('1.8×');
    expect(formatRatio(1, 0)).toBe('—');
    expect(formatCount(10000)).toBe('10,000');
    expect(formatCount(999)).toBe('999');
  });
});
