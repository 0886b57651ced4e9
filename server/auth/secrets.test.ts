import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblem, sameHash, sha256, verifyPassword } from './secrets';

describe('passwords', () => {
  it('are hashed as argon2id PHC strings (OWASP parameters), salted, and verified', async () => {
    const pw = 'correct horse battery';
    const phc = await hashPassword(pw);
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(phc).not.toContain(pw);
    expect(await hashPassword(pw)).not.toBe(phc); // a new salt each time
    expect(await verifyPassword(phc, pw)).toBe(true);
    expect(await verifyPassword(phc, 'correct horse battery ')).toBe(false);
    expect(await verifyPassword(phc, '')).toBe(false);
  });

  it('no hash (an unknown user, an OIDC-only account) or a malformed one is false, never an error', async () => {
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword('not-a-phc-string', 'anything at all')).toBe(false);
  });

  it('need 12..1024 characters; generated ones are 20 from an unambiguous alphabet', () => {
    expect(passwordProblem('short')).toMatch(/12 characters/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/1024/);
    expect(passwordProblem('twelve chars')).toBeNull();
    const g = generatePassword();
    expect(g).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
    expect(generatePassword()).not.toBe(g);
  });

  it('secret comparisons are by hash, in constant time', () => {
    expect(sameHash(sha256('a'), sha256('a'))).toBe(true);
    expect(sameHash(sha256('a'), sha256('b'))).toBe(false);
    expect(sameHash(sha256('a'), 'abcd')).toBe(false);
  });
});
