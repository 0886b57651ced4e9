import { afterEach, describe, expect, it, vi } from 'vitest';
import { usernameFor } from './oidc-account';
import { oidcSettings } from './oidc-config';
import { groupsFrom, safeNext } from './oidc';
import { parseRoleMap, roleMapGrants } from './oidc-roles';

// The pure parts of single sign-on; the flow itself is tested against a real provider in
// app/api/auth/oidc/oidc.test.ts.
const env = { ...process.env };
afterEach(() => {
  process.env = { ...env };
  vi.restoreAllMocks();
});

describe('KSC_OIDC_ROLE_MAP', () => {
  it('parses group=role pairs; a malformed entry is reported, not guessed', () => {
    expect(parseRoleMap(' ksc-admins=admin, ksc-ops = Operator ,,team=x,role=y=viewer')).toEqual({
      entries: [
        { group: 'ksc-admins', role: 'admin' },
        { group: 'ksc-ops', role: 'operator' },
        { group: 'role=y', role: 'viewer' }, // the role is after the last "="
      ],
      problems: ['“team=x” is not GROUP=viewer|operator|admin'],
    });
    expect(parseRoleMap(undefined)).toEqual({ entries: [], problems: [] });
    expect(parseRoleMap('x=root').problems).toHaveLength(1);
  });

  it('gives every-host grants for the groups a session has, none without groups', () => {
    process.env.KSC_OIDC_ROLE_MAP = 'ksc-admins=admin,ksc-viewers=viewer,bad';
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(roleMapGrants([])).toEqual([]);
    expect(roleMapGrants(['staff'])).toEqual([]);
    expect(roleMapGrants(['ksc-viewers', 'ksc-admins']).map((g) => [g.subject, g.role, g.hosts])).toEqual([
      ['ksc-admins', 'admin', '*'],
      ['ksc-viewers', 'viewer', '*'],
    ]);
    delete process.env.KSC_OIDC_ROLE_MAP;
    expect(roleMapGrants(['ksc-admins'])).toEqual([]);
  });
});

describe('safeNext', () => {
  it('keeps a path on this console, with its query and fragment', () => {
    expect(safeNext('/hosts/lab?tab=pools#x')).toBe('/hosts/lab?tab=pools#x');
    expect(safeNext('/')).toBe('/');
  });
  it('anything else becomes /', () => {
    for (const v of [null, '', 'hosts', 'https://evil.example/', '//evil.example', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)', '/login', '/login?error=x', '/api/auth/oidc/start'])
      expect(safeNext(v), String(v)).toBe('/');
  });
});

describe('groups claim', () => {
  it('an array, a single string, or a dotted path into objects', () => {
    expect(groupsFrom({ groups: ['a', 'b', 'a', 3, ''] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsFrom({ groups: 'solo' }, 'groups')).toEqual(['solo']);
    expect(groupsFrom({ realm_access: { roles: ['ksc-admins'] } }, 'realm_access.roles')).toEqual(['ksc-admins']);
    expect(groupsFrom({ 'https://example.com/groups': ['x'] }, 'https://example.com/groups')).toEqual(['x']);
    expect(groupsFrom({}, 'groups')).toBeNull();
    expect(groupsFrom({ realm_access: {} }, 'realm_access.roles')).toBeNull();
  });
});

describe('settings', () => {
  it('off without an issuer and a client id; https unless loopback; the redirect URL from KSC_PUBLIC_URL', () => {
    expect(oidcSettings({})).toBeNull();
    expect(oidcSettings({ KSC_OIDC_ISSUER: 'https://id.example' })).toBeNull();
    const s = oidcSettings({ KSC_OIDC_ISSUER: 'https://id.example/realms/x', KSC_OIDC_CLIENT_ID: 'ksc', KSC_PUBLIC_URL: 'https://kvm.example/' })!;
    expect(s).toMatchObject({ clientId: 'ksc', clientSecret: null, redirectUrl: 'https://kvm.example/api/auth/oidc/callback', groupsClaim: 'groups', label: 'single sign-on', insecure: false });
    expect(oidcSettings({ KSC_OIDC_ISSUER: 'http://127.0.0.1:3199', KSC_OIDC_CLIENT_ID: 'ksc' })).toMatchObject({ insecure: true, redirectUrl: null });
    expect(() => oidcSettings({ KSC_OIDC_ISSUER: 'http://id.example', KSC_OIDC_CLIENT_ID: 'ksc' })).toThrow(/https/);
    expect(() => oidcSettings({ KSC_OIDC_ISSUER: 'not a url', KSC_OIDC_CLIENT_ID: 'ksc' })).toThrow(/not a URL/);
  });
});

describe('user name of a new identity', () => {
  it('preferred_username, else email, else sub — the first the console accepts', () => {
    expect(usernameFor({ preferredUsername: 'olivia', email: 'o@x.example', sub: '1' })).toBe('olivia');
    expect(usernameFor({ preferredUsername: 'Olivia Smith', email: 'olivia@x.example', sub: '1' })).toBe('olivia@x.example');
    expect(usernameFor({ preferredUsername: null, email: null, sub: 'f81d4fae-7dec' })).toBe('f81d4fae-7dec');
    expect(usernameFor({ preferredUsername: ' ', email: null, sub: '|||' })).toBeNull();
  });
});
