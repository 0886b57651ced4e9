/**
 * Shared set-up of the injection suites (over REAL SSH): the lab transports, the payload corpus
 * and its marker file. A payload that ran would create the marker; the lab host is this machine,
 * so "nothing ran" is checked on the local filesystem — after every property and at the end.
 * The exported `let`s are live bindings, set in beforeAll.
 */
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { command } from '@/server/commands/command';
import type { SshTransport } from '@/server/transport/ssh';
import { labTransport, rand, sysVirsh } from './lab';
import { pwnPayloads } from './strings';

export const PWNED = `/tmp/ksc-pwned-${rand()}`;
export const PAYLOADS = pwnPayloads(PWNED);
export const URI = 'qemu:///system';

export let lab: SshTransport;
export let lab2: SshTransport;
export let hostname = '';
export let knownPools: Set<string>;
let tested = 0;

/** Count hostile strings that made the round trip (reported when the file ends). */
export const countTested = (n: number) => {
  tested += n;
};

export const nothingRan = () => expect(existsSync(PWNED), `${PWNED} exists: a payload was executed`).toBe(false);

/** Register the suite's hooks: open both lab transports; at the end, close them and check the marker. */
export function setupInjectionLab(suite: string) {
  beforeAll(async () => {
    lab = labTransport('lab');
    lab2 = labTransport('lab2');
    hostname = (await lab.exec(command('hostname'))).stdout.trim();
    expect(hostname).not.toBe('');
    const names = (await sysVirsh('pool-list', '--all', '--name')).split('\n').filter(Boolean);
    const uuids = (await sysVirsh('pool-list', '--all', '--uuid')).split('\n').filter(Boolean);
    knownPools = new Set([...names, ...uuids]);
  });

  afterAll(async () => {
    await lab?.close();
    await lab2?.close();
    console.log(`injection corpus (${suite}): ${tested} hostile strings round-tripped`);
    const ran = existsSync(PWNED);
    rmSync(PWNED, { force: true });
    expect(ran, `${PWNED} exists: a payload was executed`).toBe(false);
  });
}

/** exec and keep stdout's raw bytes (not a decoded string) for a byte-exact comparison. */
export async function execBytes(t: SshTransport, args: string[]): Promise<{ bytes: Buffer; exitCode: number | null; stderr: string }> {
  const chunks: Buffer[] = [];
  const r = await t.exec(command('printf', ...args), { onStdout: (b) => chunks.push(b), timeoutMs: 30_000 });
  return { bytes: Buffer.concat(chunks), exitCode: r.exitCode, stderr: r.stderr };
}

/** virsh's `echo` joins its arguments with spaces and adds a newline; the frame drops trailing blank lines. */
export const echoed = (s: string) => s.replace(/\n+$/, '');
/** A frame whose last lines start with `error: ` is read as the call failing (stderr is merged). */
export const looksLikeError = (s: string) => /(^|\n)error: [^\n]*$/.test(echoed(s));
