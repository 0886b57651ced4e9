import { describe, expect, it } from 'vitest';
import { gateOf, roleFor } from './me';

// The one rule every action button follows (lib/api/me.ts): shown when allowed; hidden for a
// viewer; disabled with the reason for an operator facing an admin's action.
describe('gateOf', () => {
  it('an allowed action is shown and enabled', () => {
    expect(gateOf('operator', 'operator', 'lab')).toEqual({ show: true, disabled: false, why: null });
    expect(gateOf('admin', 'admin', 'lab')).toEqual({ show: true, disabled: false, why: null });
  });
  it('a viewer (or someone without a role on the host) sees no write button', () => {
    expect(gateOf('viewer', 'operator', 'lab').show).toBe(false);
    expect(gateOf('viewer', 'admin', 'lab').show).toBe(false);
    expect(gateOf(null, 'operator', 'lab').show).toBe(false);
  });
  it('an operator sees an admin’s action disabled, with the reason', () => {
    expect(gateOf('operator', 'admin', 'lab')).toEqual({ show: true, disabled: true, why: 'Needs the admin role on lab (you are operator)' });
  });
});

describe('roleFor asks the permission table', () => {
  const V = '/api/hosts/[host]/pools/[pool]/volumes/[volume]';
  it('resize is an operator’s, a shrink (guarded) an admin’s; wipe, rebase, commit by their path segment', () => {
    expect(roleFor(`POST ${V}/[op]`, { op: 'resize' })).toBe('operator');
    expect(roleFor(`POST ${V}/[op]`, { op: 'resize' }, { guarded: true })).toBe('admin');
    for (const op of ['wipe', 'rebase', 'commit', 'amend']) expect(roleFor(`POST ${V}/[op]`, { op })).toBe('admin');
    expect(roleFor(`DELETE ${V}`)).toBe('admin');
    expect(roleFor(`GET ${V}/content`)).toBe('operator');
  });
  it('pool build is an admin’s, start/stop an operator’s', () => {
    expect(roleFor('POST /api/hosts/[host]/pools/[pool]/[action]', { action: 'build' })).toBe('admin');
    expect(roleFor('POST /api/hosts/[host]/pools/[pool]/[action]', { action: 'stop' })).toBe('operator');
  });
});
