/**
 * A timeout or an abort must kill the remote process (group), not just close the channel:
 * closing an SSH channel without a pty leaves the remote command running.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { command, type Invocation } from '@/server/commands/command';
import type { SshTransport } from '@/server/transport/ssh';
import { labTransport } from '../helpers/lab';
import { until } from '../helpers/until';

let lab: SshTransport;
const checker = () => (lab ??= labTransport('lab'));
afterAll(async () => {
  await lab?.close();
});

/** A unique sleep length, e.g. 300.4817263: it marks the processes of one test. */
const uniqueSleep = () => `300.${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

/** Remote pids whose command line contains `needle`, by a separate command over SSH. */
async function remotePids(needle: string): Promise<string[]> {
  // `[3]00.123` matches "300.123" but not this pgrep's own command line (nor its parent shells').
  const pattern = needle.replace(/^./, (c) => `[${c}]`).replace(/\./g, '[.]');
  const r = await checker().exec(command('pgrep', '-f', pattern), { timeoutMs: 10_000 });
  expect([0, 1], r.stderr).toContain(r.exitCode); // 1: none found
  return r.stdout.split('\n').filter(Boolean);
}

/** Wait until no remote process matches, up to `ms`; returns the pids still there. */
async function gone(needle: string, ms = 3000): Promise<string[]> {
  let left: string[] = [];
  await until(async () => (left = await remotePids(needle)).length === 0, { timeoutMs: ms, intervalMs: 200 }).catch(() => {});
  return left;
}

/** Run `inv`, see its process on the host (then call `onSeen`), and wait for the result. */
async function whileRunning(t: SshTransport, inv: Invocation, needle: string, opts: { timeoutMs?: number; signal?: AbortSignal }, onSeen?: () => void) {
  const started = Date.now();
  const p = t.exec(inv, opts);
  // The check must be able to fail: the process is seen while it runs.
  const seen = await until(async () => (await remotePids(needle)).length > 0, { timeoutMs: 5000, what: `${needle} running on the host` }).catch(() => false);
  expect(seen, `never saw ${needle} running`).toBe(true);
  onSeen?.();
  const r = await p;
  return { r, ms: Date.now() - started };
}

describe('timeouts and aborts kill the remote command', () => {
  it('timeoutMs 1000 on `sleep 300.x`: timedOut, and no process is left', async () => {
    const t = labTransport('lab');
    try {
      const mark = uniqueSleep();
      const { r, ms } = await whileRunning(t, command('sleep', mark), mark, { timeoutMs: 1000 });
      expect(r.timedOut).toBe(true);
      expect(r.aborted).toBe(false);
      expect(r.exitCode).not.toBe(0);
      expect(ms).toBeGreaterThanOrEqual(1000);
      expect(ms).toBeLessThan(6000);
      expect(await gone(mark)).toEqual([]);
    } finally {
      await t.close();
    }
  }, 30_000);

  it("timeout on a shell that would print after sleeping (`sh -c 'sleep 300.x; echo MARK'`)", async () => {
    const t = labTransport('lab');
    try {
      const mark = uniqueSleep();
      const { r } = await whileRunning(t, command('sh', '-c', `sleep ${mark}; echo done-${mark}`), mark, { timeoutMs: 1000 });
      expect(r.timedOut).toBe(true);
      expect(r.stdout).not.toContain('done-');
      expect(await gone(mark)).toEqual([]);
    } finally {
      await t.close();
    }
  }, 30_000);

  it('timeout on a pipeline kills every command of it', async () => {
    const t = labTransport('lab');
    try {
      const a = uniqueSleep();
      const b = uniqueSleep();
      const pipeline = [command('sh', '-c', `sleep ${a}; echo x`), command('sh', '-c', `cat; sleep ${b}`)];
      const { r } = await whileRunning(t, pipeline, a, { timeoutMs: 1000 });
      expect(r.timedOut).toBe(true);
      expect(await gone(a)).toEqual([]);
      expect(await gone(b)).toEqual([]);
    } finally {
      await t.close();
    }
  }, 30_000);

  it('an AbortSignal kills the remote command', async () => {
    const t = labTransport('lab');
    try {
      const mark = uniqueSleep();
      const ac = new AbortController();
      // Aborted once the process is seen running on the host (not after a guessed delay).
      const { r, ms } = await whileRunning(t, command('sleep', mark), mark, { signal: ac.signal, timeoutMs: 60_000 }, () => ac.abort());
      expect(r.aborted).toBe(true);
      expect(r.timedOut).toBe(false);
      expect(ms).toBeLessThan(6000);
      expect(await gone(mark)).toEqual([]);
    } finally {
      await t.close();
    }
  }, 30_000);

  it('an already-aborted signal runs nothing that stays', async () => {
    const t = labTransport('lab');
    try {
      const mark = uniqueSleep();
      const ac = new AbortController();
      ac.abort();
      const r = await t.exec(command('sleep', mark), { signal: ac.signal });
      expect(r.aborted).toBe(true);
      expect(await gone(mark)).toEqual([]);
    } finally {
      await t.close();
    }
  }, 30_000);

  it('the connection stays usable after a kill', async () => {
    const t = labTransport('lab');
    try {
      const mark = uniqueSleep();
      const r = await t.exec(command('sleep', mark), { timeoutMs: 500 });
      expect(r.timedOut).toBe(true);
      const after = await t.exec(command('printf', 'ok'));
      expect(after.stdout).toBe('ok');
      expect(t.stats().connections).toBe(1);
      expect(await gone(mark)).toEqual([]);
    } finally {
      await t.close();
    }
  }, 30_000);
});
