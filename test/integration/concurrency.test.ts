/**
 * One pooled SSH connection per host, many commands at once: channels are limited and queued,
 * never refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '@/server/commands/command';
import { labTransport } from '../helpers/lab';

const transports: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
});

describe('concurrent commands on one SshTransport', () => {
  it('30 concurrent `sleep 0.3; echo N` all succeed over 1 connection', async () => {
    const t = labTransport('lab');
    transports.push(t);
    const stderr: string[] = [];
    const started = Date.now();
    let peakActive = 0;
    let peakQueued = 0;
    const poll = setInterval(() => {
      peakActive = Math.max(peakActive, t.stats().active);
      peakQueued = Math.max(peakQueued, t.stats().queued);
    }, 5);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, n) =>
        t.exec(command('sh', '-c', `sleep 0.3; echo ${n}`), { timeoutMs: 30_000, onStderr: (b) => stderr.push(b.toString()) }),
      ),
    );
    clearInterval(poll);
    const ms = Date.now() - started;
    console.log(`30 concurrent commands took ${ms} ms (peak ${peakActive} running, ${peakQueued} queued)`);
    const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    expect(failures.join('\n')).not.toContain('Channel open failure');
    results.forEach((r, n) => {
      expect(r.status).toBe('fulfilled');
      const v = (r as PromiseFulfilledResult<Awaited<ReturnType<typeof t.exec>>>).value;
      expect(v.stdout).toBe(`${n}\n`);
      expect(v.exitCode).toBe(0);
      expect(v.timedOut).toBe(false);
      expect(v.stderr).toBe('');
    });
    expect(stderr.join('')).toBe('');
    expect(t.stats()).toEqual({ connections: 1, execs: 30, active: 0, queued: 0 });
    // The channel limit held (8 by default) and the rest waited their turn.
    expect(peakActive).toBeLessThanOrEqual(8);
    expect(peakQueued).toBeGreaterThan(0);
    // 30 × 0.3 s in at most 8 channels is 4 waves: well under the 9 s a serial run takes.
    expect(ms).toBeGreaterThanOrEqual(4 * 300);
    expect(ms).toBeLessThan(9000);
  }, 60_000);

  it('two transports to two hosts run side by side', async () => {
    const a = labTransport('lab');
    const b = labTransport('lab2');
    transports.push(a, b);
    const who = command('sh', '-c', 'echo "$USER $(id -u)"');
    const [ra, rb] = await Promise.all([a.exec(who), b.exec(who)]);
    expect(ra.stdout.trim()).toBe('kscadmin 0'); // a UID-0 alias of root
    expect(rb.stdout.trim()).toMatch(/^kscuser [1-9]\d*$/);
  });

  // Regression: when the exec reply, the output, exit-status and close arrive in one TCP read,
  // ssh2 emits 'exit' at once; a listener attached a microtask later (after a promise) missed
  // it and a success came back with exitCode null. Listeners are now attached in ssh2's callback.
  it('the exit status of a command that finishes at once is never lost', async () => {
    const t = labTransport('lab');
    transports.push(t);
    await t.exec(command('true'));
    const codes: Array<number | null> = [];
    for (let i = 0; i < 60 && !codes.includes(null); i++) {
      const p = t.exec(command('true'));
      await new Promise((r) => setTimeout(r, i % 30));
      const end = Date.now() + 300;
      while (Date.now() < end) {
        /* keep the event loop busy while the reply arrives */
      }
      codes.push((await p).exitCode);
    }
    expect(codes.every((c) => c === 0)).toBe(true);
  }, 60_000);
});
