import 'server-only';
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Passwords: argon2id (@node-rs/argon2, OWASP's 19 MiB / t=2 / p=1 defaults), PHC strings.
 * Session ids and API tokens: 32 random bytes; only their sha256 is stored (they are random, so a
 * fast hash is the right one — a stolen database holds nothing to sign in with).
 */
const ARGON = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD = 12;

export function passwordProblem(pw: string): string | null {
  if (pw.length < MIN_PASSWORD) return `A password needs at least ${MIN_PASSWORD} characters`;
  if (pw.length > 1024) return 'A password may have at most 1024 characters';
  return null;
}

export const hashPassword = (pw: string) => hash(pw, ARGON);

// A real hash of a random password: verifying against it for an unknown user costs the same as for a known one.
let dummy: Promise<string> | null = null;
export async function verifyPassword(phc: string | null, pw: string): Promise<boolean> {
  if (!phc) {
    dummy ??= hash(randomBytes(16).toString('hex'), ARGON);
    await verify(await dummy, pw).catch(() => false);
    return false;
  }
  return verify(phc, pw).catch(() => false);
}

export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A generated password for first-run accounts (demo): 20 characters from a 62-letter alphabet. */
export function generatePassword(len = 20): string {
  const abc = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const out: string[] = [];
  while (out.length < len) for (const b of randomBytes(len * 2)) if (b < 256 - (256 % abc.length) && out.length < len) out.push(abc[b % abc.length]!);
  return out.join('');
}
