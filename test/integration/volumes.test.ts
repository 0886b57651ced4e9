import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForJob } from '@/server/jobs/jobs';
import { hostChains } from '@/server/volumes/chains';
import { createVolume } from '@/server/volumes/create';
import { volumeFormats } from '@/server/volumes/formats';
import { cloneVolume, convertVolume, wipeVolume } from '@/server/volumes/job-operations';
import {
  amendVolume,
  checkVolume,
  commitVolume,
  compareVolumes,
  deleteVolume,
  mapVolume,
  rebaseVolume,
  resizeVolume,
  volumeInfo,
} from '@/server/volumes/operations';
import { applySnapshot, createSnapshot, deleteSnapshot, listSnapshots } from '@/server/volumes/snapshots';
import { cleanLab, exists, hasPattern, info, makePool, setupEnv, sha256, sys, writePattern } from '../helpers/volumes';

// Every volume operation through the project's server code over SSH to the lab, each result
// checked on the host itself (qemu-img info, qemu-io reads, sha256sum, virsh).
const A = 'ksc-vol-a';
const B = 'ksc-vol-b';
let dirA = '';
let dirB = '';
const data = mkdtempSync(path.join(tmpdir(), 'ksc-vol-data-'));
const M = 1024 ** 2;

beforeAll(() => {
  setupEnv(data);
  cleanLab();
  dirA = makePool(A);
  dirB = makePool(B);
});
afterAll(() => {
  cleanLab();
  rmSync(data, { recursive: true, force: true });
});

const p = (dir: string, name: string) => path.join(dir, name);

describe('create', () => {
  it('offers the host qemu-img formats for a dir pool', async () => {
    const f = await volumeFormats('lab', A);
    expect(f.fileBased).toBe(true);
    for (const x of ['qcow2', 'raw', 'vmdk', 'vdi', 'vhdx', 'vpc', 'qed']) expect(f.formats).toContain(x);
    expect(f.preallocation.qcow2).toEqual(['off', 'metadata', 'falloc', 'full']);
  });

  it('a dry run shows the exact commands and creates nothing', async () => {
    const r = await createVolume('lab', A, { name: 'base.qcow2', format: 'qcow2', capacity: '64M', options: { compat: '1.1', clusterSize: '128K', lazyRefcounts: true, compressionType: 'zstd' }, preallocation: 'metadata', dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.steps.map((s) => s.command)).toEqual([
      `test '!' -e ${dirA}/base.qcow2`,
      `qemu-img create -f qcow2 -o compat=1.1,cluster_size=131072,lazy_refcounts=on,compression_type=zstd,preallocation=metadata -- ${dirA}/base.qcow2 64M`,
      `virsh -q -c qemu:///system pool-refresh -- ${A}`,
    ]);
    expect(exists(p(dirA, 'base.qcow2'))).toBe(false);
  });

  it('creates a qcow2 with compat, cluster size, lazy refcounts, zstd and metadata preallocation', async () => {
    const r = await createVolume('lab', A, { name: 'base.qcow2', format: 'qcow2', capacity: '64M', options: { compat: '1.1', clusterSize: '128K', lazyRefcounts: true, compressionType: 'zstd' }, preallocation: 'metadata' });
    expect(r.dryRun).toBe(false);
    const i = info(p(dirA, 'base.qcow2'));
    expect(i).toMatchObject({ format: 'qcow2', 'virtual-size': 64 * M, 'cluster-size': 131072 });
    expect(i['format-specific']?.data).toMatchObject({ compat: '1.1', 'lazy-refcounts': true, 'compression-type': 'zstd' });
    expect(sys('vol-list', A)).toContain('base.qcow2');
  });

  it('creates a fully preallocated raw volume', async () => {
    await createVolume('lab', A, { name: 'fixed.raw', format: 'raw', capacity: 8 * M, preallocation: 'full' });
    const i = info(p(dirA, 'fixed.raw'));
    expect(i.format).toBe('raw');
    expect(i['virtual-size']).toBe(8 * M);
    expect(i['actual-size']).toBeGreaterThanOrEqual(8 * M);
  });

  it('creates vmdk, vdi, vhdx and vpc images', async () => {
    for (const f of ['vmdk', 'vdi', 'vhdx', 'vpc'] as const) {
      await createVolume('lab', A, { name: `disk.${f}`, format: f, capacity: '16M' });
      expect(info(p(dirA, `disk.${f}`)).format).toBe(f);
    }
  });

  it('a differencing disk in another pool: -b with -F, capacity defaulting to the parent', async () => {
    writePattern(p(dirA, 'base.qcow2'), 'qcow2', 0xab, '0', '1M');
    sys('pool-refresh', A);
    const dry = await createVolume('lab', B, { name: 'overlay.qcow2', backing: { pool: A, name: 'base.qcow2' }, dryRun: true });
    expect(dry.steps[1]?.command).toBe(`qemu-img create -f qcow2 -b ${dirA}/base.qcow2 -F qcow2 -- ${dirB}/overlay.qcow2 64M`);
    await createVolume('lab', B, { name: 'overlay.qcow2', backing: { pool: A, name: 'base.qcow2' } });
    const i = info(p(dirB, 'overlay.qcow2'));
    expect(i['backing-filename']).toBe(p(dirA, 'base.qcow2'));
    expect(i['backing-filename-format']).toBe('qcow2');
    expect(i['virtual-size']).toBe(64 * M);
    expect(hasPattern(p(dirB, 'overlay.qcow2'), 'qcow2', 0xab, '0', '1M')).toBe(true);
  });

  it('refuses what does not fit, what exists, and invalid options — creating nothing', async () => {
    await expect(createVolume('lab', A, { name: 'huge.raw', format: 'raw', capacity: '100T', preallocation: 'full' })).rejects.toMatchObject({ code: 'insufficient-space', status: 409 });
    expect(exists(p(dirA, 'huge.raw'))).toBe(false);
    await expect(createVolume('lab', A, { name: 'base.qcow2', capacity: '1M' })).rejects.toMatchObject({ code: 'volume-exists' });
    await expect(createVolume('lab', A, { name: 'x.qcow2', capacity: '1M', options: { clusterSize: 3000 } })).rejects.toThrow(/power of two/);
    await expect(createVolume('lab', A, { name: 'x.raw', format: 'raw', capacity: '1M', preallocation: 'metadata' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(createVolume('lab', A, { name: 'a/b', capacity: '1M' })).rejects.toThrow(/cannot contain/);
    expect(exists(p(dirA, 'x.qcow2'))).toBe(false);
  });
});

describe('read-only operations', () => {
  it('info reads the backing chain', async () => {
    const r = await volumeInfo('lab', B, 'overlay.qcow2');
    expect(r.chain.map((c) => c.filename)).toEqual([p(dirB, 'overlay.qcow2'), p(dirA, 'base.qcow2')]);
    expect(r.command).toBe(`qemu-img info --output=json --backing-chain -- ${dirB}/overlay.qcow2`);
  });

  it('check reports a clean qcow2 and "unsupported" for raw', async () => {
    const r = await checkVolume('lab', A, 'base.qcow2', {});
    expect(r.result).toMatchObject({ verdict: 'clean', corruptions: 0, leaks: 0 });
    const raw = await checkVolume('lab', A, 'fixed.raw', {});
    expect(raw.result).toMatchObject({ verdict: 'unsupported' });
  });

  it('map shows data, zeroes and ranges from the backing file', async () => {
    writePattern(p(dirB, 'overlay.qcow2'), 'qcow2', 0xcd, '4M', '1M');
    const m = await mapVolume('lab', B, 'overlay.qcow2');
    expect(m.virtualSize).toBe(64 * M);
    const at = (off: number) => m.extents.find((e) => e.start <= off && off < e.start + e.length);
    expect(at(0)).toMatchObject({ data: true, depth: 1 }); // from base.qcow2
    expect(at(4 * M)).toMatchObject({ data: true, depth: 0 }); // written into the overlay
    expect(at(32 * M)).toMatchObject({ zero: true }); // never written (the base is metadata-preallocated)
  });

  it('compare tells identical from different images', async () => {
    const same = await compareVolumes('lab', A, 'base.qcow2', { other: { pool: B, name: 'overlay.qcow2' } });
    expect(same.identical).toBe(false);
    expect(same.message).toMatch(/Content mismatch/);
  });

  it('chains: the base in one pool with its overlay in another', async () => {
    const c = await hostChains('lab');
    const base = c.chains.find((n) => n.path === p(dirA, 'base.qcow2'));
    expect(base?.children.map((x) => x.path)).toEqual([p(dirB, 'overlay.qcow2')]);
    expect(base?.pool).toBe(A);
    // The seeded chain is there too, with its VM.
    const seeded = c.chains.find((n) => n.path === '/kvm-vm/base-centos7.qcow2');
    expect(seeded?.children.some((x) => x.usedBy.includes('vm001'))).toBe(true);
  });
});

describe('writing operations, verified on the host', () => {
  it('resize grows; shrink needs the name typed, then shrinks', async () => {
    await resizeVolume('lab', A, 'fixed.raw', { capacity: '16M' });
    expect(info(p(dirA, 'fixed.raw'))['virtual-size']).toBe(16 * M);
    const before = sha256(p(dirA, 'fixed.raw'));
    await expect(resizeVolume('lab', A, 'fixed.raw', { capacity: '4M' })).rejects.toMatchObject({ code: 'shrink', status: 409 });
    expect(sha256(p(dirA, 'fixed.raw'))).toBe(before);
    const r = await resizeVolume('lab', A, 'fixed.raw', { capacity: '4M', confirm: 'fixed.raw' });
    expect(r.steps[0]?.command).toBe(`qemu-img resize -f raw --shrink -- ${dirA}/fixed.raw 4194304`);
    expect(info(p(dirA, 'fixed.raw'))['virtual-size']).toBe(4 * M);
  });

  it('amend turns lazy refcounts off', async () => {
    await amendVolume('lab', A, 'disk.vmdk', { lazyRefcounts: true }).catch((e: Error) => expect(e.message).toMatch(/qcow2/));
    await createVolume('lab', A, { name: 'old.qcow2', capacity: '8M', options: { compat: '0.10' } });
    await amendVolume('lab', A, 'old.qcow2', { compat: '1.1', lazyRefcounts: true });
    expect(info(p(dirA, 'old.qcow2'))['format-specific']?.data).toMatchObject({ compat: '1.1', 'lazy-refcounts': true });
  });

  it('internal snapshots: create, list, apply (reverts the data), delete', async () => {
    const img = p(dirA, 'old.qcow2');
    writePattern(img, 'qcow2', 0x11, '0', '512K');
    await createSnapshot('lab', A, 'old.qcow2', { name: 'before-change' });
    expect(info(img).snapshots?.map((s) => s.name)).toEqual(['before-change']);
    writePattern(img, 'qcow2', 0x22, '0', '512K');
    expect(hasPattern(img, 'qcow2', 0x22, '0', '512K')).toBe(true);
    const list = await listSnapshots('lab', A, 'old.qcow2');
    expect(list.snapshots.map((s) => s.name)).toEqual(['before-change']);
    const sum = sha256(img);
    await expect(applySnapshot('lab', A, 'old.qcow2', 'before-change', {})).rejects.toMatchObject({ code: 'snapshot-apply', status: 409 });
    expect(sha256(img)).toBe(sum);
    await applySnapshot('lab', A, 'old.qcow2', 'before-change', { confirm: 'old.qcow2' });
    expect(hasPattern(img, 'qcow2', 0x11, '0', '512K')).toBe(true);
    await expect(createSnapshot('lab', A, 'old.qcow2', { name: 'before-change' })).rejects.toMatchObject({ code: 'snapshot-exists' });
    await expect(deleteSnapshot('lab', A, 'old.qcow2', 'before-change', {})).rejects.toMatchObject({ code: 'snapshot-delete' });
    await deleteSnapshot('lab', A, 'old.qcow2', 'before-change', { confirm: 'before-change' });
    expect(info(img).snapshots ?? []).toEqual([]);
  });

  it('rebase: safe onto another base keeps the guest view; unsafe needs the name; flatten removes the backing file', async () => {
    await createVolume('lab', A, { name: 'base2.qcow2', capacity: '64M' });
    const ov = p(dirB, 'overlay.qcow2');
    await rebaseVolume('lab', B, 'overlay.qcow2', { backing: { pool: A, name: 'base2.qcow2' } });
    expect(info(ov)['backing-filename']).toBe(p(dirA, 'base2.qcow2'));
    // Safe mode copied base.qcow2's differing data into the overlay: the guest still reads 0xab.
    expect(hasPattern(ov, 'qcow2', 0xab, '0', '1M')).toBe(true);
    const sum = sha256(ov);
    await expect(rebaseVolume('lab', B, 'overlay.qcow2', { backing: { pool: A, name: 'base.qcow2' }, unsafe: true })).rejects.toMatchObject({ code: 'unsafe-rebase', status: 409 });
    expect(sha256(ov)).toBe(sum);
    const r = await rebaseVolume('lab', B, 'overlay.qcow2', { backing: { pool: A, name: 'base.qcow2' }, unsafe: true, confirm: 'overlay.qcow2' });
    expect(r.steps[0]?.command).toBe(`qemu-img rebase -f qcow2 -u -b ${dirA}/base.qcow2 -F qcow2 -- ${ov}`);
    expect(info(ov)['backing-filename']).toBe(p(dirA, 'base.qcow2'));
    // Flatten a separate overlay.
    await createVolume('lab', B, { name: 'flat.qcow2', backing: { pool: A, name: 'base.qcow2' } });
    await rebaseVolume('lab', B, 'flat.qcow2', { backing: null });
    expect(info(p(dirB, 'flat.qcow2'))['backing-filename']).toBeUndefined();
    expect(hasPattern(p(dirB, 'flat.qcow2'), 'qcow2', 0xab, '0', '1M')).toBe(true);
  });

  it('commit is refused while the base has other overlays, unless the base is named; then the base holds the data', async () => {
    await createVolume('lab', B, { name: 'other.qcow2', backing: { pool: A, name: 'base.qcow2' } });
    const base = p(dirA, 'base.qcow2');
    const sum = sha256(base);
    const err = await commitVolume('lab', B, 'overlay.qcow2', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'base-has-other-overlays', status: 409 });
    expect(JSON.stringify((err as { detail: unknown }).detail)).toContain('other.qcow2');
    expect(sha256(base)).toBe(sum);
    await commitVolume('lab', B, 'overlay.qcow2', { confirm: 'base.qcow2' });
    expect(hasPattern(base, 'qcow2', 0xcd, '4M', '1M')).toBe(true);
    await deleteVolume('lab', B, 'other.qcow2', { confirm: 'other.qcow2' });
  });

  it('delete: needs the name; an overlay goes without touching its base; a base with overlays is refused', async () => {
    const base = p(dirA, 'base.qcow2');
    const sum = sha256(base);
    await expect(deleteVolume('lab', A, 'base.qcow2', { confirm: 'base.qcow2x' })).rejects.toMatchObject({ code: 'has-overlays', status: 409 });
    expect(sha256(base)).toBe(sum);
    await expect(deleteVolume('lab', B, 'flat.qcow2', {})).rejects.toMatchObject({ code: 'delete-volume', status: 409 });
    expect(exists(p(dirB, 'flat.qcow2'))).toBe(true);
    await createVolume('lab', B, { name: 'tmp-overlay.qcow2', backing: { pool: A, name: 'base.qcow2' } });
    await deleteVolume('lab', B, 'tmp-overlay.qcow2', { confirm: 'tmp-overlay.qcow2' });
    expect(exists(p(dirB, 'tmp-overlay.qcow2'))).toBe(false);
    expect(sha256(base)).toBe(sum);
  });

  it('clone (a job) copies the data; convert (a job) writes another format with the same content', async () => {
    const c = await cloneVolume('lab', A, 'base.qcow2', { name: 'base-clone.qcow2' });
    expect(c.jobId).toBeTruthy();
    const cj = await waitForJob(c.jobId!);
    expect(cj.state).toBe('succeeded');
    const cmp = await compareVolumes('lab', A, 'base.qcow2', { other: { pool: A, name: 'base-clone.qcow2' } });
    expect(cmp.identical).toBe(true);
    const v = await convertVolume('lab', A, 'base.qcow2', { name: 'base.raw', pool: B, format: 'raw' });
    const vj = await waitForJob(v.jobId!);
    expect(vj).toMatchObject({ state: 'succeeded', progress: 100, kind: 'convert' });
    expect(info(p(dirB, 'base.raw')).format).toBe('raw');
    expect(hasPattern(p(dirB, 'base.raw'), 'raw', 0xcd, '4M', '1M')).toBe(true);
    expect(sys('vol-list', B)).toContain('base.raw');
  });

  it('wipe (a job) needs the name; afterwards the data is zeroes', async () => {
    const img = p(dirB, 'base.raw');
    const sum = sha256(img);
    await expect(wipeVolume('lab', B, 'base.raw', { algorithm: 'zero' })).rejects.toMatchObject({ code: 'wipe', status: 409 });
    expect(sha256(img)).toBe(sum);
    const w = await wipeVolume('lab', B, 'base.raw', { algorithm: 'zero', confirm: 'base.raw' });
    expect((await waitForJob(w.jobId!)).state).toBe('succeeded');
    expect(hasPattern(img, 'raw', 0, '0', '8M')).toBe(true);
    expect(sha256(img)).not.toBe(sum);
  });
});
