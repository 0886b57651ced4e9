import { describe, expect, it } from 'vitest';
import { guard, guardError, HAZARDS, type ConfirmableHazard, type Hazard } from './guards';

describe('the hazard table', () => {
  const typed = (Object.keys(HAZARDS) as Hazard[]).filter((h): h is ConfirmableHazard => HAZARDS[h].typed !== null);
  const untyped = (Object.keys(HAZARDS) as Hazard[]).filter((h) => !HAZARDS[h].typed);

  it.each(typed)('%s: refused with the one 409 body until the name is typed', (hazard) => {
    const refuse = () => guard({ hazard, name: 'obj', confirm: undefined, affected: ['x'] });
    expect(refuse).toThrow();
    try {
      refuse();
    } catch (e) {
      expect(e).toMatchObject({ status: 409, code: hazard });
      expect((e as { toJSON(): unknown }).toJSON()).toEqual({ code: hazard, message: expect.any(String), detail: { confirmWith: 'obj', affected: ['x'] } });
    }
    expect(() => guard({ hazard, name: 'obj', confirm: 'ob', affected: ['x'] })).toThrow(/did not match “obj”/);
    expect(() => guard({ hazard, name: 'obj', confirm: 'obj' })).not.toThrow();
  });

  it.each(untyped)('%s: no name lifts it (no confirmWith)', (hazard) => {
    expect(() => guard({ hazard: hazard as ConfirmableHazard, name: 'obj', confirm: 'obj' })).toThrow();
    expect(guardError({ hazard, name: 'obj', affected: { usedBy: ['vm1'] } }).toJSON()).toEqual({ code: hazard, message: expect.any(String), detail: { affected: { usedBy: ['vm1'] } } });
  });
});
