/**
 * The service layer over REAL SSH, with a temporary inventory: each host's failure becomes its
 * status in listHosts(), and one bad host does not spoil the good ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/server/errors';
import { getHost, listHosts, listPools } from '@/server/hosts/service';
import { closeAllTransports } from '@/server/hosts/transports';
import { LAB_KEY, labHost } from '../helpers/lab';

const saved = process.env.KSC_INVENTORY;
let dir: string;
let real: string;
let wrong: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  const lab = labHost('lab');
  real = lab.hostKey;
  wrong = 'SHA256:' + (real[7] === 'A' ? 'B' : 'A').repeat(43);
  dir = mkdtempSync(path.join(tmpdir(), 'ksc-inventory-'));
  const base = { transport: 'ssh', address: lab.address, port: lab.port, user: lab.user, uri: lab.uri, identityFile: LAB_KEY };
  const inventory = {
    hosts: [
      { ...base, id: 'good', name: 'The lab', hostKey: real },
      { ...base, id: 'bad-key', hostKey: wrong },
      { ...base, id: 'no-key' },
      { ...base, id: 'down', port: await freePort(), hostKey: real },
    ],
  };
  writeFileSync(path.join(dir, 'hosts.json'), JSON.stringify(inventory, null, 2));
  process.env.KSC_INVENTORY = path.join(dir, 'hosts.json');
});

afterAll(async () => {
  await closeAllTransports();
  if (saved === undefined) delete process.env.KSC_INVENTORY;
  else process.env.KSC_INVENTORY = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('listHosts with a temporary inventory', () => {
  it('gives each host its status: ok, hostkey-changed, hostkey-unknown, unreachable', async () => {
    const hosts = await listHosts();
    const byId = new Map(hosts.map((h) => [h.id, h]));
    expect(hosts.map((h) => h.id)).toEqual(['good', 'bad-key', 'no-key', 'down']);

    const good = byId.get('good');
    expect(good).toMatchObject({ status: 'ok', name: 'The lab', address: 'kscadmin@127.0.0.1:2222', hostKey: real, hostname: expect.any(String) });
    expect(good?.error).toBeUndefined();
    expect(good?.poolCount).toBeGreaterThanOrEqual(4);
    expect(good?.vmCount).toBeGreaterThanOrEqual(2);

    const bad = byId.get('bad-key');
    expect(bad?.status).toBe('hostkey-changed');
    expect(bad?.error?.code).toBe('hostkey-changed');
    expect(bad?.error?.message).toContain(real);
    expect(bad?.presentedHostKey).toBe(real);
    expect(bad?.hostKey).toBe(wrong);
    expect(bad?.poolCount).toBeUndefined();

    const none = byId.get('no-key');
    expect(none?.status).toBe('hostkey-unknown');
    expect(none?.presentedHostKey).toBe(real);

    const down = byId.get('down');
    expect(down?.status).toBe('unreachable');
    expect(down?.error?.message).toContain('ECONNREFUSED');
  }, 120_000);

  it('getHost and the per-host reads carry the same error', async () => {
    expect((await getHost('bad-key')).status).toBe('hostkey-changed');
    let err: unknown;
    try {
      await listPools('bad-key');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('hostkey-changed');
    expect((err as AppError).detail).toEqual({ presented: real, pinned: wrong });
    const pools = await listPools('good');
    expect(pools.map((p) => p.name)).toEqual(expect.arrayContaining(['default', 'vm', 'guest_images_fs', 'storage01']));
  }, 120_000);
});

describe('listHosts and a slow host', () => {
  it('lists a host that has not answered within the budget as connecting, without holding the others back', async () => {
    // A TCP port that accepts and never speaks SSH: the handshake waits for its ready timeout.
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as net.AddressInfo).port;
    const lab = labHost('lab');
    const base = { transport: 'ssh', address: lab.address, user: lab.user, uri: lab.uri, identityFile: LAB_KEY, hostKey: real };
    const file = path.join(dir, 'slow.json');
    writeFileSync(file, JSON.stringify({ hosts: [{ ...base, id: 'good', port: lab.port }, { ...base, id: 'silent', port, readyTimeoutMs: 8000 }] }));
    process.env.KSC_INVENTORY = file;
    try {
      await getHost('good'); // warm: the good host answers from the 2 s cache
      const hosts = await listHosts({ budgetMs: 500 });
      // `connecting`, not `unreachable`: the list answered on the budget, not on the silent host's timeout.
      expect(Object.fromEntries(hosts.map((h) => [h.id, h.status]))).toEqual({ good: 'ok', silent: 'connecting' });
      await expect(getHost('silent')).resolves.toMatchObject({ status: 'unreachable' });
    } finally {
      silent.close();
    }
  }, 30_000);
});
