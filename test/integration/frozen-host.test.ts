/**
 * A host that stops answering (kill -STOP of its sshd) must be reported `unreachable` within
 * seconds — on an established connection (SSH keepalive) and on a new one (handshake timeout) —
 * while other hosts keep working. The lab is never left frozen: every stopped pid gets SIGCONT
 * in a finally block, in afterAll, and from a detached watchdog should this process die.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '@/server/commands/command';
import { TransportError } from '@/server/transport/errors';
import { descendants, labTransport, localSync, sshdPid } from '../helpers/lab';

const stopped = new Set<number>();
let watchdog: ChildProcess | null = null;

function freeze(pids: number[]): void {
  // Whatever happens to this test process, the pids are continued within 30 s.
  watchdog = spawn('/bin/sh', ['-c', `sleep 30; kill -CONT ${pids.join(' ')} 2>/dev/null`], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  for (const pid of pids) {
    process.kill(pid, 'SIGSTOP');
    stopped.add(pid);
  }
}

function thaw(): void {
  for (const pid of stopped) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      /* gone */
    }
  }
  stopped.clear();
  if (watchdog?.pid) {
    try {
      process.kill(-watchdog.pid, 'SIGKILL');
    } catch {
      /* already done */
    }
  }
  watchdog = null;
}

afterAll(() => thaw());

/** A process's state letter from /proc (T = stopped). */
const procState = (pid: number) => localSync('ps', '-o', 'stat=', '-p', String(pid)).trim();

/** The sshd processes serving the TCP connection that comes from 127.0.0.1:clientPort. */
function connectionPids(clientPort: string): number[] {
  const out = localSync('ss', '-Htnp', 'state', 'established', 'sport', '=', ':2222', 'and', 'dport', '=', `:${clientPort}`);
  return [...new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))];
}

describe('a frozen host (lab2)', () => {
  it('an established connection is reported unreachable within 5 s, while lab keeps working', async () => {
    const lab2 = labTransport('lab2');
    const lab = labTransport('lab');
    try {
      const hello = await lab2.exec(command('sh', '-c', 'echo "$SSH_CONNECTION"'));
      const [clientIp, clientPort, serverIp] = hello.stdout.trim().split(' ');
      expect(serverIp).toBe('127.0.0.2');
      expect(clientIp).toBe('127.0.0.1');
      expect((await lab.exec(command('true'))).exitCode).toBe(0);

      const master = sshdPid('lab2');
      const conn = connectionPids(clientPort ?? '');
      expect(conn.length).toBeGreaterThan(0);
      expect(conn).not.toContain(master);
      // The connection's processes are the master's descendants (privsep monitor, session child).
      const masterKids = descendants(master);
      for (const pid of conn) expect(masterKids).toContain(pid);
      const pids = [master, ...new Set([...conn, ...conn.flatMap(descendants)])];

      freeze(pids);
      try {
        for (const pid of pids) expect(procState(pid)).toMatch(/^T/);
        const started = Date.now();
        const frozen = lab2.exec(command('printf', 'x')).then(
          () => {
            throw new Error('a command ran on a frozen host');
          },
          (e: unknown) => ({ err: e as TransportError, ms: Date.now() - started }),
        );
        // Meanwhile the other host answers.
        const other = await lab.exec(command('printf', '%s', 'alive'));
        const otherMs = Date.now() - started;
        expect(other.stdout).toBe('alive');
        expect(other.exitCode).toBe(0);

        const { err, ms } = await frozen;
        console.log(`frozen lab2 detected in ${ms} ms; lab answered in ${otherMs} ms meanwhile`);
        expect(otherMs).toBeLessThan(ms);
        expect(err).toBeInstanceOf(TransportError);
        expect(err.code).toBe('unreachable');
        expect(err.message).toMatch(/127\.0\.0\.2:2222/);
        // A generous upper bound of the keepalive detection (1 s interval, 3 missed replies).
        expect(ms).toBeLessThan(5000);
      } finally {
        thaw();
      }
      // Thawed: the same transport reconnects and works.
      expect((await lab2.exec(command('printf', 'back'))).stdout).toBe('back');
      expect(lab2.stats().connections).toBe(2);
    } finally {
      thaw();
      await lab2.close();
      await lab.close();
    }
  }, 30_000);

  it('a brand-new connection to the frozen sshd fails as unreachable within about 5 s', async () => {
    const master = sshdPid('lab2');
    const t = labTransport('lab2');
    try {
      freeze([master]);
      let ms = -1;
      let err: TransportError | null = null;
      const started = Date.now();
      try {
        await t.exec(command('true'));
      } catch (e) {
        err = e as TransportError;
        ms = Date.now() - started;
      } finally {
        thaw();
      }
      console.log(`new connection to frozen lab2 failed in ${ms} ms`);
      expect(err).toBeInstanceOf(TransportError);
      expect(err?.code).toBe('unreachable');
      expect(err?.message).toMatch(/handshake/);
      // The handshake timeout (readyTimeoutMs) defaults to 5000 ms; allow scheduling slack.
      expect(ms).toBeGreaterThan(1000);
      expect(ms).toBeLessThan(5500);
      expect((await t.exec(command('printf', 'back'))).stdout).toBe('back');
    } finally {
      thaw();
      await t.close();
    }
  }, 30_000);
});
