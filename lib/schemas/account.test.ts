import { describe, expect, it } from 'vitest';
import { CreateGrantInput, CreateTokenInput, CreateUserInput, UpdateUserInput } from './account';

const fields = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('POST /api/tokens body', () => {
  it('takes a name, an optional role and an expiry like 30d, 12h, 90m, a date or never', () => {
    for (const expires of ['30d', '12h', '90m', '2027-01-01', 'never', undefined])
      expect(CreateTokenInput.safeParse({ name: 'ci', role: 'viewer', ...(expires ? { expires } : {}) }).success, String(expires)).toBe(true);
    expect(CreateTokenInput.parse({ name: '  nightly  ' }).name).toBe('nightly');
  });

  it('refuses a blank or 101-character name, an unknown role, an expiry that is neither duration nor date, and unknown fields', () => {
    expect(fields(CreateTokenInput.safeParse({ name: '   ' }))).toEqual(['name']);
    expect(fields(CreateTokenInput.safeParse({ name: 'x'.repeat(101) }))).toEqual(['name']);
    expect(fields(CreateTokenInput.safeParse({ name: 'ci', role: 'root' }))).toEqual(['role']);
    expect(fields(CreateTokenInput.safeParse({ name: 'ci', expires: 'next week' }))).toEqual(['expires']);
    expect(fields(CreateTokenInput.safeParse({ name: 'ci', expires: '30y' }))).toEqual(['expires']);
    expect(CreateTokenInput.safeParse({ name: 'ci', user: 'someone-else' }).success).toBe(false);
  });
});

describe('POST /api/users body', () => {
  it('a name, and optionally a display name, a password of 12+ characters and a first grant', () => {
    expect(CreateUserInput.safeParse({ username: 'alice' }).success).toBe(true);
    expect(CreateUserInput.safeParse({ username: 'bob.smith@corp', displayName: 'Bob', password: 'correct horse battery', grant: { role: 'operator', hosts: ['lab', 'lab'] } }).data?.grant?.hosts).toEqual(['lab']);
  });

  it('refuses names that are not user names, short passwords, a grant on no host, unknown fields', () => {
    expect(fields(CreateUserInput.safeParse({ username: '-rf' }))).toEqual(['username']);
    expect(fields(CreateUserInput.safeParse({ username: 'a b' }))).toEqual(['username']);
    expect(fields(CreateUserInput.safeParse({ username: 'x'.repeat(65) }))).toEqual(['username']);
    expect(fields(CreateUserInput.safeParse({ username: 'alice', password: 'short' }))).toEqual(['password']);
    expect(fields(CreateUserInput.safeParse({ username: 'alice', grant: { role: 'admin', hosts: [] } }))).toEqual(['grant.hosts']);
    expect(fields(CreateUserInput.safeParse({ username: 'alice', grant: { role: 'god', hosts: '*' } }))).toEqual(['grant.role']);
    expect(CreateUserInput.safeParse({ username: 'alice', disabled: true }).success).toBe(false);
  });
});

describe('PATCH /api/users/{user} body', () => {
  it('disable/enable, display name (null clears it), a password or a generated one', () => {
    for (const b of [{ disabled: true }, { disabled: false }, { displayName: 'Al' }, { displayName: null }, { password: 'twelve chars!' }, { generatePassword: true }])
      expect(UpdateUserInput.safeParse(b).success, JSON.stringify(b)).toBe(true);
  });

  it('refuses nothing to change, both a password and a generated one, a short password, generatePassword: false, unknown fields', () => {
    expect(UpdateUserInput.safeParse({}).success).toBe(false);
    expect(fields(UpdateUserInput.safeParse({ password: 'twelve chars!', generatePassword: true }))).toEqual(['password']);
    expect(fields(UpdateUserInput.safeParse({ password: 'short' }))).toEqual(['password']);
    expect(UpdateUserInput.safeParse({ generatePassword: false }).success).toBe(false);
    expect(UpdateUserInput.safeParse({ username: 'renamed' }).success).toBe(false);
  });
});

describe('POST /api/grants body', () => {
  it('a user or a group, a role, and "*" or a non-empty list of host ids', () => {
    expect(CreateGrantInput.safeParse({ subjectKind: 'user', subject: 'alice', role: 'viewer', hosts: '*' }).success).toBe(true);
    expect(CreateGrantInput.safeParse({ subjectKind: 'group', subject: 'storage-admins', role: 'admin', hosts: ['lab', 'lab2'] }).success).toBe(true);
  });

  it('refuses another kind of subject, an empty subject, an unknown role, no hosts, a host list that is a string', () => {
    expect(fields(CreateGrantInput.safeParse({ subjectKind: 'team', subject: 'x', role: 'viewer', hosts: '*' }))).toEqual(['subjectKind']);
    expect(fields(CreateGrantInput.safeParse({ subjectKind: 'user', subject: ' ', role: 'viewer', hosts: '*' }))).toEqual(['subject']);
    expect(fields(CreateGrantInput.safeParse({ subjectKind: 'user', subject: 'alice', role: 'superuser', hosts: '*' }))).toEqual(['role']);
    expect(fields(CreateGrantInput.safeParse({ subjectKind: 'user', subject: 'alice', role: 'viewer', hosts: [] }))).toEqual(['hosts']);
    expect(fields(CreateGrantInput.safeParse({ subjectKind: 'user', subject: 'alice', role: 'viewer', hosts: 'lab' }))).toEqual(['hosts']);
    expect(fields(CreateGrantInput.safeParse({ subjectKind: 'user', subject: 'alice', role: 'viewer', hosts: [''] }))).toEqual(['hosts']);
  });
});
