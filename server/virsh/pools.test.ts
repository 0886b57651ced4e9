import { describe, expect, it } from 'vitest';
import { buildEffect, CREATABLE_POOL_TYPES, POOL_TYPES, specOf } from '@/lib/pool-types';
import { PoolCreateInput } from '@/lib/schemas';
import { renderInvocation } from '../commands/shell';
import { planPoolCreate } from './pool-create';
import { poolBuildCommand, poolDelete } from './pools';

// The server asks the pool-type table (lib/pool-types.ts) what each type's build and delete do.
describe('pool build and delete per type', () => {
  it('passes --no-overwrite to a lifecycle build exactly where building formats a device', () => {
    for (const t of POOL_TYPES) expect([t, renderInvocation(poolBuildCommand('qemu:///system', 'p', t)).includes('--no-overwrite')]).toEqual([t, Boolean(specOf(t).build?.formats)]);
  });

  it('titles the create plan’s build step with the table’s text, and flags overwrite on formatting types only', () => {
    for (const type of CREATABLE_POOL_TYPES) {
      const input = PoolCreateInput.parse({ name: 'pt-p', type, source: { name: 'x', host: 'h.example', device: 'iqn.2026-11.a:b', adapter: 'host0' }, build: true, overwrite: true, confirm: 'pt-p' });
      const build = planPoolCreate('qemu:///system', input).steps.find((s) => s.id === 'build');
      const effect = buildEffect(type);
      if (effect) expect(build?.title).toBe(`Build: ${effect}`);
      // Read from the whole step (its command text or argv): `--no-overwrite` does not contain `--overwrite`.
      expect(JSON.stringify(build ?? {}).includes('--overwrite')).toBe(Boolean(specOf(type).build?.formats));
    }
  });

  it('refuses to delete the storage of a type libvirt cannot delete, before anything runs', async () => {
    const t = { exec: () => Promise.reject(new Error('must not run')) } as never;
    const storage = { pools: [{ name: 'pt-i', type: 'iscsi', state: 'running', persistent: true, target: { path: '/dev/disk/by-path' } }], volumes: new Map() } as never;
    await expect(poolDelete(t, 'qemu:///system', storage, { name: 'pt-i', deleteStorage: true, confirm: 'pt-i' })).rejects.toMatchObject({
      code: 'pool-delete-unsupported',
      detail: { type: 'iscsi', supported: ['dir', 'fs', 'netfs', 'logical', 'disk', 'zfs', 'vstorage'] },
    });
  });
});
