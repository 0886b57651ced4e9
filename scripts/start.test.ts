import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeAllTransports, transportFor } from '@/server/hosts/transports';
import type { HostConfig } from '@/server/hosts/inventory';
// @ts-expect-error -- a plain .mjs script without types
import { keyPermissionProblems, listenProblem } from './start.mjs';

// Like ssh, the console refuses a private key that group or others can read: at start-up
// (scripts/start.mjs reads the inventory) and whenever a host's transport is made.
const dir = mkdtempSync(path.join(tmpdir(), 'ksc-lim-keys-'));
const key = path.join(dir, 'id_test');
const inv = path.join(dir, 'hosts.json');
writeFileSync(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n');
writeFileSync(inv, JSON.stringify({ hosts: [{ id: 'k1', address: '127.0.0.9', identityFile: 'id_test' }] }));
afterAll(async () => {
  await closeAllTransports();
  rmSync(dir, { recursive: true, force: true });
});

const host: HostConfig = { id: 'k1', name: 'k1', transport: 'ssh', address: '127.0.0.9', port: 22, user: 'root', uri: 'qemu:///system', agent: false, identityFile: 'id_test', identityPath: key };

describe('identity file permissions', () => {
  it('npm start refuses to start with a key of mode 0644, naming the file, its mode and the fix', () => {
    chmodSync(key, 0o644);
    const r = spawnSync(process.execPath, [path.resolve(import.meta.dirname, 'start.mjs')], { env: { ...process.env, KSC_INVENTORY: inv, PORT: '1' }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(key);
    expect(r.stderr).toContain('0644');
    expect(r.stderr).toContain(`chmod 600 ${key}`);
    expect(keyPermissionProblems(inv)).toHaveLength(1);
  });

  it('a 0600 (or 0400) key passes the start-up check', () => {
    chmodSync(key, 0o600);
    expect(keyPermissionProblems(inv)).toEqual([]);
    chmodSync(key, 0o400);
    expect(keyPermissionProblems(inv)).toEqual([]);
  });

  it('making the transport refuses a group/other-readable key with key-permissions', () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(key, mode);
      let err: unknown;
      try {
        transportFor(host);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'key-permissions', message: expect.stringContaining(`mode 0${mode.toString(8)}`) });
      expect((err as Error).message).toContain(`chmod 600 ${key}`);
    }
    chmodSync(key, 0o600);
    // With a private key file the transport is made (it connects lazily, so nothing is dialled).
    expect(() => transportFor(host)).not.toThrow();
  });
});

describe('where npm start listens', () => {
  it('loopback needs nothing; any other address needs KSC_PUBLIC_URL (a URL)', () => {
    for (const h of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(listenProblem(h, {})).toBeNull();
    expect(listenProblem('0.0.0.0', {})).toContain('KSC_PUBLIC_URL');
    expect(listenProblem('0.0.0.0', { KSC_PUBLIC_URL: 'not a url' })).toContain('not a URL');
    expect(listenProblem('0.0.0.0', { KSC_PUBLIC_URL: 'https://storage.example.com' })).toBeNull();
  });
});
