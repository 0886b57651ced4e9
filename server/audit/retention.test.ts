import { describe, expect, it } from 'vitest';
import { auditDays, PRUNE_EVERY_MS } from './retention';

describe('audit retention settings', () => {
  it('KSC_AUDIT_DAYS: 365 by default; a positive number as given; a typo keeps the default rather than wiping the log', () => {
    expect(auditDays({})).toBe(365);
    expect(auditDays({ KSC_AUDIT_DAYS: '30' })).toBe(30);
    expect(auditDays({ KSC_AUDIT_DAYS: ' 7 ' })).toBe(7);
    expect(auditDays({ KSC_AUDIT_DAYS: '0.5' })).toBe(0.5);
    for (const bad of ['', '0', '-3', 'a year', 'NaN', 'Infinity']) expect(auditDays({ KSC_AUDIT_DAYS: bad })).toBe(365);
  });
  it('prunes every 6 hours', () => {
    expect(PRUNE_EVERY_MS).toBe(6 * 3600 * 1000);
  });
});
