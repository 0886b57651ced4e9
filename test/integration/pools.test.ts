import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, deletePool, poolAction, setPoolAutostart } from '@/server/hosts/pool-service';
import { listPools } from '@/server/hosts/service';
import type { OperationFailureDetail } from '@/lib/schemas';
import { LAB_INVENTORY } from '../helpers/lab';
import { virsh as sys } from '../helpers/virsh';

// The pool lifecycle through the project's own server code, over SSH to the lab host, each
// step checked with virsh run locally on the same libvirt.
const exists = (name: string) => sys('pool-list', '--all', '--name').split('\n').map((s) => s.trim()).includes(name);
const suffix = Math.random().toString(36).slice(2, 8);
const DIR_POOL = `ksc-test-dir-${suffix}`;
const FS_POOL = `ksc-test-fs-${suffix}`;
// Inside /var/lib/libvirt/images: the path policy's default root (server/policy/paths.ts).
const base = mkdtempSync('/var/lib/libvirt/images/ksc-pools-');

beforeAll(() => {
  process.env.KSC_INVENTORY = LAB_INVENTORY;
});
afterAll(() => {
  for (const p of [DIR_POOL, FS_POOL]) {
    try {
      sys('pool-destroy', p);
    } catch {}
    try {
      sys('pool-undefine', p);
    } catch {}
  }
  rmSync(base, { recursive: true, force: true });
});

describe('pool lifecycle on the lab', () => {
  const target = path.join(base, 'dirpool');

  it('a dry run returns the XML and the commands, and runs nothing', async () => {
    const r = await createPool('lab', { name: DIR_POOL, type: 'dir', target: { path: target }, build: true, start: true, autostart: true, dryRun: true });
    expect(r.dryRun).toBe(true);
    if (!r.dryRun) return;
    expect(r.xml).toContain(`<path>${target}</path>`);
    expect(r.steps.map((s) => s.id)).toEqual(['define', 'build', 'start', 'autostart']);
    expect(r.steps[1]?.command).toBe(`virsh -q -c qemu:///system pool-build -- ${DIR_POOL}`);
    expect(exists(DIR_POOL)).toBe(false);
  });

  it('creates, builds, starts and autostarts a dir pool', async () => {
    const r = await createPool('lab', { name: DIR_POOL, type: 'dir', target: { path: target, permissions: { mode: '0750' } }, build: true, start: true, autostart: true });
    expect(r.dryRun).toBe(false);
    if (r.dryRun) return;
    expect(r.steps.every((s) => s.ok)).toBe(true);
    const xml = sys('pool-dumpxml', DIR_POOL);
    expect(xml).toContain(`<path>${target}</path>`);
    expect(xml).toContain('<mode>0750</mode>');
    expect(sys('pool-info', DIR_POOL)).toMatch(/State:\s+running[\s\S]*Autostart:\s+yes/);
    expect(existsSync(target)).toBe(true);
    const pools = await listPools('lab');
    expect(pools.find((p) => p.name === DIR_POOL)).toMatchObject({ state: 'running', autostart: true, type: 'dir' });
  });

  it('refuses a duplicate name before running anything', async () => {
    await expect(createPool('lab', { name: DIR_POOL, type: 'dir', target: { path: '/tmp/other' } })).rejects.toMatchObject({ code: 'pool-exists', status: 409 });
  });

  it('refuses an invalid name with a field error', async () => {
    await expect(createPool('lab', { name: 'a/b', type: 'dir' })).rejects.toThrow(/cannot contain/);
  });

  it('stops, starts, refreshes and toggles autostart', async () => {
    await poolAction('lab', DIR_POOL, 'stop');
    expect(sys('pool-info', DIR_POOL)).toMatch(/State:\s+inactive/);
    await poolAction('lab', DIR_POOL, 'start');
    await poolAction('lab', DIR_POOL, 'refresh');
    expect(sys('pool-info', DIR_POOL)).toMatch(/State:\s+running/);
    await setPoolAutostart('lab', DIR_POOL, { enabled: false });
    expect(sys('pool-info', DIR_POOL)).toMatch(/Autostart:\s+no/);
  });

  it('deleting the storage needs the name typed; then stop, delete, undefine', async () => {
    await expect(deletePool('lab', DIR_POOL, { deleteStorage: true })).rejects.toMatchObject({ code: 'pool-delete-storage', status: 409 });
    expect(exists(DIR_POOL)).toBe(true);
    await expect(deletePool('lab', DIR_POOL, { deleteStorage: true, confirm: 'wrong' })).rejects.toMatchObject({ code: 'pool-delete-storage' });
    const r = await deletePool('lab', DIR_POOL, { deleteStorage: true, confirm: DIR_POOL });
    expect(r.steps.map((s) => s.command)).toEqual([
      `virsh -q -c qemu:///system pool-destroy -- ${DIR_POOL}`,
      `virsh -q -c qemu:///system pool-delete -- ${DIR_POOL}`,
      `virsh -q -c qemu:///system pool-undefine -- ${DIR_POOL}`,
    ]);
    expect(exists(DIR_POOL)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses to delete a pool whose volumes a VM uses', async () => {
    await expect(deletePool('lab', 'vm', {})).rejects.toMatchObject({ code: 'pool-in-use', status: 409 });
    expect(sys('pool-info', 'vm')).toMatch(/State:\s+running/);
  });

  it('a source device outside the path policy (no such device, so not a free one) is refused before anything runs', async () => {
    await expect(
      createPool('lab', { name: FS_POOL, type: 'fs', source: { device: '/dev/ksc-no-such-device', format: 'ext4' }, target: { path: path.join(base, 'fsmnt') }, start: true }),
    ).rejects.toMatchObject({ code: 'path-outside-policy', status: 422 });
    expect(exists(FS_POOL)).toBe(false);
  });

  it('a pool whose start fails is rolled back: nothing is left defined', async () => {
    // A dir pool on a regular file: defined, then pool-start fails.
    writeFileSync(path.join(base, 'afile'), 'not a directory\n');
    // The operation fails as a whole: 502 with the failing step, the steps done and their undo.
    const e = (await createPool('lab', { name: FS_POOL, type: 'dir', target: { path: path.join(base, 'afile') }, start: true }).then(
      () => null,
      (x: unknown) => x,
    )) as { status: number; code: string; detail: OperationFailureDetail } | null;
    expect(e).toMatchObject({ status: 502, code: 'command-failed' });
    expect(e!.detail.failedStep.id).toBe('start');
    expect(e!.detail.stderr).toMatch(/afile/);
    expect(e!.detail.stepsDone.map((s) => s.id)).toEqual(['define']);
    expect(e!.detail.undone).toEqual([expect.objectContaining({ id: 'undo-define', ok: true, command: expect.stringContaining('pool-undefine') })]);
    expect(exists(FS_POOL)).toBe(false);
  });
});
