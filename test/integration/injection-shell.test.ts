/**
 * Injection corpus, part 1: hostile strings reach `printf` byte for byte through the SSH login
 * shell and `sh -c` (root and an unprivileged user), and nothing in them runs.
 */
import { existsSync, rmSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { command } from '@/server/commands/command';
import { countTested, execBytes, lab, lab2, nothingRan, PAYLOADS, PWNED, setupInjectionLab } from '../helpers/injection';
import { anyHostile } from '../helpers/strings';

setupInjectionLab('injection-shell');

describe('the remote shell (printf over SshTransport)', () => {
  it('printf %s s returns s byte for byte (lab, root)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyHostile(PAYLOADS), { minLength: 8, maxLength: 8 }), async (values) => {
        const results = await Promise.all(values.map((s) => execBytes(lab, ['%s', s])));
        results.forEach((r, i) => {
          const s = values[i]!;
          expect(r.stderr, JSON.stringify(s)).toBe('');
          expect(r.exitCode, JSON.stringify(s)).toBe(0);
          expect(r.bytes.equals(Buffer.from(s, 'utf8')), `${JSON.stringify(s)} came back as ${JSON.stringify(r.bytes.toString())}`).toBe(true);
        });
        countTested(values.length);
        nothingRan();
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 120_000);

  it('printf %s s returns s byte for byte (lab2, unprivileged user)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyHostile(PAYLOADS), { minLength: 8, maxLength: 8 }), async (values) => {
        const results = await Promise.all(values.map((s) => execBytes(lab2, ['%s', s])));
        results.forEach((r, i) => {
          const s = values[i]!;
          expect(r.stderr, JSON.stringify(s)).toBe('');
          expect(r.exitCode, JSON.stringify(s)).toBe(0);
          expect(r.bytes.equals(Buffer.from(s, 'utf8')), JSON.stringify(s)).toBe(true);
        });
        countTested(values.length);
        nothingRan();
      }),
      { numRuns: 8, endOnFailure: true },
    );
  }, 120_000);

  it('many hostile arguments in one command each arrive as one argv element', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyHostile(PAYLOADS), { minLength: 20, maxLength: 60, size: 'max' }), async (values) => {
        // NUL-terminated so that argument boundaries are visible in the output.
        const r = await execBytes(lab, ['%s\\0', ...values]);
        expect(r.exitCode).toBe(0);
        const parts = r.bytes.toString('utf8').split('\0');
        expect(parts.pop()).toBe('');
        expect(parts).toEqual(values);
        countTested(values.length);
        nothingRan();
      }),
      { numRuns: 30, endOnFailure: true },
    );
  }, 120_000);

  it('every known payload, alone, is printed and not run', async () => {
    const r = await execBytes(lab, ['%s\\0', ...PAYLOADS]);
    expect(r.exitCode).toBe(0);
    expect(r.bytes.toString('utf8').split('\0').slice(0, -1)).toEqual(PAYLOADS);
    countTested(PAYLOADS.length);
    nothingRan();
    // The check itself can fail: the same file, created for real, is seen.
    const probe = `${PWNED}-probe`;
    await lab.exec(command('touch', probe));
    expect(existsSync(probe)).toBe(true);
    rmSync(probe);
  });
});
