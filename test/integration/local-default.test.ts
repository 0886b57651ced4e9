import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listHosts, listPools } from '@/server/hosts/service';
import { virsh } from '../helpers/virsh';

// With no inventory file, the console offers this machine's libvirt through the local
// transport (virt-manager's "QEMU/KVM localhost"). The lab machine has libvirt, so it reads.
describe('no inventory: the local libvirt is the default host', () => {
  const saved = process.env.KSC_INVENTORY;
  afterEach(() => {
    if (saved === undefined) delete process.env.KSC_INVENTORY;
    else process.env.KSC_INVENTORY = saved;
  });

  it('lists localhost over the local transport with the same pools virsh shows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ksc-noinv-'));
    process.env.KSC_INVENTORY = path.join(dir, 'absent.json');
    try {
      const hosts = await listHosts();
      expect(hosts).toHaveLength(1);
      expect(hosts[0]).toMatchObject({ id: 'localhost', transport: 'local', uri: 'qemu:///system', status: 'ok', address: 'local' });
      const expected = virsh('pool-list', '--all', '--name')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
        .sort();
      const pools = await listPools('localhost');
      expect(pools.map((p) => p.name).sort()).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a malformed inventory instead of ignoring it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ksc-badinv-'));
    const file = path.join(dir, 'hosts.json');
    writeFileSync(file, JSON.stringify({ hosts: [{ id: 'Bad Id', address: 'x' }] }));
    process.env.KSC_INVENTORY = file;
    try {
      await expect(listHosts()).rejects.toMatchObject({ code: 'inventory-invalid' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
