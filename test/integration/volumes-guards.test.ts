import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidate } from '@/server/hosts/storage-cache';
import { wipeVolume } from '@/server/volumes/job-operations';
import { commitVolume, deleteVolume, rebaseVolume, resizeVolume } from '@/server/volumes/operations';
import { applySnapshot, createSnapshot } from '@/server/volumes/snapshots';
import { createVolume } from '@/server/volumes/create';
import { hostContext } from '@/server/volumes/context';
import { cleanLab, makePool, setupEnv, sha256, startVm, sys } from '../helpers/volumes';

// The guard matrix: every hazard refused without confirmation (409, code naming the hazard,
// detail listing what would be hurt), and the bytes of every affected image unchanged.
const G = 'ksc-vol-g';
const VM = 'ksc-vol-vm';
let dir = '';
const data = mkdtempSync(path.join(tmpdir(), 'ksc-vol-data-'));
const f = (n: string) => path.join(dir, n);

beforeAll(async () => {
  setupEnv(data);
  cleanLab();
  dir = makePool(G);
  await createVolume('lab', G, { name: 'base.qcow2', capacity: '16M' });
  await createSnapshot('lab', G, 'base.qcow2', { name: 's1' });
  await createVolume('lab', G, { name: 'ov.qcow2', backing: { pool: G, name: 'base.qcow2' } });
  await createVolume('lab', G, { name: 'ov2.qcow2', backing: { pool: G, name: 'base.qcow2' } });
  await createVolume('lab', G, { name: 'base2.qcow2', capacity: '16M' });
  await createVolume('lab', G, { name: 'fixed.raw', format: 'raw', capacity: '8M' });
  await createVolume('lab', G, { name: 'runbase.qcow2', capacity: '16M' });
  await createVolume('lab', G, { name: 'run.qcow2', backing: { pool: G, name: 'runbase.qcow2' } });
  await createSnapshot('lab', G, 'run.qcow2', { name: 's1' });
  startVm(VM, f('run.qcow2'));
  invalidate('lab');
}, 180_000);
afterAll(() => {
  cleanLab();
  rmSync(data, { recursive: true, force: true });
});

type Row = [string, () => Promise<unknown>, string, string[], RegExp?];
const rows: Row[] = [
  ['shrink', () => resizeVolume('lab', G, 'fixed.raw', { capacity: '4M' }), 'shrink', ['fixed.raw']],
  ['resize of an image in use (even confirmed)', () => resizeVolume('lab', G, 'run.qcow2', { capacity: '32M', confirm: 'run.qcow2' }), 'volume-in-use', ['run.qcow2'], /ksc-vol-vm/],
  ['commit of an image in use (even confirmed)', () => commitVolume('lab', G, 'run.qcow2', { confirm: 'runbase.qcow2' }), 'volume-in-use', ['run.qcow2', 'runbase.qcow2'], /ksc-vol-vm/],
  ['snapshot apply on an image in use (even confirmed)', () => applySnapshot('lab', G, 'run.qcow2', 's1', { confirm: 'run.qcow2' }), 'volume-in-use', ['run.qcow2'], /ksc-vol-vm/],
  ['snapshot create on an image in use', () => createSnapshot('lab', G, 'run.qcow2', { name: 's2' }), 'volume-in-use', ['run.qcow2']],
  ['wipe of an image in use (even confirmed)', () => wipeVolume('lab', G, 'run.qcow2', { confirm: 'run.qcow2' }), 'volume-in-use', ['run.qcow2']],
  ['delete of an image in use (even confirmed)', () => deleteVolume('lab', G, 'run.qcow2', { confirm: 'run.qcow2' }), 'volume-in-use', ['run.qcow2']],
  ['resize of a base with overlays', () => resizeVolume('lab', G, 'base.qcow2', { capacity: '32M' }), 'has-overlays', ['base.qcow2', 'ov.qcow2', 'ov2.qcow2'], /ov2?\.qcow2/],
  ['snapshot apply on a base with overlays', () => applySnapshot('lab', G, 'base.qcow2', 's1', {}), 'has-overlays', ['base.qcow2'], /ov\.qcow2/],
  ['commit into a base other overlays use', () => commitVolume('lab', G, 'ov.qcow2', {}), 'base-has-other-overlays', ['base.qcow2', 'ov.qcow2', 'ov2.qcow2'], /ov2\.qcow2/],
  ['delete of a base with overlays', () => deleteVolume('lab', G, 'base.qcow2', {}), 'has-overlays', ['base.qcow2'], /ov\.qcow2/],
  ['unsafe rebase', () => rebaseVolume('lab', G, 'ov.qcow2', { backing: { pool: G, name: 'base2.qcow2' }, unsafe: true }), 'unsafe-rebase', ['ov.qcow2']],
  ['wipe', () => wipeVolume('lab', G, 'base2.qcow2', { algorithm: 'zero' }), 'wipe', ['base2.qcow2']],
  ['delete', () => deleteVolume('lab', G, 'ov2.qcow2', {}), 'delete-volume', ['ov2.qcow2']],
  ['delete with a wrong name', () => deleteVolume('lab', G, 'ov2.qcow2', { confirm: 'ov.qcow2' }), 'delete-volume', ['ov2.qcow2']],
];

describe('guard matrix', () => {
  it('the VM really runs on run.qcow2', () => {
    expect(sys('domstate', VM).trim()).toBe('running');
    expect(sys('domblklist', VM)).toContain(f('run.qcow2'));
  });

  it.each(rows)('%s → refused', async (_label, op, code, files, detailMatch) => {
    const before = files.map((n) => sha256(f(n)));
    const err = (await op().then(
      () => null,
      (e: unknown) => e,
    )) as { code?: string; status?: number; detail?: unknown; message?: string } | null;
    expect(err, 'the operation was not refused').not.toBeNull();
    expect(err).toMatchObject({ code, status: 409 });
    if (detailMatch) expect(JSON.stringify(err?.detail)).toMatch(detailMatch);
    expect(files.map((n) => sha256(f(n)))).toEqual(before);
  });
});

describe('writes read the host fresh', () => {
  const VM2 = 'ksc-vol-vm2';
  afterAll(() => {
    delete process.env.KSC_STORAGE_CACHE_MS;
    try {
      sys('destroy', VM2);
    } catch {
      /* not running */
    }
  });

  it('a VM started behind the console’s back is seen by the real run, though the cached preview misses it', async () => {
    // A minute-long cache window: only a fresh read can know about the VM.
    process.env.KSC_STORAGE_CACHE_MS = '60000';
    invalidate('lab');
    await hostContext('lab'); // cached: base2.qcow2 used by nobody
    startVm(VM2, f('base2.qcow2'));
    const before = sha256(f('base2.qcow2'));
    const preview = await resizeVolume('lab', G, 'base2.qcow2', { capacity: '32M', dryRun: true });
    expect(preview.dryRun).toBe(true); // the stale read saw no user
    const err = (await resizeVolume('lab', G, 'base2.qcow2', { capacity: '32M' }).then(
      () => null,
      (e: unknown) => e,
    )) as { code?: string; message?: string } | null;
    expect(err).toMatchObject({ code: 'volume-in-use' });
    expect(err?.message).toContain(VM2);
    expect(sha256(f('base2.qcow2'))).toBe(before);
  });
});
