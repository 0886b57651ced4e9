/**
 * Host key pinning and connection failures over REAL SSH, each with its host status code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '@/server/commands/command';
import { TransportError } from '@/server/transport/errors';
import type { SshTransport } from '@/server/transport/ssh';
import { LAB_STATE, labHost, labTransport, localSync } from '../helpers/lab';

/** What `ssh-keygen -lf KEY.pub -E sha256` prints as the fingerprint. */
const keygenFingerprint = (name: 'lab' | 'lab2') =>
  localSync('ssh-keygen', '-lf', path.join(LAB_STATE, `sshd-${name}`, 'host_ed25519.pub'), '-E', 'sha256').split(/\s+/)[1] ?? '';

async function failure(t: SshTransport): Promise<{ err: TransportError; ms: number }> {
  const started = Date.now();
  try {
    await t.exec(command('true'));
  } catch (e) {
    return { err: e as TransportError, ms: Date.now() - started };
  } finally {
    await t.close();
  }
  throw new Error('the command ran: the connection was not refused');
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'ksc-hostkeys-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('host key pinning', () => {
  const real = keygenFingerprint('lab');

  it('the inventory pins what ssh-keygen prints, and the pinned key connects', async () => {
    expect(real).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(labHost('lab').hostKey).toBe(real);
    expect(labHost('lab2').hostKey).toBe(keygenFingerprint('lab2'));
    expect(labHost('lab2').hostKey).not.toBe(real);
    const t = labTransport('lab');
    const r = await t.exec(command('printf', '%s', 'ok'));
    await t.close();
    expect(r.stdout).toBe('ok');
    expect(t.stats().connections).toBe(1);
  });

  it('a wrong pinned key is refused as hostkey-changed, naming the presented key', async () => {
    const wrong = 'SHA256:' + (real.slice(7, 8) === 'A' ? 'B' : 'A').repeat(43);
    expect(wrong).not.toBe(real);
    const t = labTransport('lab', { hostKey: wrong });
    const { err } = await failure(t);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('hostkey-changed');
    expect(err.message).toContain(real);
    expect(err.message).toContain(wrong);
    expect(err.detail).toEqual({ presented: real, pinned: wrong });
    expect(t.stats().connections).toBe(0);
    expect(t.stats().execs).toBe(0);
  });

  it("the other lab host's key is refused too (a key is not valid for another address)", async () => {
    const t = labTransport('lab', { hostKey: labHost('lab2').hostKey });
    const { err } = await failure(t);
    expect(err.code).toBe('hostkey-changed');
    expect((err.detail as { presented: string }).presented).toBe(real);
  });

  it('no pinned key is refused as hostkey-unknown, naming the presented key', async () => {
    const t = labTransport('lab', { hostKey: undefined });
    const { err } = await failure(t);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('hostkey-unknown');
    expect(err.message).toContain(real);
    expect(err.detail).toEqual({ presented: real, pinned: null });
  });
});

describe('connection failures', () => {
  it('a client key the host does not know is auth-failed', async () => {
    const keyFile = path.join(tmp, 'id_ed25519');
    localSync('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'ksc-test-wrong-key', '-f', keyFile);
    const t = labTransport('lab', { privateKey: readFileSync(keyFile) });
    const { err, ms } = await failure(t);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('auth-failed');
    expect(err.message).toContain('127.0.0.1:');
    expect(ms).toBeLessThan(10_000);
  });

  it('a port nobody listens on is unreachable', async () => {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const t = labTransport('lab', { port });
    const { err, ms } = await failure(t);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain('ECONNREFUSED');
    expect(ms).toBeLessThan(5_000);
  });

  it('after close(), the next exec opens a new connection', async () => {
    const t = labTransport('lab');
    expect((await t.exec(command('printf', 'a'))).stdout).toBe('a');
    await t.close();
    expect((await t.exec(command('printf', 'b'))).stdout).toBe('b');
    expect(t.stats().connections).toBe(2);
    await t.close();
  });
});
